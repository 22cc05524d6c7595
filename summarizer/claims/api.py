"""``summarizer.check``: claims about an article, judged against its own sentences (and by a model, if asked)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer._calls import resolve_settings
from summarizer.claims.checker import ClaimChecker
from summarizer.claims.second_opinion import second_opinion
from summarizer.claims.verdict import ClaimVerdict
from summarizer.errors import InputError
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import analyze
from summarizer.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language


def checker_for(article: Article, nlp: Language) -> ClaimChecker:
    """A checker for one article: its sentences parsed once, as the NLP stage parses them."""
    grounded = GroundedText(article.text)
    if not grounded.sentences:
        raise InputError("the article has no text to check claims against once boilerplate is removed")
    return ClaimChecker.from_analysis(grounded, analyze(grounded, nlp), nlp, title=article.title)


def check(
    article: str | Path | Article,
    claims: Iterable[str],
    *,
    settings: Settings | None = None,
    model: str | None = None,
) -> list[ClaimVerdict]:
    """Whether ``article`` supports each of ``claims``: one :class:`ClaimVerdict` per claim, in order.

    ``article`` is read as :func:`summarizer.brief` reads its source (a path, an
    :class:`Article`, or text); a ``str`` given as ``claims`` is one claim. The verdicts come
    from the article's parse (spaCy's pipeline, fetched on first use into the models folder of
    ``settings``, else of :meth:`Settings.from_env`). No model is asked unless ``model`` names
    one (a model spec, as ``Settings.model``): then it gives its second opinion on the claims
    whose score lies in :data:`~summarizer.claims.second_opinion.BAND` (every claim, until a
    larger measurement picks a band), with the backend, prompts and re-ask bounds ``settings`` give it.
    """
    from summarizer.client import Summarizer

    texts = [claims] if isinstance(claims, str) else list(claims)
    with Summarizer(resolve_settings(settings, model)) as summarizer:
        source = summarizer.read(article)
        if not texts:
            return []
        checker = checker_for(source, summarizer.nlp)
        verdicts = checker.check(texts)
        if model is None:
            return verdicts
        return second_opinion(checker.article, verdicts, summarizer.backend, summarizer.reask_bounds)
