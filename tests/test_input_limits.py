"""Item 3 of issue 20: ``max_input_bytes`` holds for every source, not only files.

Hand-written fictional text. The NLP stage's cost grows with the text, so text given in memory,
an :class:`Article` built by hand and a JSON record are refused before any work is done on them.
"""

from __future__ import annotations

import pytest

from summarizer.client import Summarizer
from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import check_text_size
from summarizer.settings import Settings

SENTENCE = "The ferry from Orrin Point ran late on Tuesday after a fog bank closed the narrows.\n"


def test_text_over_the_limit_is_an_input_error_before_any_work() -> None:
    with Summarizer(Settings(model="extractive", max_input_bytes=2_000)) as summarizer:
        with pytest.raises(InputError, match="over the 2,000-byte limit") as raised:
            summarizer.brief(SENTENCE * 40)
        assert "max_input_bytes" in str(raised.value)
        assert summarizer.brief(SENTENCE * 10).headline  # under the limit: briefed


def test_an_article_built_by_hand_is_held_to_the_limit_too() -> None:
    article = Article(text=SENTENCE * 40)
    with Summarizer(Settings(model="extractive", max_input_bytes=2_000)) as summarizer:
        with pytest.raises(InputError, match="the article's text is .* over the 2,000-byte limit"):
            summarizer.brief(article)


def test_article_from_text_takes_the_settings_default_and_an_explicit_limit() -> None:
    with pytest.raises(InputError, match="over the 500-byte limit"):
        Article.from_text(SENTENCE * 10, max_bytes=500)
    with pytest.raises(InputError, match="over the 2,000,000-byte limit"):
        Article.from_text(SENTENCE * 30_000)  # 2.5 MB: over Settings.max_input_bytes
    assert Article.from_text(SENTENCE * 5, max_bytes=500).text


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    accented = "\u00e9" * 300  # 300 characters, 600 bytes
    check_text_size(accented, 600)
    with pytest.raises(InputError, match="600 bytes, over the 599-byte limit"):
        check_text_size(accented, 599)


def test_a_record_is_held_to_the_limit_it_is_given() -> None:
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        Article.from_record({"text": SENTENCE * 20}, max_bytes=1_000)
