"""Render the prompt templates in ``prompts/`` strictly, and version them by content.

The article comes first and the task last, so every step for one article shares a long prompt
prefix and llama.cpp's prompt cache reuses it instead of re-reading the article.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2

from summarizer._resources import data_dir
from summarizer.grounding import GroundedText
from summarizer.ingest.injection import addresses_a_model, neutralised
from summarizer.ingest.sentences import Sentence

WITHHELD = "(withheld: this sentence addresses an AI model, not the reader)"


@dataclass(frozen=True)
class LabelledArticle:
    """One article of a story as the model sees it: sentences labelled ``A1.S4``."""

    label: str
    title: str | None
    outlet: str | None
    sentences: list[tuple[str, str]]


@dataclass(frozen=True)
class Prompts:
    """The template set in one folder."""

    folder: Path

    @cached_property
    def _env(self) -> jinja2.Environment:
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folder),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )

    @cached_property
    def version(self) -> str:
        """A content hash of every template: changes whenever any prompt text changes."""
        digest = hashlib.sha256()
        for path in sorted(self.folder.glob("*.j2")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()[:12]

    def messages(
        self,
        task: str,
        article: GroundedText,
        title: str | None,
        part: list[Sentence] | None = None,
        **task_values: object,
    ) -> list[dict[str, str]]:
        """Chat messages for one step: rules, then the article (or the ``part`` of it shown), then the task.

        ``task_values`` fill the task template (the ids of the sentences to compress, for one).
        """
        withheld = set(article.withheld)
        shown = part or article.sentences
        sentences = [{"id": s.id, "text": WITHHELD if s.id in withheld else neutralised(s.text)} for s in shown]
        system = self._env.get_template("system.j2").render(first=shown[0].id, last=shown[-1].id)
        body = self._env.get_template("article.j2").render(title=_shown(title), sentences=sentences)
        instructions = self._env.get_template(f"{task}.j2").render(**task_values)
        return [{"role": "system", "content": system}, {"role": "user", "content": f"{body}\n\n{instructions}"}]

    def story_messages(self, articles: list[LabelledArticle]) -> list[dict[str, str]]:
        """Chat messages asking for one story from the labelled sentences of its articles."""
        shown = [
            {
                "label": a.label,
                "title": _shown(a.title),
                "outlet": _shown(a.outlet),
                "sentences": [{"label": label, "text": neutralised(text)} for label, text in a.sentences],
            }
            for a in articles
        ]
        system = self._env.get_template("story_system.j2").render()
        task = self._env.get_template("story.j2").render(articles=shown)
        return [{"role": "system", "content": system}, {"role": "user", "content": task}]

    def reask(self, messages: list[dict[str, str]], answer: str, problems: tuple[str, ...]) -> list[dict[str, str]]:
        """The original messages, the rejected answer and its problems: never a growing history."""
        correction = self._env.get_template("reask.j2").render(problems=problems)
        return [
            *(dict(m) for m in messages),
            {"role": "assistant", "content": answer},
            {"role": "user", "content": correction},
        ]


def default_prompts() -> Prompts:
    """The templates shipped with the package."""
    return Prompts(data_dir("prompts"))


def _shown(metadata: str | None) -> str | None:
    """A title or outlet as the model sees it: left out when it addresses the model, like a sentence."""
    return neutralised(metadata) if metadata and not addresses_a_model(metadata) else None
