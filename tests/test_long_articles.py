"""Articles longer than the model's context are briefed in parts, cited against the whole text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarizer._briefing.parts import estimated_tokens, split_parts
from summarizer._briefing.schema import Briefing
from summarizer.client import Summarizer
from summarizer.errors import InputError
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.testing.stub_model import stub_model_server

from .digest_support import stub_settings
from .long_article import long_article


def test_parts_cover_every_sentence_once_in_order_within_the_budget() -> None:
    article = Article.from_text(long_article())
    grounded = GroundedText(article.text)
    parts = split_parts(grounded.sentences, article.text, 5000)
    assert len(parts) > 5
    assert [s.id for part in parts for s in part] == [s.id for s in grounded.sentences]
    assert all(sum(estimated_tokens(s.text) + 4 for s in part) <= 5000 for part in parts)
    # parts end at paragraph breaks where one is near
    ends = [part[-1] for part in parts[:-1]]
    assert all("\n" in article.text[end.end : end.end + 3] for end in ends)


def test_a_30000_word_article_is_briefed_in_parts_with_whole_text_ids(tmp_path: Path) -> None:
    article = Article.from_text(long_article())
    assert len(article.text.split()) >= 30_000
    with stub_model_server() as stub, Summarizer(stub_settings(stub.url, tmp_path)) as client:
        briefing = client.brief(article)
    parts = len(stub.requests)
    assert parts > 5 and briefing.meta.strategy == "write" and briefing.meta.parts == parts
    for request in stub.requests:  # no request carries more than a part
        shown = "".join(m["content"] for m in request["messages"])
        assert estimated_tokens(shown) < 5000 + 1000
    Briefing.model_validate(briefing.model_dump(), context={"article": GroundedText(article.text)})
    cited = sorted(e.sentence_id for p in briefing.key_points for e in p.evidence)
    assert cited[0] < 10 and cited[-1] > 100, "key points should come from early and late parts"
    labels = [int(x) for r in stub.requests for x in re.findall(r"^\[S(\d+)\]", r["messages"][1]["content"], re.M)]
    assert sorted(labels) == list(range(1, len(GroundedText(article.text).sentences) + 1))  # each shown once


def test_a_sentence_longer_than_a_request_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    endless = "word " * 40_000  # 200,000 characters and not one sentence break
    with Summarizer(stub_settings("http://127.0.0.1:9/v1", tmp_path)) as client:
        with pytest.raises(InputError, match="needs sentence breaks"):
            client.brief(endless)
