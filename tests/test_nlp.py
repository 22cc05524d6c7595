"""The NLP stage on fictional sentences: quotes in every house style, speakers from syntax, entities from NER.

Each attribution rule is pinned by a sentence written for it (the conventions in
``summarizer/nlp/speakers.py`` and ``speech.py``); the spaCy model is pinned, so its parses are too.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from summarizer.grounding import GroundedText
from summarizer.ingest.quotes import find_quotes
from summarizer.nlp.analysis import Analysis, analyze
from summarizer.nlp.readable import without_unpaired_marks


def _analysis(text: str, nlp: Language) -> Analysis:
    return analyze(GroundedText(text), nlp)


def _speakers(text: str, nlp: Language) -> list[tuple[str, str, str]]:
    return [(q.text, q.speaker, q.method) for q in _analysis(text, nlp).quotes]


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("'We will win,' he said. The voters' trust matters, and rock 'n' roll in the '90s didn't hurt.",
         ["We will win,"]),
        ("“He told me, ‘never again,’ and walked out,” she said.", ["He told me, ‘never again,’ and walked out,"]),
        ("“The first paragraph of a long quotation.\n“The second paragraph of it,” Reyes said.",
         ["The first paragraph of a long quotation.", "The second paragraph of it,"]),
        ("He said: 'The first part of the speech. 'The second part, from the next paragraph.' The crowd cheered.",
         ["The first part of the speech.", "The second part, from the next paragraph."]),
        ("''It is done,'' said Mr. Lee. ''We can go home.''", ["It is done,", "We can go home."]),
        ("The suit says she was 'envious' of the hen and wanted to 'scare the neighbour'.",
         ["envious", "scare the neighbour"]),
        ("Fans of the Kings' coach say the players' union is 'furious' about it.", ["furious"]),
    ],
    ids=["single-marks-and-apostrophes", "nested", "next-paragraph", "joined-paragraphs", "archive-marks",
         "possessive-looking-close", "plural-possessives"],
)  # fmt: skip
def test_quotes_in_every_house_style(text: str, quotes: list[str]) -> None:
    found = find_quotes(text)
    assert [q.text for q in found] == quotes
    assert all(text[q.start : q.end] == q.text for q in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # speaker_from_subject: the subject of the speech verb that governs the quote
        ("“We will rebuild the pier by spring,” Mayor Elena Varga said on Tuesday.", ("Elena Varga", "explicit")),
        # speaker_after_verb: an inverted attribution
        ("“Prices will fall,” said Finance Minister Ada Kova.", ("Ada Kova", "explicit")),
        # a partial quote inside the clause whose subject said it
        ("Councillor Tomas Reyes called the plan “a disaster for the harbor” on Monday.", ("Tomas Reyes", "explicit")),
        ("Governor Lina Holt said she was “surprised and troubled” by the vote.", ("Lina Holt", "explicit")),
        # speaker_from_according_to
        ("The repairs will “take years,” according to the engineer Rafael Moreno.", ("Rafael Moreno", "explicit")),
        # a description stays as written; an organization speaks
        ("“The bridge is unsafe,” a senior city engineer said.", ("a senior city engineer", "description")),
        ("“We regret the delay,” the Harbor Authority said in a statement.", ("the Harbor Authority", "description")),
        # speaker_of_previous_sentence
        ("Mayor Elena Varga announced the plan on Monday. “Work starts in May.”", ("Elena Varga", "explicit")),
        # attribution_after_question: "?" closed the quote's sentence
        ("“Who pays for it?” Reyes asked. The council did not answer.", ("Reyes", "explicit")),
    ],
    ids=["subject", "inverted", "partial", "partial-in-complement", "according-to", "description", "organization",
         "previous-sentence", "after-question"],
)  # fmt: skip
def test_a_speaker_is_read_off_the_parse(text: str, expected: tuple[str, str], nlp: Language) -> None:
    [(_, speaker, method)] = _speakers(text, nlp)
    assert (speaker, method) == expected


def test_a_pronoun_resolves_to_the_person_the_passage_is_about(nlp: Language) -> None:
    # the nearest name is Varga's; the passage is about Reyes, the main clause's subject
    text = (
        "Councillor Tomas Reyes voted against the harbor plan on Thursday, the only member to oppose Mayor Elena "
        "Varga. “Nobody has shown me a budget I can trust,” he said."
    )
    [(_, speaker, method)] = _speakers(text, nlp)
    assert (speaker, method) == ("Tomas Reyes", "pronoun")


def test_an_anaphoric_description_takes_the_description_that_introduced_it(nlp: Language) -> None:
    text = "A senior harbor official said on Monday that talks had stalled. “We will not move,” the official said."
    [(_, speaker, method)] = _speakers(text, nlp)
    assert (speaker, method) == ("A senior harbor official", "description")


def test_a_quote_with_no_attribution_continues_the_one_before(nlp: Language) -> None:
    text = "“The first part,” Elena Varga said. “And here is the second part.”"
    assert [(s, m) for _, s, m in _speakers(text, nlp)] == [
        ("Elena Varga", "explicit"),
        ("Elena Varga", "continuation"),
    ]


def test_a_quote_nothing_attributes_stays_unattributed(nlp: Language) -> None:
    [(_, speaker, method)] = _speakers("The sign on the door read “Closed until spring”.", nlp)
    assert (speaker, method) == ("unattributed", "unattributed")


def test_entities_are_typed_by_ner_merged_by_person_and_keep_their_roles(nlp: Language) -> None:
    text = (
        "Rafael Moreno, a professor at the Coastal Institute in Lisbon, studied the bridge for six years. "
        "Moreno told the Harbor Authority that repairs would take two summers. "
        "Professor Moreno will present the study in Lisbon on Friday."
    )
    entities = {e.name: e for e in _analysis(text, nlp).entities}
    moreno = entities["Rafael Moreno"]
    assert moreno.kind == "person" and len(moreno.mentions) == 3
    assert moreno.role == "a professor at the Coastal Institute in Lisbon".removeprefix("a ")
    assert entities["Lisbon"].kind == "place" and len(entities["Lisbon"].mentions) == 2
    assert entities["Coastal Institute"].kind == "organization"
    assert not [name for name in entities if name in ("Moreno", "Professor Moreno")]  # one person, one entry


def test_title_words_are_not_entities_and_titles_are_roles(nlp: Language) -> None:
    text = "US Secretary of State Antony Blinken met China’s top diplomat Wang Yi in Beijing."
    entities = {e.name: e for e in _analysis(text, nlp).entities}
    assert "State" not in entities
    assert entities["Antony Blinken"].role == "US Secretary of State"
    assert entities["Wang Yi"].role == "China’s top diplomat"


def test_an_acronym_is_one_entity_with_its_full_name(nlp: Language) -> None:
    text = "The Coastal Transit Authority raised fares on Monday. Critics said the CTA ignored riders."
    names = [e.name for e in _analysis(text, nlp).entities if e.kind == "organization"]
    assert names == ["Coastal Transit Authority"]


def test_a_sentence_s_gist_keeps_its_main_clause_in_its_own_words(nlp: Language) -> None:
    text = (
        "The council, which met for six hours on Tuesday, voted 7-2 to close the Elm Street library, "
        "a branch that residents had defended for months."
    )
    gist = _analysis(text, nlp).gists[1]
    assert gist == "The council, which met for six hours on Tuesday, voted 7-2 to close the Elm Street library."


def test_a_gist_drops_what_names_no_one_before_what_tells_when(nlp: Language) -> None:
    text = (
        "The council, which met for six hours on Tuesday after a long debate about the budget, voted 7-2 to close "
        "the Elm Street library, a branch that residents had defended for months."
    )
    gist = _analysis(text, nlp).gists[1]
    assert gist.endswith("voted 7-2 to close the Elm Street library.") and "branch" not in gist


def test_a_gist_keeps_quotation_marks_in_pairs(nlp: Language) -> None:
    text = (
        "\u201cThe council discussed the cost of the harbor bridge repairs,\u201d spokesperson Lena Ortiz said, "
        "adding that the vote was close."
    )
    gist = _analysis(text, nlp).gists[1]
    assert gist.count("\u201c") == gist.count("\u201d") == 1 and gist.startswith("\u201cThe council")


def test_a_gist_never_cuts_inside_a_quotation(nlp: Language) -> None:
    text = (
        "Traffic has been a \u201cmain point of debate\u201d in many council meetings. The city is trying to limit "
        "traffic between Alder and Brook \u201cas much as we can,\u201d the mayor said."
    )
    gists = _analysis(text, nlp).gists
    # the quotation the quote finder found is kept whole, marks and all: not cut inside, not dropped,
    # and a trailing attribution of a quotation stays with it (a quotation is never a bare fact)
    assert "\u201cas much as we can,\u201d the mayor said." in gists[2]
    assert gists[1].count("\u201c") == gists[1].count("\u201d") == 1


def test_quotation_marks_a_compression_left_alone_are_dropped_apostrophes_kept() -> None:
    assert without_unpaired_marks("\u2018We won, he said.") == "We won, he said."
    assert without_unpaired_marks("\u201cWe won, he said.") == "We won, he said."
    assert without_unpaired_marks("The voters\u2019 trust fell.") == "The voters\u2019 trust fell."
    assert without_unpaired_marks("\u2018We won,\u2019 he said.") == "\u2018We won,\u2019 he said."
