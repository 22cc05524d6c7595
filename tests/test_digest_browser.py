"""The HTML digest opened in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it).

Without Chromium on the machine the test is skipped, unless ``SUMMARIZER_REQUIRE_BROWSER=1``
(set by ``.ci/run``) turns the absence into a failure. The layout test measures the page's key
elements in the browser (a copy of the page with a script recording boxes and ``checkVisibility``)
and checks a screenshot of it: each element is drawn where the browser placed it, and the
diagnostics stay folded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from summarizer.digests.api import digest
from summarizer.digests.render import write
from summarizer.digests.schema import Digest
from summarizer.testing.stub_model import stub_model_server

from .digest_support import copy_articles, stub_settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--force-device-scale-factor=1"]  # fmt: skip
WIDTH, HEIGHT = 1000, 4000
KEY_ELEMENTS = {
    "title": "h1",
    "contents": "nav.contents li",
    "headlines": "article.story h2",
    "summaries": "article.story p.summary",
    "sources": "ul.sources li",
    "how": "details.how > summary",
    "how_body": "details.how > :not(summary)",
}
MEASURE = """<script>
const boxes = {};
for (const [name, selector] of Object.entries(%s)) {
  boxes[name] = [...document.querySelectorAll(selector)].map(e => {
    const r = e.getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height), e.checkVisibility()];
  });
}
boxes.page = [document.documentElement.scrollWidth, document.documentElement.scrollHeight];
document.body.insertAdjacentHTML("beforeend", "<pre id='layout' hidden>" + JSON.stringify(boxes) + "</pre>");
</script>"""


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return CHROMIUM


def _chromium(chromium: str, page: Path, profile: Path, *args: str) -> str:
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", *args, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _digest(tmp_path: Path) -> tuple[Digest, Path]:
    """The fictional digest articles, one without a title line and one that cannot be read."""
    folder = copy_articles(tmp_path / "articles")
    (folder / "harbour_note.txt").write_text("The harbour office in Calder reopened on Friday after repairs.\n")
    (folder / "broken.txt").write_text("")
    with stub_model_server() as stub:
        result = digest([folder], settings=stub_settings(stub.url, tmp_path / "cache"))
    return result, next(p for p in write(result, tmp_path / "out", ("html",)))


def test_the_html_digest_renders_its_stories_in_chromium(chromium: str, tmp_path: Path) -> None:
    result, page = _digest(tmp_path)
    dom = _chromium(chromium, page, tmp_path / "profile", "--dump-dom")
    assert len(re.findall(r'<article class="story"', dom)) == len(result.stories) == 4
    for story in result.stories:
        assert f"<h2>{story.headline}</h2>" in dom.replace("&amp;", "&")
        for citation in story.summary.citations:  # each citation links to its source on the page
            assert f'href="#{citation.article}"' in dom and f'id="{citation.article}"' in dom
    # sources by outlet and title, else the file's name; no path of this machine anywhere
    assert '<span class="outlet">Calder Herald</span>: <cite>Calder Bay dock strike ends' in dom
    assert "<cite>harbour_note.txt</cite>" in dom and str(tmp_path) not in dom
    assert "<code>broken.txt</code>: the file is empty" in dom


def _ink(image: Image.Image, box: list[int]) -> int:
    """Pixels inside ``box`` (left, top, width, height) darker than the white page: something is drawn."""
    left, top, width, height = box
    region = image.crop((left, top, left + width, top + height)).convert("L")
    return sum(count for shade, count in enumerate(region.histogram()) if shade < 200)


def test_the_page_layout_in_a_screenshot(chromium: str, tmp_path: Path) -> None:
    result, page = _digest(tmp_path)
    measured = page.with_name("measured.html")
    measured.write_text(page.read_text().replace("</body>", MEASURE % json.dumps(KEY_ELEMENTS) + "</body>"))
    dom = _chromium(chromium, measured, tmp_path / "profile", "--dump-dom")
    boxes = json.loads(re.search(r"<pre id=\"layout\" hidden=\"\">(.*?)</pre>", dom, re.S)[1])  # type: ignore[index]
    shot = tmp_path / "digest.png"
    _chromium(chromium, measured, tmp_path / "profile", f"--screenshot={shot}")
    image = Image.open(shot)

    assert image.size == (WIDTH, HEIGHT)
    assert boxes["page"][0] <= WIDTH and boxes["page"][1] <= HEIGHT  # no sideways scrolling; all in the shot
    stories = len(result.stories)
    assert [len(boxes[name]) for name in ("title", "contents", "headlines", "summaries")] == [1, stories, stories,
                                                                                            stories]  # fmt: skip
    assert len(boxes["sources"]) == sum(len(s.sources) for s in result.stories)
    tops = [box[1] for box in boxes["headlines"]]
    assert boxes["title"][0][1] < boxes["contents"][0][1] < tops[0] and tops == sorted(tops)  # in reading order
    (how,) = boxes["how"]
    assert how[1] > max(box[1] for box in boxes["sources"])  # the diagnostics come last...
    assert boxes["how_body"] and not any(box[4] for box in boxes["how_body"])  # ...folded
    for name in ("title", "contents", "headlines", "summaries", "sources", "how"):
        for box in boxes[name]:
            assert box[4] and box[2] > 0 and box[3] > 0 and box[0] + box[2] <= WIDTH, (name, box)
            assert _ink(image, box[:4]) > 20, f"{name} at {box} is not drawn"
    below = [0, how[1] + how[3] + 4, WIDTH, HEIGHT - how[1] - how[3] - 4]
    assert _ink(image, below) == 0  # nothing of the folded section is drawn
