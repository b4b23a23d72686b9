"""YAML to plain data, safely, with libyaml's C parser and a faster construction step.

PyYAML's ``CSafeLoader`` parses in C but builds Python objects in Python, one
``construct_object`` call per node; for large specs that step costs more than the
parsing. :func:`load_all` composes the same nodes with the same loader and builds the
common nodes directly: strings, decimal integers, booleans, nulls, plain mappings and
sequences. Everything else (floats, timestamps, octal or sexagesimal integers, merge
keys, binary, sets, unhashable keys …) goes to PyYAML's own safe constructor, so the
result is what ``yaml.load_all(text, Loader=yaml.CSafeLoader)`` returns. Aliases stay
shared objects, never copies, so an alias bomb stays small.

Without libyaml this falls back to ``yaml.SafeLoader`` (pure Python) and says so.
"""

from __future__ import annotations

import re
from typing import Any

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


def has_c_loader() -> bool:
    """Whether PyYAML was built with libyaml (``yaml.CSafeLoader`` exists)."""
    import yaml

    return hasattr(yaml, "CSafeLoader")


def load_all(text: str) -> list[Any]:
    """The plain data of every document in ``text``, as ``yaml.safe_load_all`` gives it.

    >>> load_all("a: [1, true, null, 'x', 1.5, 010]\\n---\\nb: &n {c: 2}\\nd: *n\\n")
    [{'a': [1, True, None, 'x', 1.5, 8]}, {'b': {'c': 2}, 'd': {'c': 2}}]

    :raises yaml.YAMLError: as PyYAML does for text that does not parse or construct.
    """
    import yaml

    if not has_c_loader():
        return list(yaml.load_all(text, Loader=yaml.SafeLoader))
    loader = _loader_class()(text)
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            documents.append(_Builder(loader).build(node))
            loader.constructed_objects = {}
            loader.recursive_objects = {}
        return documents
    finally:
        loader.dispose()


_LOADER: Any = None


def _loader_class() -> Any:
    """``yaml.CSafeLoader`` with a per-text cache of scalar tags, and without the path-resolver
    bookkeeping (no-ops unless path resolvers were added, which the safe loader never has)."""
    global _LOADER
    if _LOADER is None:
        import yaml
        from yaml.nodes import ScalarNode

        base = yaml.CSafeLoader
        plain = not base.yaml_path_resolvers
        base_resolve: Any = base.resolve

        class Loader(base):  # type: ignore[misc, valid-type]
            def __init__(self, stream: str) -> None:
                super().__init__(stream)
                self.tags: dict[tuple[str, Any], str] = {}

            if plain:

                def descend_resolver(self, current_node: Any, current_index: Any) -> None:
                    pass

                def ascend_resolver(self) -> None:
                    pass

            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                if kind is not ScalarNode:
                    return base_resolve(self, kind, value, implicit)  # type: ignore[no-any-return]
                key = (value, implicit)
                tag = self.tags.get(key)
                if tag is None:
                    tag = self.tags[key] = base_resolve(self, kind, value, implicit)
                return tag

        _LOADER = Loader
    return _LOADER


class _Builder:
    def __init__(self, loader: Any) -> None:
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.loader = loader
        self.memo: dict[int, Any] = {}
        self.scalar, self.sequence, self.mapping = ScalarNode, SequenceNode, MappingNode

    def build(self, node: Any) -> Any:
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        kind, tag = node.__class__, node.tag
        if kind is self.scalar:
            value = node.value
            if tag == _STR:
                result: Any = value
            elif tag == _INT and value.isdigit() and (value[0] != "0" or value == "0"):
                result = int(value)
            elif tag == _BOOL:
                result = self.loader.bool_values[value.lower()]
            elif tag == _NULL:
                result = None
            else:
                result = self.loader.construct_object(node, deep=True)
        elif kind is self.sequence and tag == _SEQ:
            result = self.memo[key] = []
            result.extend(self.build(item) for item in node.value)
        elif kind is self.mapping and tag == _MAP and all(k.tag != _MERGE for k, _ in node.value):
            result = self.memo[key] = {}
            for key_node, value_node in node.value:
                name = self.build(key_node)
                if isinstance(name, list | dict):  # unhashable: let PyYAML raise its located error
                    return self.loader.construct_object(node, deep=True)
                result[name] = self.build(value_node)
        else:
            result = self.loader.construct_object(node, deep=True)
        self.memo[key] = result
        return result


# ---------------------------------------------------------------- the plain subset, without PyYAML

_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-]*):(?: +|$)")
_BLOCK_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.,()/+\- ]*")
_FLOW_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(?: [A-Za-z0-9_.\-]+)*")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_COUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?[KMGTkmgt]")
_TRUE = frozenset({"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
_FALSE = frozenset({"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
_NULLS = frozenset({"null", "Null", "NULL"})


class _Unsupported(Exception):
    """Outside the plain subset: PyYAML decides."""


def load_all_plain(text: str) -> list[Any] | None:
    """The documents of ``text`` when it is written in the plain subset of YAML that specs use,
    without importing PyYAML; ``None`` when it is not, and PyYAML must read it.

    The subset: block mappings with simple keys, block sequences (of flow values or compact
    mappings), one-line flow collections, comments, ``---`` between documents, and scalars
    that are words, names with spaces, decimal integers, counts such as ``600M``, booleans and
    nulls spelled as YAML 1.1 spells them, or quoted strings without escapes. Anything else,
    floats, anchors, tags, block scalars, tabs, multi-line values, errors of every kind,
    returns ``None``. Within the subset the result is what PyYAML's safe loader returns
    (property-tested against it), so the choice is invisible but for speed: PyYAML's import
    alone costs more than costing a network.

    >>> load_all_plain("name: net\\ninput: [3, 224, 224]\\nlayers:\\n  - {type: conv, out: 8, bias: true}\\n")
    [{'name': 'net', 'input': [3, 224, 224], 'layers': [{'type': 'conv', 'out': 8, 'bias': True}]}]
    >>> load_all_plain("ratio: 0.5\\n") is None
    True
    """
    try:
        return [_document(lines) for lines in _documents(text)]
    except (_Unsupported, IndexError, RecursionError):
        return None


def _documents(text: str) -> list[list[list[Any]]]:
    """The lines of each document as [indent, text] pairs, comments and blank lines left out."""
    documents: list[list[list[Any]]] = [[]]
    explicit = False
    for raw in text.split("\n"):
        if "\t" in raw or "\r" in raw or "\x00" in raw:
            raise _Unsupported
        line = raw.rstrip(" ")
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        if line == "---" or line.startswith("--- #"):
            if documents[-1] or explicit:
                documents.append([])
            explicit = True
            continue
        if line.startswith(("---", "...", "%")):
            raise _Unsupported
        if "#" in body:
            cut = body.find(" #")
            if cut >= 0 and "'" not in body[:cut] and '"' not in body[:cut]:  # a comment, not in quotes
                body = body[:cut].rstrip(" ")
            if "#" in body:
                raise _Unsupported
        documents[-1].append([len(line) - len(line.lstrip(" ")), body])
    if not documents[-1] and not explicit:
        documents.pop()
    return documents


def _document(lines: list[list[Any]]) -> Any:
    if not lines:
        return None
    if lines[0][0] != 0:
        raise _Unsupported
    value, end = _node(lines, 0, 0)
    if end != len(lines):
        raise _Unsupported
    return value


def _is_item(body: str) -> bool:
    return body == "-" or body.startswith("- ")


def _node(lines: list[list[Any]], i: int, indent: int) -> tuple[Any, int]:
    body = lines[i][1]
    if _is_item(body):
        return _sequence(lines, i, indent)
    if _KEY.match(body):
        return _mapping(lines, i, indent)
    value = _inline(body)
    return value, i + 1


def _mapping(lines: list[list[Any]], i: int, indent: int) -> tuple[dict[Any, Any], int]:
    result: dict[Any, Any] = {}
    while i < len(lines) and lines[i][0] == indent and not _is_item(lines[i][1]):
        match = _KEY.match(lines[i][1])
        if match is None:
            raise _Unsupported
        key = _resolve(match.group(1))
        rest = lines[i][1][match.end() :]
        i += 1
        if rest:
            value = _inline(rest)
        elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and _is_item(lines[i][1]))):
            value, i = _node(lines, i, lines[i][0])
        else:
            value = None
        if isinstance(key, list | dict):
            raise _Unsupported
        result[key] = value
    if i < len(lines) and lines[i][0] > indent:
        raise _Unsupported
    return result, i


def _sequence(lines: list[list[Any]], i: int, indent: int) -> tuple[list[Any], int]:
    result: list[Any] = []
    while i < len(lines) and lines[i][0] == indent and _is_item(lines[i][1]):
        item = lines[i][1][1:]
        text = item.lstrip(" ")
        if not text or text.startswith("-"):
            raise _Unsupported
        if _KEY.match(text):  # a compact mapping: its keys line up after the dash
            lines[i] = [indent + 1 + len(item) - len(text), text]
            value, i = _mapping(lines, i, lines[i][0])
        else:
            value, i = _inline(text), i + 1
        result.append(value)
    if i < len(lines) and lines[i][0] > indent:
        raise _Unsupported
    return result, i


def _inline(text: str) -> Any:
    if text[0] in "[{":
        value, end = _flow(text, 0)
        if end != len(text):
            raise _Unsupported
        return value
    if text[0] in "'\"":
        return _quoted(text)
    if _BLOCK_PLAIN.fullmatch(text) is None or text.endswith(":"):
        raise _Unsupported
    return _resolve(text)


def _quoted(text: str) -> str:
    quote = text[0]
    if len(text) < 2 or text[-1] != quote or quote in text[1:-1] or "\\" in text:
        raise _Unsupported
    return text[1:-1]


def _spaces(text: str, j: int) -> int:
    while j < len(text) and text[j] == " ":
        j += 1
    return j


def _flow(text: str, j: int) -> tuple[Any, int]:
    opening = text[j]
    if opening in "[{":
        closing = "]" if opening == "[" else "}"
        items: list[Any] = []
        pairs: dict[Any, Any] = {}
        j = _spaces(text, j + 1)
        if text[j] == closing:
            return (items if opening == "[" else pairs), j + 1
        while True:
            if opening == "[":
                value, j = _flow(text, j)
                items.append(value)
            else:
                key, j = _flow_scalar(text, j)
                if text[j] != ":" or text[j + 1] != " ":
                    raise _Unsupported
                pairs[key], j = _flow(text, _spaces(text, j + 1))
            j = _spaces(text, j)
            if text[j] == closing:
                return (items if opening == "[" else pairs), j + 1
            if text[j] != ",":
                raise _Unsupported
            j = _spaces(text, j + 1)
            if text[j] == closing:  # a trailing comma
                raise _Unsupported
    return _flow_scalar(text, j)


def _flow_scalar(text: str, j: int) -> tuple[Any, int]:
    if text[j] in "'\"":
        end = text.find(text[j], j + 1)
        if end < 0:
            raise _Unsupported
        return _quoted(text[j : end + 1]), end + 1
    match = _FLOW_PLAIN.match(text, j)
    if match is None:
        raise _Unsupported
    return _resolve(match.group()), match.end()


def _resolve(plain: str) -> Any:
    """A plain scalar's value, as YAML 1.1 (PyYAML's resolver) reads the forms the subset admits."""
    if plain[0].isdigit():
        if _DECIMAL.fullmatch(plain):
            return int(plain)
        if _COUNT.fullmatch(plain):
            return plain
        raise _Unsupported
    if plain in _TRUE:
        return True
    if plain in _FALSE:
        return False
    if plain in _NULLS:
        return None
    return plain
