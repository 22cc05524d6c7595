"""A digest written from Python as the CLI writes it: ``Digest.write``, ``to_markdown``, ``to_html``."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from summarizer.digests.api import digest
from summarizer.digests.render import OUTPUT_LOCK, render
from summarizer.digests.schema import Digest
from summarizer.errors import ConfigurationError
from summarizer.settings import Settings

from .digest_support import DIGEST_ARTICLES


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Digest:
    return digest([DIGEST_ARTICLES], settings=Settings(model="extractive", cache_dir=tmp_path_factory.mktemp("c")))


def test_markdown_and_html_are_the_cli_s_renderings(made: Digest) -> None:
    assert made.to_markdown() == render(made, "md") and made.to_markdown().startswith("# Digest for 2026-03-13")
    html = made.to_html()
    assert html == render(made, "html") and html.startswith("<!DOCTYPE html>")
    assert all(story.headline.split()[0] in html for story in made.stories)


def test_write_puts_each_format_in_the_folder_and_marks_it_as_output(made: Digest, tmp_path: Path) -> None:
    out = tmp_path / "digests" / "march"  # created
    paths = made.write(out)
    assert [p.name for p in paths] == ["2026-03-13.md", "2026-03-13.html", "2026-03-13.json"]
    assert Digest.model_validate_json(paths[2].read_text(encoding="utf-8")) == made
    assert (out / OUTPUT_LOCK).exists()  # a digest of a parent folder leaves this one out
    assert made.write(out, formats="json") == [out / "2026-03-13.json"]  # a str is one format


def test_write_refuses_an_unknown_format_before_touching_the_folder(made: Digest, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="choose from md, html, json"):
        made.write(tmp_path / "out", formats=["md", "pdf"])
    assert not (tmp_path / "out").exists()


def test_write_refuses_a_folder_another_writer_holds(made: Digest, tmp_path: Path) -> None:
    tmp_path.joinpath(OUTPUT_LOCK).touch()
    handle = os.open(tmp_path / OUTPUT_LOCK, os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ConfigurationError, match="another summarizer run"):
            made.write(tmp_path)
    finally:
        os.close(handle)
    assert not list(tmp_path.glob("2026-*"))
