"""The OpenAI Batch JSONL files: request lines out, result lines in.

Both the OpenAI Batch API and vLLM's ``run_batch`` read one request per line
(``custom_id``, ``method``, ``url``, ``body``) and write one result per line, in any order,
joined back on ``custom_id``. A result is an answer (``response.body`` with status 200) or a
failure: OpenAI puts failures in a separate error file with a non-200 ``response``; vLLM
writes them into the same output file with an ``error`` field. Both are read here the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.atomic import atomic_text
from summarizer.errors import InputError

CHAT_COMPLETIONS = "/v1/chat/completions"


def request_line(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """One line of a batch input file."""
    return {"custom_id": custom_id, "method": "POST", "url": CHAT_COMPLETIONS, "body": body}


def write_lines(path: Path, lines: Iterable[dict[str, Any]]) -> int:
    """Write JSONL atomically (a reader never sees half a file); returns the number of lines."""
    count = 0
    with atomic_text(path) as stream:
        for line in lines:
            stream.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count


@dataclass(frozen=True)
class BatchResult:
    """One request's outcome: the chat completion, or why there is none."""

    custom_id: str
    completion: dict[str, Any] | None
    error: str | None


def read_results(path: Path) -> tuple[list[BatchResult], list[str]]:
    """The results in a batch output (or error) file, and the lines that could not be read.

    A damaged line is reported and skipped rather than failing the file: its request simply
    has no result yet and is exported again.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no results file at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the results file {path}: {exc}") from exc
    results: list[BatchResult] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            results.append(_result(json.loads(line)))
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"line {number}: {exc}")
        except RecursionError:  # the decoder recurses per level of nesting
            problems.append(f"line {number}: nested too deeply to be a batch result")
    if not results and problems:
        raise InputError(f"{path} holds no batch results: {problems[0]}")
    return results, problems


def _result(row: Any) -> BatchResult:
    if not isinstance(row, dict) or not isinstance(row.get("custom_id"), str):
        raise KeyError("not a batch result (no custom_id)")
    custom_id = row["custom_id"]
    response = row.get("response") or {}
    if not isinstance(response, dict):
        raise TypeError(f"{custom_id}: the response is not an object")
    status = response.get("status_code", 200 if response else None)
    body = response.get("body")
    if row.get("error") is None and status == 200 and isinstance(body, dict) and body.get("choices"):
        return BatchResult(custom_id, body, None)
    return BatchResult(custom_id, None, _failure(row.get("error"), status, body))


def _failure(error: Any, status: Any, body: Any) -> str:
    """The reason a request failed, from whichever of the fields the engine filled in."""
    if isinstance(error, dict):
        error = error.get("message") or error.get("code") or json.dumps(error)
    if not error and isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"].get("message")
    reason = str(error) if error else "no answer in the result"
    return f"status {status}: {reason}" if status not in (None, 200) else reason
