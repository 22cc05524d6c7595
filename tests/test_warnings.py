"""Structured warnings: codes a program can act on, one final check, and a reader's view without diagnostics.

Issue 18 item 4, issue 20 items 12 and 15 (the schema part), issue 21 items 2 and 5 (``Meta.parts``).
The articles are the fictional harbour-bridge story of ``tests/articles``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from summarizer import Summarizer
from summarizer._briefing.assembly import Provenance, assemble
from summarizer._briefing.draft_checks import BriefingGround
from summarizer._briefing.key_sentences import key_sentences
from summarizer._briefing.schema import Briefing, briefing_problems
from summarizer.diagnostics import CODES, WarningCode, WarningEntry, left_out
from summarizer.digests.api import digest
from summarizer.digests.render import render
from summarizer.digests.schema import Digest, json_schema
from summarizer.errors import GroundingError
from summarizer.grounding import GroundedText, content_words
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import analyze
from summarizer.settings import Settings
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings
from .scripted_server import completion, scripted_server

SUMMARY = {
    "headline": "Council approves bridge repairs",
    "summary": "Port Alder will spend $48 million on the Harbor Bridge.",
    "key_points": [{"text": "Something invented entirely.", "sentences": [99]}],
    "positions": [],
}


def _ground(text: str, nlp: Language) -> BriefingGround:
    grounded = GroundedText(Article.from_text(text).text)
    names = frozenset(w for e in analyze(grounded, nlp).entities for w in content_words(e.name))
    return BriefingGround(grounded, names, gists=analyze(grounded, nlp).gists)


def _extractive(text: str) -> Briefing:
    with Summarizer(Settings(model="extractive")) as summarizer:
        return summarizer.brief(text)


def test_a_dropped_key_point_is_a_structured_entry_and_strict_mode_raises_the_same(harbor_text: str) -> None:
    replies = [completion(json.dumps(SUMMARY))] * 3
    with scripted_server(replies) as (url, _), Summarizer(Settings(model="m", base_url=url, strategy="write")) as s:
        briefing = s.brief(harbor_text)
    dropped = [w for w in briefing.meta.warnings if w.code == WarningCode.DROPPED_UNGROUNDED]
    assert [(w.severity, w.item) for w in dropped] == [("dropped", "key_points")]
    assert "do not exist" in dropped[0].message and str(dropped[0]) == dropped[0].message
    with scripted_server(replies) as (url, _), Summarizer(Settings(model="m", base_url=url, strategy="write")) as s:
        with pytest.raises(GroundingError) as caught:
            s.brief(harbor_text, strict=True)
    assert [p.code for p in caught.value.problems] == ["dropped_ungrounded"]
    assert "do not exist" in str(caught.value)  # the message stays readable


def test_the_final_check_reports_and_filters_by_one_rule_set(harbor_text: str, nlp: Language) -> None:
    # an upstream slip of each kind: an entity, a quote off its offsets, a speaker the article never names
    ground = _ground(harbor_text, nlp)
    analysis = analyze(ground.article, nlp)
    quote = analysis.quotes[0]
    moved = dataclasses.replace(quote, start=quote.start + 1, end=quote.end + 1)
    invented = dataclasses.replace(quote, speaker="Zebulon Quartermaine", method="explicit")
    slipped = dataclasses.replace(analysis.entities[0], name="Nobody Atall")
    broken = dataclasses.replace(analysis, quotes=(moved, invented), entities=(*analysis.entities, slipped))
    chosen = key_sentences(ground.article, analysis, 3)
    made = Provenance("test", "extractive", "v", time.perf_counter())
    article = Article.from_text(harbor_text)
    briefing = assemble(article, ground, broken, [], chosen, made, strict=False)
    final = {(w.code, w.item) for w in briefing.meta.warnings}
    assert final == {
        ("dropped_final_check", "quotes[0]"),
        ("repaired_speaker", "quotes[1]"),
        ("dropped_final_check", f"entities[{len(broken.entities) - 1}]"),
    }
    assert [(q.speaker, q.attribution) for q in briefing.quotes] == [("unattributed", "unattributed")]
    assert "Nobody Atall" not in {e.name for e in briefing.entities}
    assert list(briefing_problems(briefing, ground.article)) == []  # what is left passes by construction
    with pytest.raises(GroundingError) as caught:
        assemble(article, ground, broken, [], chosen, made, strict=True)
    assert {p.code for p in caught.value.problems} == {"dropped_final_check", "repaired_speaker"}


def test_the_readers_view_names_only_dropped_or_withheld_items(harbor_text: str) -> None:
    briefing = _extractive(harbor_text)
    routine = WarningEntry.of(WarningCode.FALLBACK_KEY_POINT, "key_points", "key point for S3 is its own clause", [3])
    quiet = briefing.model_copy(update={"meta": briefing.meta.model_copy(update={"warnings": [routine]})})
    assert "own clause" not in quiet.to_markdown() and "see the JSON" not in quiet.to_markdown()
    drops = [WarningEntry.of(WarningCode.DROPPED_UNGROUNDED, "key_points", f"dropped: key point {i}") for i in (1, 2)]
    loud = briefing.model_copy(update={"meta": briefing.meta.model_copy(update={"warnings": [routine, *drops]})})
    markdown = loud.to_markdown()
    assert markdown.rstrip().splitlines()[-1] == "*2 items were left out as ungrounded; see the JSON.*"
    assert "dropped: key point" not in markdown and "## Notes" not in markdown
    assert json.loads(loud.model_dump_json())["meta"]["warnings"][0]["code"] == "fallback_key_point"


def test_the_one_line_counts_each_kind() -> None:
    withheld = WarningEntry.of(WarningCode.WITHHELD_INJECTION, "article", "S4 withheld", [4])
    unusable = WarningEntry.of(WarningCode.INVALID_ANSWER, "answer", "not valid")
    repaired = WarningEntry.of(WarningCode.REPAIRED_SPEAKER, "quotes[0]", "speaker not named")
    assert left_out([repaired]) is None and left_out([]) is None
    assert left_out([withheld, unusable]) == (
        "1 model answer was unusable and left out; 1 sentence addressing an AI model was withheld from the model; "
        "see the JSON."
    )


def test_every_code_has_a_severity_and_a_description_in_the_schema() -> None:
    schema = Briefing.model_json_schema()
    codes = schema["$defs"]["WarningCode"]
    assert {(o["const"], o["description"]) for o in codes["oneOf"]} == {(c.value, CODES[c][1]) for c in WarningCode}
    assert set(codes["enum"]) == {c.value for c in WarningCode}
    assert {WarningEntry.of(c, "x", "m").severity for c in WarningCode} == {"dropped", "repaired", "note"}


def _undescribed(schema: dict[str, Any]) -> list[str]:
    missing = [f"Briefing.{name}" for name, p in schema["properties"].items() if "description" not in p]
    for model, definition in schema["$defs"].items():
        missing += [f"{model}.{n}" for n, p in definition.get("properties", {}).items() if "description" not in p]
    return missing


def test_every_property_of_the_briefing_schema_is_described() -> None:
    assert _undescribed(Briefing.model_json_schema()) == []


@pytest.mark.parametrize(("name", "model"), [("briefing", Briefing), ("digest", Digest)])
def test_the_models_own_schema_is_the_exported_one(name: str, model: type[Briefing] | type[Digest]) -> None:
    schema = model.model_json_schema()
    assert schema == json_schema(name)
    assert schema["x-schema-version"] == model.model_fields["schema_version"].default == "2.0.0"
    assert schema["$id"].endswith(f"/{name}-2.0.0.schema.json")


def test_meta_counts_the_nlp_stage_and_names_parts_apart(harbor_text: str) -> None:
    briefing = _extractive(harbor_text)
    assert briefing.meta.seconds > 0  # the NLP stage is most of an extractive brief: it was 0.0
    assert briefing.meta.strategy == "extractive" and briefing.meta.parts == 1
    assert briefing.meta.cost_usd == 0 or briefing.meta.cost_usd is None


def test_a_digest_shows_a_storys_drops_in_one_line_and_keeps_each_in_the_json(tmp_path: Path) -> None:
    with stub_model_server() as stub:
        result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path / "cache"))
    routine = WarningEntry.of(WarningCode.TOLD_IN_OWN_WORDS, "story", "told by its briefings instead")
    dropped = WarningEntry.of(WarningCode.DROPPED_UNGROUNDED, "positions", "dropped: position of 'Mayor <b>X</b>'")
    story = result.stories[0].model_copy(update={"warnings": [routine, dropped]})
    noted = result.model_copy(update={"stories": [story, *result.stories[1:]]})
    for fmt in ("md", "html"):
        text = render(noted, fmt)
        assert "1 item was left out as ungrounded; see the JSON." in text
        assert "Mayor" not in text and "told by its briefings instead" not in text
    kept = json.loads(render(noted, "json"))["stories"][0]["warnings"]
    assert [w["code"] for w in kept] == ["told_in_own_words", "dropped_ungrounded"]
