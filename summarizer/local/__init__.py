"""The embedded model: weights fetched from the package index, served by in-process llama.cpp."""
