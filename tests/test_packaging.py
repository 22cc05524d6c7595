"""What a user installs and what a newcomer reads: the wheel's contents, and a map that matches the tree."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel hatchling builds from this checkout, built in-process and offline."""
    out = tmp_path_factory.mktemp("dist")
    [built] = list(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"]))
    return zipfile.ZipFile(built)


def test_the_wheel_holds_the_package_data_the_library_reads(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {
        "summarizer/py.typed",
        "summarizer/schemas/briefing.schema.json",
        "summarizer/schemas/digest.schema.json",
        *(f"summarizer/prompts/{p.name}" for p in (ROOT / "prompts").glob("*.j2")),
        *(f"summarizer/templates/{p.name}" for p in (ROOT / "templates").iterdir() if p.is_file()),
    }
    assert shipped - names == set()
    assert len([n for n in names if n.startswith("summarizer/prompts/")]) >= 9


def test_the_wheel_installs_one_import_name_and_carries_the_license(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"summarizer"}
    assert not [n for n in names if n.startswith(("summarizer/tests", "tests/", "cassettes/"))]
    licenses = [n for n in names if ".dist-info/licenses/" in n]
    assert licenses and "Apache License" in wheel.read(licenses[0]).decode()
    metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert re.search(r"^Version: \d+\.\d+", metadata, re.MULTILINE)


_PATH = re.compile(r"(?<![\w.:/-])(\.?[\w*.-]+(?:/[\w*.-]+)*/?)(?![\w/])")


def _named_paths(text: str) -> list[str]:
    """File and folder names a document mentions: anything with a slash or a file suffix we ship."""
    return [m for m in _PATH.findall(text) if "/" in m or m.endswith((".py", ".md", ".j2", ".json", ".yaml"))]


def test_every_path_contributing_md_names_exists() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing, folder = [], ROOT
    for name in _named_paths(text):
        if name.startswith(("http", "../", ".venv/")) or "<" in name:
            continue
        found = [base for base in (folder, ROOT, ROOT / "summarizer") if any(base.glob(name.rstrip("/")))]
        if not found:
            missing.append(name)
            continue
        hit = next(iter(found[0].glob(name.rstrip("/"))))
        folder = hit if hit.is_dir() else hit.parent
    assert not missing, f"CONTRIBUTING.md names what the tree does not hold: {missing}"


def test_every_module_contributing_md_names_by_dotted_path_imports() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    dotted = set(re.findall(r"\bsummarizer(?:\.\w+)+", text))
    unknown = []
    for name in sorted(dotted):
        module, attribute = name, None
        while importlib.util.find_spec(module) is None if "." not in module else _no_spec(module):
            module, _, attribute = module.rpartition(".")
        if attribute and not hasattr(importlib.import_module(module), attribute):
            unknown.append(name)
    assert dotted and not unknown, unknown


def _no_spec(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:
        return True
