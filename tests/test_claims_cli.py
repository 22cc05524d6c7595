"""``summarizer check``: the command-line contract the faithfulness scorer and scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app

STORM = Path(__file__).parent / "articles" / "storm_coast.txt"
CLAIMS = [
    "The firm admitted the allegations.",
    "The firm denied the allegations.",
    "The Castleton Owls beat the Lowmere Rovers.",
]


def _claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.txt"
    path.write_text("\n".join(CLAIMS[:2]) + "\n\n" + CLAIMS[2] + "\n", encoding="utf-8")  # a blank line is no claim
    return path


def test_json_is_one_object_per_claim_in_order(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(STORM), "--claims", str(_claims_file(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    verdicts = json.loads(result.stdout)
    assert [v["claim"] for v in verdicts] == CLAIMS
    assert [v["supported"] for v in verdicts] == [False, True, False]
    for verdict in verdicts:
        assert set(verdict) >= {"claim", "supported", "score", "evidence", "problems"}
        assert isinstance(verdict["score"], float)
        assert all(isinstance(i, int) for i in verdict["evidence"])
        assert all(isinstance(p, str) for p in verdict["problems"])
    assert verdicts[1]["evidence"][0] == 7
    assert any("roles swapped" in p for p in verdicts[2]["problems"])


def test_claims_come_from_standard_input_with_a_dash() -> None:
    result = CliRunner().invoke(
        app, ["check", str(STORM), "--claims", "-", "--format", "json"], input="The firm denied the allegations.\n"
    )
    assert result.exit_code == 0, result.output
    assert [v["supported"] for v in json.loads(result.stdout)] == [True]


def test_markdown_says_what_is_not_supported_and_why(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(STORM), "--claims", str(_claims_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "**NOT supported**" in result.stdout and "wrong relation" in result.stdout
    assert "**supported** (" in result.stdout and "S7" in result.stdout


def test_no_claims_a_missing_article_and_an_unknown_model_are_refused_with_their_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["check", str(STORM), "--claims", str(empty)]).exit_code == 3
    missing = CliRunner().invoke(app, ["check", str(tmp_path / "nope.txt"), "--claims", str(_claims_file(tmp_path))])
    assert missing.exit_code == 3 and "nope.txt" in missing.output
    asked = CliRunner().invoke(app, ["check", str(STORM), "--claims", str(_claims_file(tmp_path)), "--model", "x"])
    assert asked.exit_code == 4 and "unknown model spec 'x'" in asked.output
    assert CliRunner().invoke(app, ["check", str(STORM), "--claims", "-", "--format", "xml"], input="A.").exit_code == 2


def test_the_command_loads_no_nlp_until_it_runs(child_env: dict[str, str]) -> None:
    code = "import sys, summarizer.cli._check; assert 'spacy' not in sys.modules, 'spacy imported'"
    subprocess.run([sys.executable, "-c", code], check=True, env=child_env)
