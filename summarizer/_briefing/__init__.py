"""One article to one briefing (private; the public names are re-exported by :mod:`summarizer`).

The modules, in the order data flows through them:

- :mod:`.key_sentences`: the sentences worth a reader's time, chosen without a model.
- :mod:`.pipeline`: a strategy's steps; :mod:`.parts` splits long articles, :mod:`.prompting` fills
  the templates, :mod:`.drafts` holds what the model is asked to fill.
- :mod:`.asking`: the re-ask engine (send, validate and ground with :mod:`.draft_checks`, re-ask).
- :mod:`.assembly`: the briefing from what the NLP stage found and what the model wrote.
- :mod:`.schema`: the :class:`~summarizer.Briefing` itself; :mod:`.render`: its Markdown.
"""
