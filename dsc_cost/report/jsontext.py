"""JSON text for people and machines alike (the json module's encoder, laid out by hand)."""

from __future__ import annotations

import json

_INLINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def json_text(document: object, inline_depth: int = 4) -> str:
    """JSON for people and machines alike: keys in insertion order, non-ASCII kept, indented by
    two spaces, except that a list or mapping holding no other list or mapping, or nested
    ``inline_depth`` levels deep (one network layer), is written on one line.

    >>> print(json_text({"input": {"channels": 3}, "layers": [[1, 2]]}), end="")
    {
      "input": {"channels": 3},
      "layers": [
        [1, 2]
      ]
    }
    """
    out: list[str] = []
    _write_json(document, 0, inline_depth, out)
    return "".join(out) + "\n"


class RawJSON(str):
    """Text already encoded as one line of JSON; :func:`json_text` writes it as it is."""


def _write_json(value: object, depth: int, inline_depth: int, out: list[str]) -> None:
    if isinstance(value, RawJSON):
        out.append(value)
        return
    if isinstance(value, dict):
        items: list[tuple[str | None, object]] = list(value.items())
        opening, closing = "{", "}"
    elif isinstance(value, list):
        items = [(None, item) for item in value]
        opening, closing = "[", "]"
    else:
        out.append(_INLINE.encode(value))
        return
    if not items or depth >= inline_depth or not any(isinstance(v, dict | list | RawJSON) for _, v in items):
        out.append(_INLINE.encode(value))
        return
    pad = "  " * (depth + 1)
    out.append(opening + "\n")
    for index, (key, item) in enumerate(items):
        out.append(pad if key is None else f"{pad}{_INLINE.encode(key)}: ")
        _write_json(item, depth + 1, inline_depth, out)
        out.append(",\n" if index < len(items) - 1 else "\n")
    out.append("  " * depth + closing)
