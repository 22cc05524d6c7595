"""What the model writes is checked after it is written: grounded or dropped, long or copied text repaired.

Drafts here are hand-written stand-ins for model answers; the article is the fictional harbor one.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from summarizer._briefing.assembly import Provenance, assemble
from summarizer._briefing.draft_checks import BriefingGround
from summarizer._briefing.drafts import CompressDraft, DraftPoint
from summarizer._briefing.key_sentences import headline_from, key_sentences, shortened
from summarizer._briefing.schema import Briefing
from summarizer.cli import app
from summarizer.errors import GroundingError
from summarizer.grounding import GroundedText, content_words
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import analyze
from summarizer.nlp.entities import NamedEntity

ARTICLE = Path(__file__).parent / "articles" / "harbor_bridge.txt"


def _ground(harbor_text: str, nlp: Language, *, offered: tuple[int, ...] | None = None) -> BriefingGround:
    grounded = GroundedText(Article.from_text(harbor_text).text)
    analysis = analyze(grounded, nlp)
    names = frozenset(w for e in analysis.entities for w in content_words(e.name))
    return BriefingGround(grounded, names, offered, analysis.gists)


def _brief(*points: tuple[str, list[int]], headline: str = "Harbor Bridge repairs approved") -> CompressDraft:
    return CompressDraft(
        headline=headline,
        summary="Port Alder will spend $48 million on the Harbor Bridge. Work takes 18 months.",
        key_points=[DraftPoint(text=text, sentences=ids) for text, ids in points],
    )


def test_a_compression_keeps_to_its_sentence_s_words_bar_the_article_s_names(harbor_text: str, nlp: Language) -> None:
    ground = _ground(harbor_text, nlp, offered=(1, 5, 9))
    draft = _brief(
        ("Tomas Reyes warned the cost could rise.", [5]),  # the sentence's own words
        ("Repairs will last 18 months, Elena Varga said.", [9]),  # a name from elsewhere is fine; "last" is not
        ("Work takes 18 months, says the Port Alder Transit Authority.", [9]),
    )
    kept, problems = draft.grounded(ground)
    assert [p.text for p in kept.key_points] == [
        "Tomas Reyes warned the cost could rise.",
        "Work takes 18 months, says the Port Alder Transit Authority.",
    ]
    assert len(problems) == 1 and "['last', 'repairs']" in problems[0].text


def test_a_key_point_that_copies_its_sentence_gives_way_to_the_sentence_s_gist(harbor_text: str, nlp: Language) -> None:
    ground = _ground(harbor_text, nlp)
    copied = "Council member Tomas Reyes, who voted against the plan, warned that the cost could rise."
    kept, problems = _brief((copied, [5])).grounded(ground)
    assert problems == []
    assert [p.text for p in kept.key_points] == ["Council member Tomas Reyes warned that the cost could rise."]


def test_a_long_headline_is_shortened_at_a_clause_never_mid_word(harbor_text: str, nlp: Language) -> None:
    long_headline = (
        "Port Alder council votes to repair the Harbor Bridge, ending a year of argument over the crossing, "
        "with work to start in May and take 18 months"
    )
    kept, problems = _brief(headline=long_headline).grounded(_ground(harbor_text, nlp))
    assert problems == [] and kept.headline == "Port Alder council votes to repair the Harbor Bridge."


def test_a_headline_with_stray_json_is_refused_for_a_re_ask(harbor_text: str, nlp: Language) -> None:
    _, problems = _brief(headline="Bridge repairs approved},").grounded(_ground(harbor_text, nlp))
    assert len(problems) == 1 and "stray JSON" in problems[0].text


@pytest.mark.parametrize(
    ("text", "shorter"),
    [
        ("one two three four five six seven, eight nine ten", "one two three four five six seven."),
        ("one two three four five six seven eight nine ten", None),  # no clause boundary: never cut mid-clause
    ],
)
def test_text_is_shortened_only_at_a_clause_boundary(text: str, shorter: str | None) -> None:
    assert shortened(text, 8) == shorter


def test_without_a_title_a_long_lead_gives_its_main_clause_as_headline(nlp: Language) -> None:
    # fictional: a 30-word lead with no clause boundary within 16 words
    text = (
        "A guard at the Port Alder ferry terminal was hit by a falling crane in the early hours of Thursday as part "
        "of repairs that began after the storm in March. Repairs continue."
    )
    article = GroundedText(text)
    analysis = analyze(article, nlp)
    lead = article.sentences[:1]
    headline = headline_from(None, lead, analysis.gists[1])
    assert headline == analysis.gists[1] and headline.startswith("A guard at the Port Alder ferry terminal was hit")
    assert len(headline.split()) < len(lead[0].text.split())
    assert headline_from(None, lead) == lead[0].text  # no gist: the lead as it stands


@pytest.mark.parametrize(
    ("lead", "headline"),
    [  # fictional leads
        (  # a phrase set before the main clause is no headline ("With the new bridge opened this week.")
            "With the new harbour bridge opened this week, Mayor Helena Varga cut ferry fares across Port Alder by a "
            "third.",
            "Mayor Helena Varga cut ferry fares across Port Alder by a third.",
        ),
        (  # the main clause before a spaced dash is
            "Helena Varga will be confirmed as Port Alder's harbour master on Friday - exactly eight weeks after the "
            "storm that closed the port.",
            "Helena Varga will be confirmed as Port Alder's harbour master on Friday.",
        ),
        (  # a hyphen is no cut ("from ear."); the comma after the main clause is
            "The two ferry captains were beaming from ear-to-ear after the crossing, which took nine hours in heavy "
            "seas.",
            "The two ferry captains were beaming from ear-to-ear after the crossing.",
        ),
        (  # a quotation goes with the clause it hung on, and a conjunct the parse joined by a quotation mark
            "Mayor Helena Varga is being sued by a local wannabe singer who claims the mayor 'stole her pet goat' as "
            "children.",
            "Mayor Helena Varga is being sued.",
        ),
    ],
)
def test_without_a_title_the_headline_is_the_leads_main_clause_within_a_headlines_length(
    lead: str, headline: str, nlp: Language
) -> None:
    article = GroundedText(lead)
    analysis = analyze(article, nlp)
    assert headline_from(None, article.sentences, analysis.gists[1], analysis.headlines[1]) == headline


def test_a_site_s_title_separator_is_not_part_of_the_headline() -> None:
    assert headline_from("Harbor bridge reopens; ", []) == "Harbor bridge reopens"


def _slipped(harbor_text: str, nlp: Language, *, strict: bool) -> Briefing:
    """Assemble with an entity the draft stage let through but the final check refuses."""
    # issue 11: an entity the draft stage accepted but the final check refused ended the brief with a
    # raw ValidationError; an upstream slip like that now costs the item, with a warning (or raises in strict mode)
    article = Article.from_text(harbor_text)
    ground = _ground(harbor_text, nlp)
    analysis = analyze(ground.article, nlp)
    slipped = NamedEntity("For Elena Varga", "person", ((0, 5),), 1.0)
    broken = analysis.__class__(analysis.quotes, (*analysis.entities, slipped), analysis.gists)
    made = Provenance("test", "extractive", "v", time.perf_counter())
    return assemble(article, ground, broken, [], key_sentences(ground.article, analysis, 3), made, strict=strict)


def test_a_final_check_failure_drops_the_item_with_a_warning_never_the_briefing(
    harbor_text: str, nlp: Language
) -> None:
    briefing = _slipped(harbor_text, nlp, strict=False)
    names = {e.name for e in briefing.entities}
    assert "For Elena Varga" not in names and "Elena Varga" in names
    assert any("For Elena Varga" in w.message and w.code == "dropped_final_check" for w in briefing.meta.warnings)


def test_a_final_check_failure_raises_in_strict_mode(harbor_text: str, nlp: Language) -> None:
    with pytest.raises(GroundingError, match="For Elena Varga"):
        _slipped(harbor_text, nlp, strict=True)


def test_key_sentences_lead_then_informative_ones_without_quotes_or_repeats(harbor_text: str, nlp: Language) -> None:
    grounded = GroundedText(Article.from_text(harbor_text).text)
    chosen = key_sentences(grounded, analyze(grounded, nlp), 4)
    ids = [s.id for s in chosen]
    # three short opening sentences (within a summary's 75 words) for the summary, three key points
    assert ids[0] == 1 and ids == sorted(ids) and len(ids) == 6
    assert 3 not in ids and 6 not in ids  # mostly quotation: the quotes section has those


def test_a_key_sentence_past_the_lead_has_a_main_clause_to_make_a_key_point_of(nlp: Language) -> None:
    text = (  # fictional; sentence 2 is a caption with names and numbers but no clause
        "The Port Alder council voted on Monday to repair the Harbor Bridge at a cost of $4 million. "
        "Mayor Lena Ortiz, council member Tomas Reyes and port director Ana Silva at the Harbor Bridge in 2024. "
        "Work will start in May and take 18 months, the city engineer said. "
        "Ferries will carry commuters while the bridge is closed. "
        "The bridge carried 12,000 cars a day before it was closed in March."
    )
    grounded = GroundedText(Article.from_text(text).text)
    analysis = analyze(grounded, nlp)
    chosen = [s.id for s in key_sentences(grounded, analysis, 4)]
    assert chosen == [1, 3, 4, 5] and all(analysis.gists[i] for i in chosen[1:])


def test_the_extractive_mode_briefs_without_any_model(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["brief", str(ARTICLE), "--model", "extractive", "--format", "json"])
    assert result.exit_code == 0, result.output
    briefing = Briefing.model_validate_json(result.stdout)
    article = GroundedText(Article.from_text(ARTICLE.read_text(encoding="utf-8")).text)
    Briefing.model_validate(briefing.model_dump(), context={"article": article})
    assert briefing.meta.model == briefing.meta.strategy == "extractive" and briefing.meta.attempts == 0
    assert briefing.summary.startswith("The Port Alder city council voted 7-2")
    assert len(briefing.key_points) >= 2 and all(p.text.endswith(".") for p in briefing.key_points)
    assert {q.speaker for q in briefing.quotes} >= {"Elena Varga", "Tomas Reyes"}
