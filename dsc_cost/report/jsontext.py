"""JSON text for people and machines alike (the json module's encoder, laid out by hand)."""

from __future__ import annotations

import json

from .. import units

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
    _check_integers(document, "")
    out: list[str] = []
    _write_json(document, 0, inline_depth, out)
    out.append("\n")
    return "".join(out)


class RawJSON(str):
    """Text already encoded as one line of JSON; :func:`json_text` writes it as it is."""


def _write_json(value: object, depth: int, inline_depth: int, out: list[str]) -> None:
    if isinstance(value, RawJSON):
        out.append(value)
        return
    if type(value) is list and value and depth < inline_depth and all(type(item) is RawJSON for item in value):
        # lines already encoded (a network's layers, maybe 100,000 of them): laid out at once, not one by one
        pad = "  " * (depth + 1)
        lines = [",\n" + pad] * (2 * len(value) - 1)
        lines[::2] = value  # each line, and the separator between each two
        out.append("[\n" + pad)
        out += lines
        out.append("\n" + "  " * depth + "]")
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


def _check_integers(value: object, path: str) -> None:
    """:class:`~dsc_cost.units.TooLarge` naming the first integer of ``value`` too long to write."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_integers(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):  # text (a layer's line, already checked as it was written) holds none
                _check_integers(item, f"{path}[{index}]")
    elif isinstance(value, int) and not isinstance(value, bool) and not units.writable(value):
        raise units.TooLarge(
            f"value too large: {path} has more than {units.max_digits():,} digits, the most JSON is written with"
            " (counts there are exact)"
        )
