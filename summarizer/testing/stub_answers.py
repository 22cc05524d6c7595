"""What the stub model answers: the requested JSON schema filled with the request's own first sentences.

It reads the labelled sentences (``[S4] ...`` or ``[A2.S4] ...``) out of the request, so every
answer is valid and grounded without a model, and spoils an answer on demand (truncated JSON,
JSON that breaks the schema, sentence ids that do not exist, a refusal) for the fault tests.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

_LABELLED = re.compile(r"^\[((?:A\d+\.)?S\d+)\] (.+)$", re.MULTILINE)
_TITLE = re.compile(r"^Title: (.+)$", re.MULTILINE)


def completion(request: dict[str, Any], fault: str | None, completion_id: str) -> dict[str, Any]:
    """The chat completion for one request, spoiled as ``fault`` says (answer faults only)."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    title = _TITLE.search(user)
    filled = fill(_properties(request), _LABELLED.findall(user), title[1] if title else None)
    content = json.dumps(filled)
    if fault == "truncated":
        content = content[: len(content) // 2]
    elif fault == "schema":
        content = json.dumps({"headline": 42, "developments": "none", "people": "nobody"})
    elif fault == "bad-ids":
        content = json.dumps(_invent_ids(filled))
    elif fault == "refusal":
        content = "I'm sorry, but I can't help with that request."
    words = sum(len(str(m.get("content", "")).split()) for m in request["messages"])
    message: dict[str, Any] = {"role": "assistant", "content": content}
    tool = _tool(request)
    if tool is not None and fault != "refusal":  # tool calling (openai/<model>): the answer is the call's arguments
        call = {"id": f"call-{completion_id}", "type": "function", "function": {"name": tool, "arguments": content}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return {
        "id": completion_id, "object": "chat.completion", "created": int(time.time()),
        "model": request.get("model", "stub"),
        "choices": [{"index": 0, "finish_reason": "tool_calls" if "tool_calls" in message else "stop",
                     "message": message}],
        "usage": {"prompt_tokens": words, "completion_tokens": len(content.split()),
                  "total_tokens": words + len(content.split())},
    }  # fmt: skip


def _properties(request: dict[str, Any]) -> set[str]:
    if _tool(request) is not None:
        schema = request["tools"][0]["function"].get("parameters", {})
    else:
        schema = request.get("response_format", {}).get("json_schema", {}).get("schema", {})
    return set(schema.get("properties", {}))


def _tool(request: dict[str, Any]) -> str | None:
    """The function a tool-calling request asks to be called, if it is one."""
    tools = request.get("tools") or []
    return str(tools[0]["function"]["name"]) if tools else None


def fill(properties: set[str], sentences: list[tuple[str, str]], title: str | None) -> dict[str, Any]:
    """An answer for a schema with ``properties``, made of the first sentences, cited by label."""
    first = [(label, text) for label, text in sentences if not text.startswith("(withheld")][:3] or sentences[:1]
    cite = (lambda label: int(label[1:])) if first and first[0][0].startswith("S") else (lambda label: label)
    answer: dict[str, Any] = {}
    if "headline" in properties:
        answer["headline"] = (title or (first[0][1] if first else "Untitled"))[:95]
        answer["summary"] = first[0][1][:395] if first else "No text."
    if "key_points" in properties:
        answer["key_points"] = [{"text": text[:195], "sentences": [cite(label)]} for label, text in first]
        answer["positions"] = []
    if "developments" in properties:
        by_article = {label.split(".")[0]: (label, text) for label, text in reversed(sentences)}
        answer["developments"] = [{"text": text[:195], "sources": [label]} for label, text in by_article.values()][:5]
        answer["positions"] = []
    if "people" in properties:
        answer.update(people=[], organizations=[], places=[])
    return answer


def _invent_ids(answer: dict[str, Any]) -> dict[str, Any]:
    """The same answer citing sentences that do not exist and naming someone the text does not."""
    spoiled: dict[str, Any] = json.loads(json.dumps(answer))
    for point in spoiled.get("key_points", []):
        point["sentences"] = [999]
        point["text"] = "Officials announced 77 new measures."
    for item in spoiled.get("developments", []):
        item["sources"] = ["A999.S999"]
        item["text"] = "Officials announced 77 new measures."
    if "people" in spoiled:
        spoiled["people"] = [{"name": "Zebulon Quartermaine", "role": None}]
    return spoiled
