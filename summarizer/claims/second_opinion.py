"""A model's second opinion on claims the checker has judged: one structured question per claim.

The checker reads the article's parse and asks no model; where a backend is strong, a model may
be asked too (issue 19: "measured separately and never required"). Each claim whose score lies
in :data:`BAND` is put to the model through the re-ask engine, shown only the claim and the
sentences the checker found as its evidence (``prompts/verify.j2``), never the whole article:
the question is whether these sentences say it, which is all a small model can judge, and a
short prompt keeps the cost per claim low. The model's answer then decides the claim's verdict;
its reason joins the problems. A claim without evidence is not asked: there is nothing to show.
The band is every score for now: docs/quality.md has the figures, from too few articles yet to
choose a narrower band (or a rule where the model may only reject) by.
"""

from __future__ import annotations

import dataclasses

from pydantic import BaseModel, ConfigDict, Field

from summarizer._briefing.asking import ReaskBounds, StructuredCall, ask
from summarizer.backends.base import Backend
from summarizer.claims.verdict import ClaimVerdict
from summarizer.grounding import GroundedText
from summarizer.ingest.injection import neutralised

BAND = (0.0, 1.0)
"""The checker scores (inclusive) of the claims put to the model: all, until measurement picks a band."""
MAX_TOKENS = 80
"""The answer's output token limit: a verdict and a reason of at most 15 words."""


class Opinion(BaseModel):
    """The model's answer about one claim: the reason first, so the verdict follows from it."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        max_length=300, description="What the sentences do not support, or empty if they support it all"
    )
    supported: bool = Field(description="Whether the sentences state everything the claim says")


def asked(verdict: ClaimVerdict, band: tuple[float, float] = BAND) -> bool:
    """Whether the model is asked about this claim: it has evidence and a score in ``band``."""
    return bool(verdict.evidence) and band[0] <= verdict.score <= band[1]


def question(article: GroundedText, verdict: ClaimVerdict, bounds: ReaskBounds) -> StructuredCall[Opinion]:
    """The model call about one claim: its evidence sentences (in article order), then the claim."""
    shown = sorted((s for s in article.sentences if s.id in verdict.evidence), key=lambda s: s.id)
    messages = bounds.prompts.messages("verify", article, None, part=shown, claim=neutralised(verdict.claim))
    return StructuredCall(messages, Opinion, None, MAX_TOKENS)


def with_opinion(verdict: ClaimVerdict, opinion: Opinion | None) -> ClaimVerdict:
    """The verdict once the model has spoken: its opinion decides, and its reason joins the problems.

    No opinion (not asked, or no valid answer after re-asks) leaves the checker's verdict as it is.
    """
    if opinion is None:
        return verdict
    reason = opinion.reason.strip() or "no reason given"
    problems = verdict.problems if opinion.supported else (*verdict.problems, f"the model: {reason}")
    return dataclasses.replace(verdict, supported=opinion.supported, problems=problems, model_opinion=opinion.supported)


def second_opinion(
    article: GroundedText,
    verdicts: list[ClaimVerdict],
    backend: Backend,
    bounds: ReaskBounds,
    band: tuple[float, float] = BAND,
) -> list[ClaimVerdict]:
    """``verdicts`` with the model's opinion on each claim in ``band`` (one request each, in order)."""
    chosen = [i for i, verdict in enumerate(verdicts) if asked(verdict, band)]
    answers = ask([question(article, verdicts[i], bounds) for i in chosen], backend, bounds)
    opinions = {i: answer.draft for i, answer in zip(chosen, answers, strict=True)}
    return [with_opinion(verdict, opinions.get(i)) for i, verdict in enumerate(verdicts)]
