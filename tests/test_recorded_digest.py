"""A digest replayed from a cassette recorded on the real embedded model (see README to re-record).

Everything the model said is a recording; the library's work on it - grounding, grouping,
citation and quote checks - runs for real on every replay.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.digests.api import digest
from summarizer.digests.schema import Digest
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article

from .cassette_support import recorded_settings
from .digest_support import DIGEST_ARTICLES, STRIKE

ROOT = Path(__file__).parent.parent


def test_the_model_writes_the_strike_story_from_three_outlets_and_every_citation_resolves(tmp_path: Path) -> None:
    with recorded_settings("digest_strike", tmp_path) as settings:
        result = digest([DIGEST_ARTICLES], settings=settings, concurrency=2)
    strike = result.stories[0]
    assert {Path(s.input).name for s in strike.sources} == STRIKE
    assert strike.written_by == "model"
    assert strike.headline and strike.summary.citations and strike.developments
    # Which outlets a development cites is the model's choice, and only citations that corroborate it
    # are kept (this recording's second-outlet labels are off by one sentence, so they go); the quotes
    # are the library's choice, and come from more than one outlet.
    assert len({q.article for q in strike.quotes}) >= 2, "the story should draw on more than one outlet"
    assert [len(s.sources) for s in result.stories] == [3, 1, 1]
    texts = {s.id: GroundedText(Article.from_path(ROOT / s.input, max_bytes=10**6).text)
             for story in result.stories for s in story.sources}  # fmt: skip
    Digest.model_validate(result.model_dump(), context={"articles": texts})  # raises on any ungrounded item
    for story in result.stories:
        for quote in story.quotes:
            assert texts[quote.article].text[quote.start : quote.end] == quote.text
    assert result.meta.model_calls > 0 and result.meta.cache_hits == 0
