"""Cassette wiring: replay recorded HTTP from the embedded model, or record it anew.

Replay (the default) needs no network and no model: requests go to a placeholder loopback URL
and vcrpy answers from ``cassettes/``. ``SUMMARIZER_RECORD=1`` re-records against the real
embedded model on its ephemeral port; matching ignores host and port and compares JSON bodies,
so the recording replays whatever port it was made on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr

from summarizer.client import Summarizer
from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, KNOWN_MODELS
from summarizer.retry import NO_RETRIES
from summarizer.settings import Settings

CASSETTES = Path(__file__).parent.parent / "cassettes"
RECORDING = os.environ.get("SUMMARIZER_RECORD") == "1"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens there: a cassette miss fails at once
LOCAL_MODEL = KNOWN_MODELS[DEFAULT_LOCAL_MODEL]


def _json_body(r1: Any, r2: Any) -> None:
    assert json.loads(r1.body or b"{}") == json.loads(r2.body or b"{}"), "request body differs from the recording"


def _path(r1: Any, r2: Any) -> None:
    assert r1.path == r2.path


def _recorder() -> vcr.VCR:
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if RECORDING else "none",
        filter_headers=["authorization", "api-key", "x-api-key", "openai-organization", "cookie", "set-cookie"],
        decode_compressed_response=True,
    )
    recorder.register_matcher("json_body", _json_body)
    recorder.register_matcher("path_only", _path)
    recorder.match_on = ("method", "path_only", "json_body")
    return recorder


@contextmanager
def recorded_settings(cassette: str, tmp: Path) -> Iterator[Settings]:
    """Settings for the default embedded model whose HTTP is recorded in ``cassettes/<cassette>.yaml``.

    The digest's result store lives in ``tmp``, so every request of the run is made (and matched).
    """
    if RECORDING:
        # a long deadline: a story's synthesis can take minutes on a busy 2-core machine (not in the request body)
        settings = Settings(model=f"local/{DEFAULT_LOCAL_MODEL}", cache_dir=Path.home() / ".cache" / "summarizer",
                            cache_db=tmp / "results.sqlite3", timeout=900)  # fmt: skip
    else:
        # the model name the embedded backend sends is the GGUF file's stem
        # a cassette miss must fail at once, not back off and retry against a port nobody listens on
        settings = Settings(model=Path(LOCAL_MODEL.filename).stem, base_url=REPLAY_URL, strategy="headline",
                            cache_dir=tmp, retry=NO_RETRIES)  # fmt: skip
    with _recorder().use_cassette(f"{cassette}.yaml", allow_playback_repeats=False):
        yield settings


@contextmanager
def recorded_summarizer(cassette: str, tmp: Path) -> Iterator[Summarizer]:
    """A Summarizer on the default embedded model whose HTTP is recorded in ``cassettes/<cassette>.yaml``."""
    with recorded_settings(cassette, tmp) as settings, Summarizer(settings) as summarizer:
        yield summarizer
