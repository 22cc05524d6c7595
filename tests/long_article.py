"""A fictional 30,000-word article, generated: an inquiry report far longer than any model context.

Hand-written fixture (a generator of invented text): every town, person and figure is made up.
Each section names its own witness, quotes them and gives a number, so a briefing of the whole
text can be checked for citations from every part of it.
"""

from __future__ import annotations

FIRST = ["Ada", "Bram", "Cleo", "Dario", "Esme", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Lev"]
LAST = ["Marlow", "Quint", "Osei", "Varga", "Lindqvist", "Ferreira", "Nakamura", "Okoye", "Brandt", "Sousa"]
TOPICS = [
    ("the harbour cranes", "were inspected"),
    ("the night shifts", "were scheduled"),
    ("the safety budget", "was spent"),
    ("the union ballots", "were counted"),
    ("the pilot boats", "were maintained"),
    ("the cargo backlog", "was cleared"),
]


def long_article(words: int = 30_000) -> str:
    """The article: a title line, then numbered sections until ``words`` words are reached."""
    lines = ["Title: Calder Bay port inquiry publishes its full findings", ""]
    count, section = 0, 0
    while count < words:
        first, last = FIRST[section % len(FIRST)], LAST[section % len(LAST)]
        topic, verb = TOPICS[section % len(TOPICS)]
        name = f"{first} {last}"
        paragraph = (
            f"Section {section + 1} of the report examines how {topic} {verb} in year {section % 9 + 1} of the "
            f"concession. Witness {name}, a port employee for {section % 30 + 2} years, told the inquiry that "
            f'records for {topic} were incomplete. "We wrote down what we could, but nobody asked for the '
            f'rest," {last} said. The inquiry found {section * 3 + 7} entries missing from the log for '
            f"{topic}. Its chair, Judge Miriam Holt, said the gaps had to be explained. The port operator "
            f"disputed the count and said a digital system had replaced the paper log in year "
            f"{section % 9 + 2}. Investigators compared both records line by line and noted where they "
            f"differed. They also interviewed supervisors who had signed the daily sheets. Several said "
            f"the forms had changed twice without notice. The section closes with recommendations on "
            f"training, storage of records and independent audits of {topic}."
        )
        lines += [paragraph, ""]
        count += len(paragraph.split())
        section += 1
    return "\n".join(lines)
