"""The claim checker: does the article support what a text says about it?

:func:`~summarizer.claims.api.check` is the public entry; :class:`~summarizer.claims.checker.ClaimChecker`
checks many claims against one article whose NLP stage has run (the briefing pipeline's case).
"""
