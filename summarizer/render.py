"""Briefings for people: Markdown for email, chat and terminals."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.schema import Briefing


def briefing_markdown(briefing: Briefing) -> str:
    """Headline, bottom line, cited key points, positions, quotes, people and source."""
    lines = [f"# {briefing.headline}", "", briefing.summary, ""]
    if briefing.key_points:
        lines += ["## Key points", ""]
        lines += [f"- {p.text} [{', '.join(f'S{e.sentence_id}' for e in p.evidence)}]" for p in briefing.key_points]
        lines.append("")
    if briefing.positions:
        lines += ["## Positions", ""]
        lines += [
            f"- **{p.actor}**: {p.stance} [{', '.join(f'S{e.sentence_id}' for e in p.evidence)}]"
            for p in briefing.positions
        ]
        lines.append("")
    if briefing.quotes:
        lines += ["## Quotes", ""]
        lines += [f"> \u201c{q.text}\u201d \u2014 {q.speaker}" for q in briefing.quotes]
        lines.append("")
    people = [e for e in briefing.entities if e.type.value == "person"]
    if people:
        lines += ["## People", ""]
        lines += [f"- {e.name}" + (f", {e.role}" if e.role else "") for e in people]
        lines.append("")
    source = briefing.source
    facts = [
        x
        for x in (
            source.title,
            source.outlet,
            source.byline,
            source.published and source.published.isoformat(),
            source.url,
        )
        if x
    ]
    if facts:
        lines += ["## Source", "", " \u00b7 ".join(facts), ""]
    if briefing.meta.warnings:
        lines += ["## Dropped as ungrounded", ""] + [f"- {w}" for w in briefing.meta.warnings] + [""]
    return "\n".join(lines)
