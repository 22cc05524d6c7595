"""The NLP layer: spaCy's parse and named entities read into quotes, speakers and entities."""
