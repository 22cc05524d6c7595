"""Model backends: one seam (:class:`~summarizer.backends.base.Backend`), one module per kind."""
