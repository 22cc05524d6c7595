"""Briefings replayed from cassettes recorded on the real embedded model (see README to re-record)."""

from __future__ import annotations

from pathlib import Path

from summarizer._briefing.schema import Briefing
from summarizer.ingest.article import Article

from .cassette_support import recorded_summarizer

ARTICLES = Path(__file__).parent / "articles"


NOT_AS_WRITTEN = {"no_answer", "invalid_answer", "dropped_ungrounded", "fallback_headline"}


def _fell_back(briefing: Briefing) -> list[str]:
    """Warnings that say the model's answer was not used as written (the article's own words stood in)."""
    return [w.message for w in briefing.meta.warnings if w.code in NOT_AS_WRITTEN]


def test_fictional_article_is_briefed_from_the_recorded_answer(tmp_path: Path) -> None:
    article = Article.from_text((ARTICLES / "harbor_bridge.txt").read_text(encoding="utf-8"))
    with recorded_summarizer("harbor_bridge", tmp_path) as summarizer:
        briefing = summarizer.brief(article)
    # the recorded model's headline was accepted at the first attempt: not the article's title standing in
    assert briefing.meta.strategy == "headline" and briefing.meta.attempts == 1 and not _fell_back(briefing)
    assert briefing.headline != article.title and "Harbor Bridge" in briefing.headline
    assert briefing.meta.input_tokens > 0 and briefing.meta.output_tokens > 0
    speakers = {q.text: q.speaker for q in briefing.quotes}
    assert speakers["Every week we waited, the bill got bigger,"] == "Elena Varga"
    assert speakers["Nobody has shown me a budget I can trust,"] == "Tomas Reyes"
    people = {e.name for e in briefing.entities if e.type.value == "person"}
    assert {"Elena Varga", "Tomas Reyes"} <= people


def test_instructions_inside_the_article_change_nothing(tmp_path: Path) -> None:
    article = Article.from_text((ARTICLES / "injection.txt").read_text(encoding="utf-8"))
    with recorded_summarizer("injection", tmp_path) as summarizer:
        briefing = summarizer.brief(article)
    withheld = [w.sentence_ids for w in briefing.meta.warnings if w.code == "withheld_injection"]
    assert withheld == [[2]]
    assert all(e.sentence_id != 2 for p in briefing.key_points for e in p.evidence)  # nor cited as evidence
    assert "HACKED" not in briefing.headline and briefing.meta.attempts == 1 and not _fell_back(briefing)
    spoken = [q for q in briefing.quotes if q.text.startswith("People told us")]
    assert [q.speaker for q in spoken] == ["Priya Nandakumar"]
    assert {q.speaker for q in briefing.quotes} <= {"Priya Nandakumar", "unattributed"}


def test_async_api_replays_the_same_briefing(tmp_path: Path) -> None:
    import asyncio

    article = Article.from_text((ARTICLES / "harbor_bridge.txt").read_text(encoding="utf-8"))
    with recorded_summarizer("harbor_bridge", tmp_path) as summarizer:
        synchronous = summarizer.brief(article)
    with recorded_summarizer("harbor_bridge", tmp_path) as summarizer:
        asynchronous = asyncio.run(summarizer.abrief(article))
    assert asynchronous.model_dump(exclude={"meta"}) == synchronous.model_dump(exclude={"meta"})


def test_markdown_shows_cited_points_quotes_and_speakers(tmp_path: Path) -> None:
    article = Article.from_text((ARTICLES / "harbor_bridge.txt").read_text(encoding="utf-8"))
    with recorded_summarizer("harbor_bridge", tmp_path) as summarizer:
        briefing = summarizer.brief(article)
    markdown = briefing.to_markdown()
    assert markdown.startswith(f"# {briefing.headline}\n")
    assert f"[S{briefing.key_points[0].evidence[0].sentence_id}]" in markdown
    assert "\u201cEvery week we waited, the bill got bigger,\u201d \u2014 Elena Varga" in markdown
