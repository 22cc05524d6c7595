"""The data folders are found through ``importlib.resources``: inside the package (a wheel) first,
else beside it (a source checkout). The package trees below are made up in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import summarizer._resources
from summarizer._resources import data_dir


def _package_at(monkeypatch: pytest.MonkeyPatch, package: Path) -> None:
    package.mkdir(parents=True)
    monkeypatch.setattr(summarizer._resources, "files", lambda name: package if name == "summarizer" else None)


def test_an_installed_wheel_reads_the_folders_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package_at(monkeypatch, tmp_path / "site-packages" / "summarizer")
    for root in (tmp_path / "site-packages" / "summarizer", tmp_path / "site-packages"):
        (root / "prompts").mkdir()
    assert data_dir("prompts") == tmp_path / "site-packages" / "summarizer" / "prompts"


def test_a_source_checkout_reads_the_folders_beside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package_at(monkeypatch, tmp_path / "checkout" / "summarizer")
    (tmp_path / "checkout" / "templates").mkdir()
    assert data_dir("templates") == tmp_path / "checkout" / "templates"


def test_a_missing_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _package_at(monkeypatch, tmp_path / "summarizer")
    with pytest.raises(FileNotFoundError, match="schemas/ folder is missing"):
        data_dir("schemas")


@pytest.mark.parametrize("name", ["prompts", "schemas", "templates"])
def test_this_checkout_has_every_folder(name: str) -> None:
    assert (data_dir(name) / "..").resolve() == Path(__file__).resolve().parents[1]
