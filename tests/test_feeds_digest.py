"""Digests from feeds and pages on a local server: RSS 2.0, Atom and JSON Feed, OPML, the Atom output, the CLI.

The feeds and pages are fictional (the digest articles of ``tests/articles/digest`` served as pages).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.cli._exits import SOME_NOT_INCLUDED
from summarizer.digests.api import digest
from summarizer.digests.render import render, write
from summarizer.digests.schema import Citation, Digest, DigestMeta, Source, Statement, Story
from summarizer.digests.sources import expand
from summarizer.settings import Settings
from summarizer.testing.stub_model import StubModel, stub_model_server
from summarizer.web.subscriptions import Feed, read_subscriptions

from .digest_support import DIGEST_ARTICLES, stub_settings
from .web_support import Reply, Served, fetch_options, page, static, web_server

ATOM_RNG = Path(__file__).parent / "fixtures" / "atom.rng"
ARTICLES = {
    "calder": "calder_herald_strike.txt",
    "northshore": "northshore_times_strike.txt",
    "comet": "rivervale_comet.txt",
    "library": "millbrook_library.txt",
}


def article_page(name: str) -> bytes:
    """A fictional digest article as a web page: its header lines become the page's metadata."""
    header, _, body = (DIGEST_ARTICLES / name).read_text(encoding="utf-8").partition("\n\n")
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    return page(fields["Title"], body.replace("\n", "\n\n"), date=fields["Published"], site=fields["Source"])


def rss(url: str) -> bytes:
    items = [
        ("Dock strike ends", "/articles/calder", "Fri, 13 Mar 2026 09:00:00 GMT", ""),
        ("Strike over at the port", "/articles/northshore", "Fri, 13 Mar 2026 10:00:00 GMT", ""),
        ("Members only", "/members/secret", "Fri, 13 Mar 2026 11:00:00 GMT", ""),
        (
            "Ferry timetable changes",
            "/gone",
            "Fri, 13 Mar 2026 12:00:00 GMT",
            "<description>&lt;p&gt;The Lakeside ferry will run every 40 minutes from Monday, the harbour office "
            "said on Friday. Weekend crossings stay hourly until the spring timetable starts in April."
            "&lt;/p&gt;</description>",
        ),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>{url}{p}</link><pubDate>{d}</pubDate>{x}</item>" for t, p, d, x in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>{body}</channel></rss>'.encode()
    )


def atom_feed(url: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Sky Watch</title>'
        "<id>urn:uuid:1b6d0f1e-0000-4000-8000-000000000001</id><updated>2026-03-11T12:00:00Z</updated>"
        f'<entry><title>New comet</title><id>urn:x:comet</id><link href="{url}/articles/comet"/>'
        "<updated>2026-03-11T12:00:00Z</updated></entry></feed>"
    ).encode()


def json_feed(url: str) -> bytes:
    item = {"id": "lib", "url": f"{url}/articles/library", "title": "Library", "date_published": "2026-03-13T08:00:00Z"}
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Town Notes", "items": [item]}).encode()


@pytest.fixture
def site() -> Iterator[Served]:
    routes = {"/robots.txt": static(b"User-agent: *\nDisallow: /members/\n", "text/plain")}
    routes.update({f"/articles/{key}": static(article_page(name)) for key, name in ARTICLES.items()})
    with web_server(routes) as served:
        routes["/news.rss"] = static(rss(served.url), "application/rss+xml", ETag='"news-1"')
        routes["/sky.atom"] = static(
            atom_feed(served.url), "application/atom+xml", **{"Last-Modified": "Wed, 11 Mar 2026 12:00:00 GMT"}
        )
        routes["/notes.json"] = static(json_feed(served.url), "application/feed+json")
        yield served


@pytest.fixture
def stub() -> Iterator[StubModel]:
    with stub_model_server() as model:
        yield model


def settings(stub: StubModel, cache: Path) -> Settings:
    return dataclasses.replace(stub_settings(stub.url, cache), allow_private_addresses=True)


def feeds(site: Served) -> list[str | Feed]:
    return [f"{site.url}/news.rss", f"{site.url}/sky.atom", f"{site.url}/notes.json"]


def test_a_digest_from_rss_atom_and_json_feeds(site: Served, stub: StubModel, tmp_path: Path) -> None:
    result = digest(feeds(site), settings=settings(stub, tmp_path), fetching=fetch_options())
    sources = {s.title: s for story in result.stories for s in story.sources}
    assert {"Calder Bay dock strike ends after 11 days with pay deal", "New comet"} <= set(sources) or len(sources) >= 5
    assert {s.outlet for s in sources.values()} >= {"Calder Herald", "Rivervale Observer"}
    assert any(s.note and "feed's own text" in s.note for s in sources.values())  # /gone: the entry's description
    assert "/members/secret" not in site.paths()  # robots.txt
    assert [i.reason for i in result.not_included if i.input.endswith("/members/secret")] == [
        f"the site's robots.txt does not allow summarizer/{version('summarizer')} to fetch it"
    ]
    news, sky, notes = result.feeds
    assert (news.status, news.entries, news.new, news.feed_text, len(news.failed)) == ("fetched", 4, 2, 1, 1)
    assert (sky.title, sky.new, notes.title, notes.new) == ("Sky Watch", 1, "Town Notes", 1)
    markdown = render(result, "md")
    assert "Feeds:" in markdown and "4 entries; 2 new, 0 kept from earlier runs; 1 from the feed's own text" in markdown


def test_a_second_run_is_conditional_makes_no_model_call_and_fetches_no_page(
    site: Served, stub: StubModel, tmp_path: Path
) -> None:
    first = digest(feeds(site), settings=settings(stub, tmp_path), fetching=fetch_options())
    calls, served_before = len(stub.requests), len(site.requests)
    second = digest(feeds(site), settings=settings(stub, tmp_path), fetching=fetch_options())
    again = site.requests[served_before:]
    assert len(stub.requests) == calls and second.meta.model_calls == 0
    assert not [path for path, _ in again if path.startswith("/articles/")]
    headers = dict(again)
    assert headers["/news.rss"]["If-None-Match"] == '"news-1"'
    assert headers["/sky.atom"]["If-Modified-Since"] == "Wed, 11 Mar 2026 12:00:00 GMT"
    assert [f.status for f in second.feeds] == ["not modified", "not modified", "fetched"]
    assert second.feeds[0].known == 2 and second.feeds[0].new == 0
    assert [s.headline for s in second.stories] == [s.headline for s in first.stories]


def test_an_opml_list_gives_a_section_per_category(site: Served, stub: StubModel, tmp_path: Path) -> None:
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        f'<outline text="Ports"><outline type="rss" text="Harbour" xmlUrl="{site.url}/news.rss"/></outline>'
        f'<outline text="Science"><outline type="rss" text="Sky" xmlUrl="{site.url}/sky.atom"/></outline>'
        "</body></opml>"
    )
    subscriptions = read_subscriptions(opml)
    assert [(f.category) for f in subscriptions] == ["Ports", "Science"]
    result = digest(subscriptions, settings=settings(stub, tmp_path), fetching=fetch_options())
    markdown = render(result, "md")
    assert markdown.index("## Ports") < markdown.index("## Science")
    assert "Members only" not in markdown
    comet = next(s for story in result.stories for s in story.sources if s.title and "comet" in s.title)
    assert comet.category == "Science"


def test_a_toml_list_reads_both_forms(tmp_path: Path) -> None:
    listed = tmp_path / "feeds.toml"
    listed.write_text(
        '[categories]\nWorld = ["https://a.example/w.rss"]\n\n'
        '[[feed]]\nurl = "https://b.example/s.atom"\ncategory = "Science"\n'
    )
    assert read_subscriptions(listed) == [
        Feed("https://a.example/w.rss", "World"),
        Feed("https://b.example/s.atom", "Science"),
    ]


def test_a_billion_laughs_feed_and_a_feed_of_10000_entries(stub: StubModel, tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{entities}]><rss version="2.0"><channel>'
        "<title>&l9;</title></channel></rss>"
    )
    items = "".join(f"<item><title>Entry {i}</title><link>/none/{i}</link></item>" for i in range(10_000))
    many = f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'.encode()
    routes = {
        "/laughs.rss": static(laughs.encode(), "application/rss+xml"),
        "/many.rss": static(many, "application/rss+xml"),
    }
    with web_server(routes) as served:
        started = time.monotonic()
        result = digest(
            [f"{served.url}/laughs.rss", f"{served.url}/many.rss"],
            settings=settings(stub, tmp_path),
            fetching=fetch_options(max_entries=5),
        )
        took = time.monotonic() - started
    laughs_report, many_report = result.feeds
    assert laughs_report.status == "failed" and "declares XML entities" in (laughs_report.reason or "")
    assert (many_report.entries, many_report.read, len(many_report.failed)) == (10_000, 5, 5)
    assert took < 60, f"took {took:.1f} s"  # the stated bound (about 5 s measured)


def test_atom_output_parses_and_validates_against_rfc_4287(site: Served, stub: StubModel, tmp_path: Path) -> None:
    result = digest(feeds(site), settings=settings(stub, tmp_path), fetching=fetch_options())
    written = write(result, tmp_path / "out")
    assert [p.name for p in written][-2:] == [f"{result.date}.atom", "feed.atom"]
    schema = etree.RelaxNG(etree.parse(str(ATOM_RNG)))
    for name in (f"{result.date}.atom", "feed.atom"):
        path = tmp_path / "out" / name
        assert schema.validate(etree.parse(str(path))), schema.error_log
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.version == "atom10"
        assert [e.title for e in parsed.entries] == [s.headline for s in result.stories]
    entry = feedparser.parse((tmp_path / "out" / "feed.atom").read_bytes()).entries[0]
    assert any(link.get("rel") == "related" and link["href"].startswith(site.url) for link in entry.links)
    # the library's own Atom files are never read back as articles, even outside a locked output folder
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "copy.atom").write_bytes((tmp_path / "out" / "feed.atom").read_bytes())
    assert expand([loose], max_bytes=1_000_000) == []


def test_feed_atom_keeps_the_last_30_digests(tmp_path: Path) -> None:
    cited = Citation(article="A1", sentence_id=1, text="The ferry resumed on Monday.")
    source = Source(
        id="A1", input="https://news.example/ferry", title="Ferry resumes", url="https://news.example/ferry"
    )
    story = Story(
        id="story-1",
        rank=1,
        headline="Ferry resumes",
        summary=Statement(text=cited.text, citations=[cited]),
        developments=[],
        positions=[],
        quotes=[],
        sources=[source],
        grouping=[],
        written_by="briefing",
    )
    meta = DigestMeta(
        model="stub",
        prompt_version="1",
        inputs=1,
        articles=1,
        cache_hits=0,
        stories_from_cache=0,
        model_calls=0,
        input_tokens=0,
        output_tokens=0,
        seconds=0,
        threshold=0.3,
    )
    base = Digest(
        date=dt.date(2026, 3, 1),
        generated_at=dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC),
        stories=[story],
        not_included=[],
        meta=meta,
    )
    out = tmp_path / "out"
    for day in range(32):
        write(base.model_copy(update={"date": dt.date(2026, 3, 1) + dt.timedelta(days=day)}), out, ("atom",))
    combined = feedparser.parse((out / "feed.atom").read_bytes())
    assert len(combined.entries) == 30
    assert combined.entries[0].id != combined.entries[-1].id
    schema = etree.RelaxNG(etree.parse(str(ATOM_RNG)))
    assert schema.validate(etree.parse(str(out / "feed.atom"))), schema.error_log


def test_cli_brief_url_and_digest_feed_url(site: Served, stub: StubModel, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
    briefed = runner.invoke(
        app, ["brief", f"{site.url}/articles/comet", "--model", "extractive", "--allow-private-addresses"], env=env
    )
    assert briefed.exit_code == 0, briefed.output
    assert "comet" in briefed.output.lower()
    refused = runner.invoke(app, ["brief", f"{site.url}/articles/comet", "--model", "extractive"], env=env)
    assert refused.exit_code == 3 and "--allow-private-addresses" in refused.output
    args = [
        "digest",
        f"{site.url}/news.rss",
        "--model",
        "stub",
        "--base-url",
        stub.url,
        "--out",
        str(tmp_path / "o"),
        "--allow-private-addresses",
    ]
    made = runner.invoke(app, args, env=env)
    assert made.exit_code == SOME_NOT_INCLUDED, made.output  # the robots.txt-disallowed entry is not included
    names = sorted(p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith("."))
    assert names == ["2026-03-13.atom", "2026-03-13.html", "2026-03-13.json", "2026-03-13.md", "feed.atom"]


def test_pages_kept_in_the_store_are_read_again_without_the_server(site: Served, tmp_path: Path) -> None:
    """What a killed run resumes from: each page is kept as soon as it is read."""
    from summarizer.digests.store import Store
    from summarizer.web.reader import WebReader

    with Store(tmp_path / "store.sqlite3") as store:
        first = WebReader(fetch_options(), store)
        read = [item.article for item in first.read(f"{site.url}/news.rss") if item.article]
        first.close()
        for key in ARTICLES:
            site.routes[f"/articles/{key}"] = lambda handler: Reply(status=500)
        again = WebReader(fetch_options(), store)
        kept = [item.article for item in again.read(f"{site.url}/news.rss") if item.article]
        again.close()
    assert kept == read and again.reports[0].known == 2


def test_the_run_timeout_bounds_all_fetching(tmp_path: Path) -> None:
    from summarizer.web.reader import WebReader

    slow = lambda handler: Reply(page("Slow", "Slow text."), headers={"Content-Type": "text/html"}, pause=0.4)  # noqa: E731
    items = "".join(f"<item><title>P{i}</title><link>/p{i}</link></item>" for i in range(12))
    routes = {f"/p{i}": slow for i in range(12)}
    routes["/feed"] = static(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode())
    with web_server(routes) as served:
        started = time.monotonic()
        reader = WebReader(fetch_options(run_timeout=1.0))
        found = reader.read(served.url + "/feed")
        reader.close()
        took = time.monotonic() - started
    reasons = [item.error for item in found if item.error]
    assert any("the run's time for fetching (1 s) is used up" in r for r in reasons), reasons
    assert took < 20, f"took {took:.1f} s"  # 1 s of fetching, plus the requests under way then
