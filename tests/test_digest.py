"""Digests end to end on the stub model server: grouping, duplicates, cache, failures, renderers.

The stub answers extractively (see ``summarizer.testing.stub_model``), so these tests check the
library's own behaviour - what is grouped, cached, listed, cited - not a model's prose.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.cli._exits import SOME_NOT_INCLUDED
from summarizer.digests.api import digest
from summarizer.digests.build import DigestProgress
from summarizer.digests.render import render, write
from summarizer.digests.schema import Digest
from summarizer.testing.stub_model import StubModel, stub_model_server

from .digest_support import DIGEST_ARTICLES, STRIKE, copy_articles, refused_url, stub_settings

ROOT = Path(__file__).parent.parent


@pytest.fixture
def stub() -> Iterator[StubModel]:
    with stub_model_server() as model:
        yield model


def _names(story_sources: list[str]) -> set[str]:
    return {Path(s).name for s in story_sources}


def test_one_event_from_three_outlets_is_one_story_and_the_republished_copy_is_merged(
    stub: StubModel, tmp_path: Path
) -> None:
    result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    groups = [_names([s.input for s in story.sources]) for story in result.stories]
    assert STRIKE in groups
    assert {"millbrook_library.txt"} in groups and {"rivervale_comet.txt"} in groups
    assert len(result.stories) == 3
    strike = result.stories[0]  # most sources first
    copies = [d for s in strike.sources for d in s.duplicates]
    assert [Path(c).name for c in copies] == ["valley_gazette_strike.txt"]
    assert strike.written_by == "model" and strike.grouping
    assert all(link.score >= result.meta.threshold for link in strike.grouping)
    assert any("Marta Okafor" in link.shared_names for link in strike.grouping)
    assert dt.date(2026, 3, 13) in strike.grouping[0].shared_days
    # the republished copy was never sent to the model: 5 distinct articles (one call each) + 1 story
    assert len(stub.requests) == 6 and result.meta.model_calls == 6
    assert result.date == dt.date(2026, 3, 13)  # the newest article's date when none is given


def test_citations_resolve_and_quotes_are_verbatim(stub: StubModel, tmp_path: Path) -> None:
    result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    texts = {}
    for story in result.stories:
        for source in story.sources:
            texts[source.id] = (ROOT / source.input).read_text(encoding="utf-8")
    for story in result.stories:
        for statement in [story.summary, *story.developments]:
            assert statement.citations
            for citation in statement.citations:
                assert citation.text in texts[citation.article]
        for quote in story.quotes:
            assert quote.text in texts[quote.article]


def test_a_second_run_makes_no_model_calls(stub: StubModel, tmp_path: Path) -> None:
    settings = stub_settings(stub.url, tmp_path)
    first = digest([DIGEST_ARTICLES], settings=settings)
    calls = len(stub.requests)
    second = digest([DIGEST_ARTICLES], settings=settings)
    assert len(stub.requests) == calls
    assert second.meta.model_calls == 0
    assert second.meta.cache_hits == first.meta.articles and second.meta.stories_from_cache == 1
    assert second.model_dump(exclude={"generated_at", "meta"}) == first.model_dump(exclude={"generated_at", "meta"})


def test_a_changed_article_is_briefed_again_and_nothing_else(stub: StubModel, tmp_path: Path) -> None:
    folder = copy_articles(tmp_path / "articles")
    settings = stub_settings(stub.url, tmp_path / "cache")
    digest([folder], settings=settings)
    before = len(stub.requests)
    comet = folder / "rivervale_comet.txt"
    comet.write_text(comet.read_text(encoding="utf-8") + "\nThe observatory will publish its orbit next week.\n")
    again = digest([folder], settings=settings)
    assert len(stub.requests) - before == 1  # the one changed article; its story is unchanged
    assert again.meta.cache_hits == again.meta.articles - 1 and again.meta.stories_from_cache == 1


def test_unreadable_inputs_are_listed_and_the_rest_goes_on(stub: StubModel, tmp_path: Path) -> None:
    folder = copy_articles(tmp_path / "articles")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_text("")
    (folder / "huge.txt").write_text("The council met again. " * 230_000)  # about 5 MB
    result = digest([folder], settings=stub_settings(stub.url, tmp_path / "cache"))
    reasons = {Path(item.input).name: item.reason for item in result.not_included}
    assert set(reasons) == {"photo.txt", "empty.txt", "huge.txt"}  # photo.jpg is no article file: not read
    assert "binary" in reasons["photo.txt"] and "empty" in reasons["empty.txt"] and "limit" in reasons["huge.txt"]
    assert all(item.stage == "input" for item in result.not_included)
    assert len(result.stories) == 3


def test_a_broken_feed_line_is_listed_and_its_neighbours_are_briefed(stub: StubModel, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {"title": "Ferry service resumes", "outlet": "Isle News", "text": "The ferry to Skerra resumed on Monday."},
        "{not json",
        {"title": "No text here"},
        {"title": "Bakery wins prize", "text": "A bakery in Dunmore won the national bread prize on Sunday."},
    ]
    feed.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    result = digest([feed], settings=stub_settings(stub.url, tmp_path / "cache"))
    assert {item.input: item.stage for item in result.not_included} == {f"{feed}:2": "input", f"{feed}:3": "input"}
    assert sorted(s.headline for s in result.stories) == ["Bakery wins prize", "Ferry service resumes"]


def test_articles_outside_the_date_are_left_out_with_their_reason(stub: StubModel, tmp_path: Path) -> None:
    result = digest([DIGEST_ARTICLES], date=dt.date(2026, 3, 13), settings=stub_settings(stub.url, tmp_path))
    outside = {Path(item.input).name: item for item in result.not_included}
    assert set(outside) == {"millbrook_library.txt", "rivervale_comet.txt"}
    assert all(item.stage == "window" and "2026-03-13" in item.reason for item in outside.values())
    assert [len(s.sources) for s in result.stories] == [3]


def test_a_model_that_keeps_failing_falls_back_to_each_article_s_own_words(tmp_path: Path) -> None:
    # nothing listens there: every briefing fails as a backend error; each article is still in, marked as such
    with refused_url() as url:
        result = digest([DIGEST_ARTICLES], settings=stub_settings(url, tmp_path))
    sources = [source for story in result.stories for source in story.sources]
    assert len(sources) == 5 and not result.not_included
    assert all(s.extractive and "could not reach the model server" in s.extractive for s in sources)
    # one-article stories are their briefings; the strike story is told in its articles' own sentences
    assert sorted(story.written_by for story in result.stories) == ["briefing", "briefing", "extractive"]
    assert result.meta.model_calls == 0


def test_progress_reports_every_article(stub: StubModel, tmp_path: Path) -> None:
    seen: list[DigestProgress] = []
    digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path), on_progress=seen.append)
    briefing = [p for p in seen if p.stage == "briefing"]
    assert briefing[0].done == 0 and briefing[-1].done == briefing[-1].total == 5
    assert briefing[-1].tokens > 0
    assert [p.done for p in seen if p.stage == "stories"] == [0, 1]
    again: list[DigestProgress] = []
    digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path), on_progress=again.append)
    assert again[-1].stage == "stories" and again[-1].cached == 1
    assert [p.cached for p in again if p.stage == "briefing"][-1] == 5


def test_json_validates_against_the_exported_schema_and_round_trips(stub: StubModel, tmp_path: Path) -> None:
    result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    schema = json.loads((ROOT / "schemas" / "digest.schema.json").read_text())
    document = json.loads(render(result, "json"))
    jsonschema.validate(document, schema)
    assert Digest.model_validate(document) == result


def test_a_tampered_citation_is_refused(stub: StubModel, tmp_path: Path) -> None:
    from summarizer.grounding import GroundedText

    result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    document = result.model_dump()
    citation = document["stories"][0]["developments"][0]["citations"][0]
    citation["text"] = "The union said the strike would go on for months."
    articles = {s.id: GroundedText(_article_text(s.input)) for story in result.stories for s in story.sources}
    with pytest.raises(ValueError, match="does not match"):
        Digest.model_validate(document, context={"articles": articles})


def _article_text(path: str) -> str:
    from summarizer.ingest.article import Article

    return Article.from_path(ROOT / path, max_bytes=10**6).text


def test_markdown_and_html_carry_every_story_and_citation(stub: StubModel, tmp_path: Path) -> None:
    result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path / "cache"))
    paths = write(result, tmp_path / "out")
    assert [p.name for p in paths] == [
        "2026-03-13.md",
        "2026-03-13.html",
        "2026-03-13.json",
        "2026-03-13.atom",
        "feed.atom",
    ]
    markdown, html = paths[0].read_text(), paths[1].read_text()
    for story in result.stories:
        assert f"## {story.rank}. {story.headline}" in markdown
        first = story.summary.citations[0]
        assert f"{first.article}.S{first.sentence_id}" in markdown
        assert f'id="{story.sources[0].id}"' in html
    assert "\n\n\n" not in markdown
    assert "<script" not in html and "http://" not in html and "https://" not in html  # no external assets
    assert list(tmp_path.joinpath("out").glob(".*.tmp")) == []


def test_html_escapes_markup_from_articles(stub: StubModel, tmp_path: Path) -> None:
    article = tmp_path / "markup.txt"
    article.write_text("Title: Council <b>bans</b> <script>alert(1)</script> posters\n\nThe council banned posters.\n")
    result = digest([article], settings=stub_settings(stub.url, tmp_path / "cache"))
    html = render(result, "html")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_cli_writes_the_three_files_and_says_when_inputs_failed(stub: StubModel, tmp_path: Path) -> None:
    folder = copy_articles(tmp_path / "articles")
    runner = CliRunner()
    args = ["digest", str(folder), "--base-url", stub.url, "--model", "stub", "--out", str(tmp_path / "out")]
    ok = runner.invoke(app, args, env={"SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")})
    assert ok.exit_code == 0, ok.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name != ".summarizer.lock") == [
        "2026-03-13.atom",
        "2026-03-13.html",
        "2026-03-13.json",
        "2026-03-13.md",
        "feed.atom",
    ]
    (folder / "empty.txt").write_text("")
    failed = runner.invoke(app, [*args, "--format", "json"], env={"SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")})
    assert failed.exit_code == SOME_NOT_INCLUDED
    listed = json.loads((tmp_path / "out" / "2026-03-13.json").read_text())["not_included"]
    assert [Path(item["input"]).name for item in listed] == ["empty.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "YYYY-MM-DD"),
        (["--since", "yesterday"], "90m, 24h"),
        (["--format", "pdf"], "md, html, json"),
        (["--date", "2026-03-13", "--since", "24h"], "not both"),
    ],
)
def test_cli_rejects_bad_options_before_any_work(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["digest", str(DIGEST_ARTICLES), *args])
    assert result.exit_code == 2 and message in result.output


def test_cli_refuses_an_input_that_names_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["digest", str(tmp_path / "nowhere" / "*.txt"), "--out", str(tmp_path)])
    assert result.exit_code == 3 and "matches no file" in result.output


def test_cache_stats_and_clear(stub: StubModel, tmp_path: Path) -> None:
    digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    env = {"SUMMARIZER_CACHE_DIR": str(tmp_path)}
    stats = CliRunner().invoke(app, ["cache", "stats"], env=env)
    assert "briefing: 5" in stats.output and "story: 1" in stats.output
    cleared = CliRunner().invoke(app, ["cache", "clear"], env=env)
    assert "removed 6" in cleared.output
    assert "(empty): 0" in CliRunner().invoke(app, ["cache", "stats"], env=env).output


def test_briefings_made_earlier_are_reused_and_the_async_api_matches(stub: StubModel, tmp_path: Path) -> None:
    import asyncio

    from summarizer import Briefed, Summarizer, adigest
    from summarizer.ingest.article import Article

    settings = stub_settings(stub.url, tmp_path)
    article = Article.from_path(DIGEST_ARTICLES / "rivervale_comet.txt", max_bytes=10**6)
    with Summarizer(settings) as client:
        earlier = client.brief(article)
    calls = len(stub.requests)
    result = asyncio.run(adigest([Briefed(article, earlier)], settings=settings, cache=False))
    assert len(stub.requests) == calls and result.meta.model_calls == 0
    assert result.stories[0].headline == earlier.headline


def test_requests_in_flight_never_exceed_the_concurrency(stub: StubModel, tmp_path: Path) -> None:
    import asyncio
    import dataclasses

    from summarizer.backends.registry import create_backend
    from summarizer.client import Summarizer
    from summarizer.digests.build import Digester

    from .test_faults import _towns

    @dataclasses.dataclass
    class Counting:
        """The real backend, counting requests in flight; each lets every other ready task run first."""

        inner: Any
        in_flight: int = 0
        most: int = 0

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        async def asend(self, request: Any) -> Any:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            for _ in range(500):  # hold the request until the others catch up (articles parse off the loop now)
                if self.in_flight >= 3:
                    break
                await asyncio.sleep(0.01)
            try:
                return await self.inner.asend(request)
            finally:
                self.in_flight -= 1

    _towns(tmp_path / "towns", 12)
    settings = stub_settings(stub.url, tmp_path / "cache")
    counting = Counting(create_backend(settings))

    async def run() -> int:
        async with Summarizer(settings, backend=counting) as summarizer:
            built = await Digester(summarizer, None, concurrency=3).build([tmp_path / "towns"])
        return sum(story.written_by == "model" for story in built.stories)

    syntheses = asyncio.run(run())
    # never above the limit; how close to it a run comes depends on how fast articles are parsed
    assert counting.most <= 3 and len(stub.requests) == 12 + syntheses
