"""Briefings for people: Markdown for email, chat and terminals.

Everything in a briefing came from an article or a model, so it is written as literal text:
Markdown markup is escaped (a title holding ``<script>`` or ``[link](javascript:...)`` stays
words), and only http(s) addresses become links. A reader sees no routine diagnostics: when
items were dropped or withheld, one closing line says how many and points to the JSON
(``meta.warnings``), which keeps every entry.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from summarizer.diagnostics import left_out

if TYPE_CHECKING:
    from summarizer._briefing.schema import Briefing, Evidence

# "_" only at a word's edge: CommonMark never reads snake_case or file_names.txt as emphasis.
_INLINE_MARKUP = re.compile(r"([\\`*\[\]<>~]|(?<!\w)_|_(?!\w))")
# What opens a block at the start of a line: a heading, quote, list item or rule.
_BLOCK_MARKUP = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def markdown_text(text: str) -> str:
    """``text`` as one line of literal Markdown: markup characters escaped, whitespace collapsed."""
    inline = _INLINE_MARKUP.sub(r"\\\1", " ".join(text.split()))
    return _BLOCK_MARKUP.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", inline)


def web_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) address, else None: ``javascript:`` and ``data:`` never become links."""
    if not url or any(ch.isspace() or ch in '<>"\\`' for ch in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def briefing_markdown(briefing: Briefing) -> str:
    """Headline, bottom line, cited key points, positions, quotes, people and source; then what was left out."""
    md = markdown_text
    lines = [f"# {md(briefing.headline)}", "", md(briefing.summary), ""]
    if briefing.key_points:
        lines += ["## Key points", ""]
        lines += [f"- {md(p.text)} {_cited(p.evidence)}" for p in briefing.key_points]
        lines.append("")
    if briefing.positions:
        lines += ["## Positions", ""]
        lines += [f"- **{md(p.actor)}**: {md(p.stance)} {_cited(p.evidence)}" for p in briefing.positions]
        lines.append("")
    if briefing.quotes:
        lines += ["## Quotes", ""]
        lines += [f"> \u201c{md(q.text)}\u201d \u2014 {md(q.speaker)}" for q in briefing.quotes]
        lines.append("")
    people = [e for e in briefing.entities if e.type.value == "person"]
    if people:
        lines += ["## People", ""]
        lines += [f"- {md(e.name)}" + (f", {md(e.role)}" if e.role else "") for e in people]
        lines.append("")
    source = briefing.source
    facts = [md(x) for x in (source.title, source.outlet, source.byline) if x]
    facts += [source.published.isoformat()] if source.published else []
    facts += [f"<{url}>"] if (url := web_url(source.url)) else []
    if facts:
        lines += ["## Source", "", " \u00b7 ".join(facts), ""]
    if note := left_out(briefing.meta.warnings):
        lines += [f"*{md(note)}*", ""]
    return "\n".join(lines)


def _cited(evidence: list[Evidence]) -> str:
    return f"[{', '.join(f'S{e.sentence_id}' for e in evidence)}]"
