"""The HTML digest opened in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it).

Without Chromium on the machine the test is skipped, unless ``SUMMARIZER_REQUIRE_BROWSER=1``
(set by ``.ci/run``) turns the absence into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from summarizer.digests.api import digest
from summarizer.digests.render import write
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return CHROMIUM


def _dom(chromium: str, page: Path, profile: Path) -> str:
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_html_digest_renders_its_stories_in_chromium(chromium: str, tmp_path: Path) -> None:
    with stub_model_server() as stub:
        result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path / "cache"))
    page = next(p for p in write(result, tmp_path / "out", ("html",)))
    dom = _dom(chromium, page, tmp_path / "profile")
    assert len(re.findall(r'<article class="story"', dom)) == len(result.stories) == 3
    for story in result.stories:
        assert f"{story.rank}. {story.headline}" in dom.replace("&amp;", "&")
        for citation in story.summary.citations:  # each citation links to its source on the page
            assert f'href="#{citation.article}"' in dom and f'id="{citation.article}"' in dom
