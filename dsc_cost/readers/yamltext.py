"""YAML and JSON text as specs and device files are read: parsed safely (no tags that construct objects, aliases
shared and never copied, nesting deeper than :data:`MAX_DEPTH` refused before the C parser sees it, a key given
twice an error, lone surrogates refused), and positions found only where a problem is to be shown: the fast path
parses to plain data (PyYAML, with libyaml's C parser where it is present; the ``json`` module for ``.json``), and
only when a problem is found is the text composed again, with libyaml's marks, by a :class:`Positions`. What a
file holds is described by kind (:func:`kind`, :func:`describe`), never quoted when it may not be a spec.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from ..errors import Located, Path_, Problem, SpecError, shorten

MAX_NAME = 1_000
"""The longest name a layer may have, in characters (its copies' names repeat it)."""

MAX_DEPTH = 200
"""The deepest nesting of YAML collections a spec may have."""


# ---------------------------------------------------------------- field values


def kind(value: object) -> str:
    """What kind of value ``value`` is, never what it holds: for what may not be a spec at all.

    >>> kind("root:x:0:0"), kind([1, 2]), kind({"a": 1}), kind(None)
    ('a string', 'a list of 2 items', 'a mapping', 'nothing (null)')
    """
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _unquoted(message: str) -> str:
    """A parser's message about a file that may not be a spec, cut before any quote: a quote shows the file's
    text (``not valid YAML: found character '\\t'…`` → ``not valid YAML``)."""
    first = min((i for i in (message.find("'"), message.find('"')) if i >= 0), default=-1)
    if first < 0:
        return message
    return message[:first].partition(":")[0]


def describe(value: object) -> str:
    """A short, safe description of what was found (never the whole of a large value, never a
    control character: strings are shown escaped).

    >>> describe("x\\x1b[31mRED"), describe([1, "a"]), describe({"a": 1})
    ("'x\\\\x1b[31mRED'", "[1, 'a']", 'a mapping')
    """
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value.bit_length() < 64:
            return repr(value)
        sign = "a negative" if value < 0 else "an"
        try:
            return f"{sign} integer of {len(str(abs(value))):,} digits"
        except ValueError:  # more digits than Python converts
            return f"{sign} integer too long to show"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return shorten(repr(value if len(value) <= 100 else value[:100]))  # never the whole of a long one
    if isinstance(value, list):
        if 0 < len(value) <= 4 and all(v is None or isinstance(v, bool | int | float | str) for v in value):
            return "[" + ", ".join(describe(v) for v in value) + "]"
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _key(key: object) -> str:
    """A mapping key as a message shows it: as written when it is a plain word, escaped otherwise."""
    if isinstance(key, str) and key.isprintable() and key.strip() == key and key:
        return shorten(key)
    return shorten(repr(key)) if isinstance(key, str) else describe(key)


class _Where:
    """``layers[3] (conv2)``, spelled out only when a problem needs it."""

    __slots__ = ("index", "item")

    def __init__(self, index: int, item: dict[Any, Any]) -> None:
        self.index, self.item = index, item

    def __str__(self) -> str:
        name = self.item.get("name")
        if isinstance(name, str) and len(name) <= MAX_NAME and name.isprintable():
            return f"layers[{self.index}] ({shorten(name)})"
        return f"layers[{self.index}]"


# ---------------------------------------------------------------- reading and parsing


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_BRACKET = re.compile(r"[\[\]{}]")
_INNERMOST = re.compile(r"\[\]|\{\}")
_DEEP_BLOCK = re.compile(rf"^[ \t]{{{4 * MAX_DEPTH},}}|(?:-[ \t]+){{{MAX_DEPTH},}}", re.M)


def _too_deep(text: str) -> int | None:
    """The offset where flow or block nesting first exceeds :data:`MAX_DEPTH`, if it does.

    A cheap scan that may overcount (brackets inside quoted strings count too); it exists
    so that libyaml's recursive C parser never sees a nesting bomb. The common case costs a
    few regular-expression passes: each removes the innermost bracket pairs, so brackets
    that vanish in a few passes nest shallowly; otherwise they are walked one by one (which
    stops at once on a bomb). Deep block nesting needs long lines: only those are searched."""
    brackets = "".join(_BRACKET.findall(text))
    for _ in range(8):
        if not brackets:
            break
        brackets = _INNERMOST.sub("", brackets)
    if brackets:
        depth = 0
        for match in _BRACKET.finditer(text):
            depth += 1 if match.group() in "[{" else -1
            if depth > MAX_DEPTH:
                return match.start()
    if max(map(len, text.splitlines()), default=0) >= 2 * MAX_DEPTH:
        deep = _DEEP_BLOCK.search(text)
        if deep:
            return deep.start()
    return None


_NOT_YAML_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character that YAML text may not hold (PyYAML's reader refuses the same)."""


class _Duplicate(NamedTuple):
    """A key given twice in one mapping: where the mapping sits, the key, and both places (line, column)."""

    document: int
    path: Path_
    key: object
    at: tuple[int, int]
    first: tuple[int, int]


class _Parsed(NamedTuple):
    documents: list[Any]
    duplicates: list[_Duplicate]


def _not_valid(file: str, text: str, offset: int, what: str) -> SpecError:
    line, column = _position(text, offset)
    return SpecError([Located(file, line, column, "", "", what)])


_Each = Callable[[int, Any, Any], None]
"""What hears of each document as soon as it is built: its index, its data and its composed node."""


def _parse(text: str, file: str, warn: Callable[[str], None] | None = None, each: _Each | None = None) -> _Parsed:
    """Plain data of every document in ``text``, and every key given twice in a mapping; raises
    :class:`SpecError` when it does not parse. ``each`` hears of each document as soon as it is
    built (with its node, for YAML; ``None`` for JSON), and may stop the parse by raising."""
    if file.endswith(".json"):
        parsed = _parse_json(text, file)
        if each is not None:
            each(0, parsed.documents[0], None)
        return parsed
    bad = _NOT_YAML_TEXT.search(text)
    if bad is not None:
        code = ord(bad.group())
        kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
        raise _not_valid(file, text, bad.start(), f"not valid YAML: the {kind} U+{code:04X} is not allowed")
    deep = _too_deep(text)
    if deep is not None:
        raise _not_valid(file, text, deep, f"nesting deeper than {MAX_DEPTH} levels: not a network spec")
    import yaml

    if warn is not None and not has_c_loader():
        warn("PyYAML was built without libyaml: reading YAML with its slower pure-Python loader")
    try:
        return _load_yaml(text, each)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join((error.problem or error.context or "").split())
        raise SpecError([Located(file, line, column, "", "", f"not valid YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise SpecError([Located(file, 1, 1, "", "", f"not valid YAML: {' '.join(str(error).split())}")]) from None
    except RecursionError:
        raise SpecError([Located(file, 1, 1, "", "", "nesting too deep to parse")]) from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise SpecError([Located(file, 1, 1, "", "", f"not valid YAML: {error}")]) from None


def _parse_json(text: str, file: str) -> _Parsed:
    """The one document of a JSON text; a key given twice is found again by composing the text as
    YAML (JSON is YAML's flow style), which knows where each key is."""
    twice = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal twice
        mapping = dict(items)
        if len(mapping) < len(items):
            twice = True
        return mapping

    try:
        document = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise SpecError([Located(file, error.lineno, error.colno, "", "", f"not valid JSON: {error.msg}")]) from None
    except RecursionError:
        raise SpecError([Located(file, 1, 1, "", "", "nesting too deep to parse")]) from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise SpecError([Located(file, 1, 1, "", "", f"not valid JSON: {error}")]) from None
    if _SURROGATE_ESCAPE.search(text):
        _no_lone_surrogates(text, file, document)
    duplicates: list[_Duplicate] = []
    if twice:
        try:
            duplicates = _load_yaml(text).duplicates
        except Exception:  # a JSON text that YAML does not read: no positions
            duplicates = []
        if not duplicates:
            duplicates = [_Duplicate(0, (), "", (1, 1), (1, 1))]
    return _Parsed([document], duplicates)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A JSON escape of half of a UTF-16 pair: two make one character, one alone is none (YAML refuses it)."""


def _no_lone_surrogates(text: str, file: str, document: Any) -> None:
    """Refuse every string of a JSON document (a key or a value) that holds a lone surrogate, at its place: it
    is not a character, and no output (a table, JSON, a report, a baseline) could write it as UTF-8.

    :raises SpecError: one located line for each such string."""
    problems: list[Problem] = []
    stack: list[tuple[Any, Path_]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    problems.append(_surrogate_problem(path, key, key, at_key=True))
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
        elif isinstance(value, str) and _SURROGATE.search(value):
            problems.append(_surrogate_problem(path[:-1], path[-1] if path else "", value))
    if problems:
        problems.sort(key=lambda p: [str(part) for part in p.path])
        # placed in the text with each such escape written as U+FFFD (as long): YAML, which places them, refuses them
        positions = Positions(_SURROGATE_ESCAPE.sub(r"\\ufffd", text), file)
        raise SpecError(sorted(positions.locate(problems), key=lambda p: (p.line, p.column)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_problem(path: Path_, key: str | int, value: str, at_key: bool = False) -> Problem:
    code = ord(_SURROGATE.search(value).group())  # type: ignore[union-attr]  # found by the caller
    where = f"layers[{path[1]}]" if len(path) >= 2 and path[0] == "layers" and isinstance(path[1], int) else ""
    inner = path[2:] if where else path
    field_ = ".".join(_key(p) if isinstance(p, str) else f"[{p}]" for p in (*inner, key) if p != "")
    message = (
        f"expected text, found {describe(value)}: the lone surrogate U+{code:04X} (half of a UTF-16 pair) is not a"
        " character, and no output could write it"
    )
    placed = tuple(_SURROGATE.sub("\ufffd", p) if isinstance(p, str) else p for p in (*path, key) if p != "")
    return Problem(0, placed, where, field_, message, at_key)  # placed in the text where they are U+FFFD


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


def load_yaml(text: str) -> list[Any]:
    """The plain data of every document in ``text``, as ``yaml.safe_load_all`` gives it: PyYAML
    parses and composes (with libyaml's ``CSafeLoader`` when there is one), and the common nodes
    are built here, faster than PyYAML's constructor builds them (a key given twice: the last
    wins, as in PyYAML; :func:`load_text` refuses it).

    >>> load_yaml("a: [1, true, null, 'x', 1.5, 010]\\n---\\nb: &n {c: 2}\\nd: *n\\n")
    [{'a': [1, True, None, 'x', 1.5, 8]}, {'b': {'c': 2}, 'd': {'c': 2}}]

    :raises yaml.YAMLError: as PyYAML does for text that does not parse or construct.
    """
    return _load_yaml(text).documents


def _load_yaml(text: str, each: _Each | None = None) -> _Parsed:
    loader = _loader_class(has_c_loader())(text)
    try:
        documents: list[Any] = []
        duplicates: list[_Duplicate] = []
        while loader.check_node():
            node = loader.get_node()
            builder = _Builder(loader)
            documents.append(builder.build(node))
            if each is not None:
                each(len(documents) - 1, documents[-1], node)
            if builder.twice:
                duplicates += _duplicates(len(documents) - 1, node, builder)
            loader.constructed_objects = {}
            loader.recursive_objects = {}
        return _Parsed(documents, duplicates)
    finally:
        loader.dispose()


def _compose(text: str) -> Iterator[Any]:
    """The composed node of each document of ``text`` in turn, with its marks (as many as compose)."""
    import yaml

    loader = _loader_class(has_c_loader())(text)
    try:
        while loader.check_node():
            yield loader.get_node()
    except (yaml.YAMLError, RecursionError, ValueError):
        return
    finally:
        loader.dispose()


_LOADERS: dict[bool, Any] = {}


def _loader_class(c: bool) -> Any:
    """``yaml.CSafeLoader`` (``c``) or ``yaml.SafeLoader`` with a per-text cache of scalar tags, and
    without the path-resolver bookkeeping (no-ops unless path resolvers were added, which the safe
    loader never has)."""
    if c not in _LOADERS:
        import yaml
        from yaml.nodes import ScalarNode

        base = yaml.CSafeLoader if c else yaml.SafeLoader
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

        _LOADERS[c] = Loader
    return _LOADERS[c]


class _Builder:
    def __init__(self, loader: Any) -> None:
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.loader = loader
        self.memo: dict[int, Any] = {}
        self.scalar, self.sequence, self.mapping = ScalarNode, SequenceNode, MappingNode
        self.twice: list[tuple[Any, Any, Any]] = []  # (mapping node, first key node, second key node)

    def build(self, node: Any) -> Any:
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        kind, tag = node.__class__, node.tag
        if kind is self.scalar:
            value = node.value
            try:
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
            except (
                Exception
            ) as error:  # !!int abc, !!bool maybe, !!timestamp name: whatever the tag's constructor raises
                from yaml.constructor import ConstructorError

                kind_name = tag.rsplit(":", 1)[-1]
                if tag == _INT and value.lstrip("+-").isdigit():
                    problem = "an integer of more digits than can be read"
                elif isinstance(error, ValueError) and tag != _INT:
                    problem = f"{shorten(repr(value))} is not a valid {kind_name}: {shorten(str(error))}"
                else:
                    problem = f"{shorten(repr(value))} is not a valid {kind_name}"
                raise ConstructorError(None, None, problem, node.start_mark) from None
        elif kind is self.sequence and tag == _SEQ:
            result = self.memo[key] = []
            result.extend(self.build(item) for item in node.value)
        elif kind is self.mapping and tag == _MAP and all(k.tag != _MERGE for k, _ in node.value):
            result = self.memo[key] = {}
            for key_node, value_node in node.value:
                name = self.build(key_node)
                if isinstance(name, list | dict | set):  # unhashable: let PyYAML raise its located error
                    return self.loader.construct_object(node, deep=True)
                if name in result:  # given twice, unless only equal across types (1 and true)
                    same = (k for k, _ in node.value if type(self.build(k)) is type(name) and self.build(k) == name)
                    first = next(same)
                    if first is not key_node:
                        self.twice.append((node, first, key_node))
                result[name] = self.build(value_node)
        else:
            if kind is self.mapping:  # merge keys: PyYAML flattens them, and a key given twice is still one
                seen: dict[tuple[str, str], Any] = {}
                for key_node, _ in node.value:
                    if key_node.__class__ is self.scalar:
                        first = seen.setdefault((key_node.tag, key_node.value), key_node)
                        if first is not key_node:
                            self.twice.append((node, first, key_node))
            result = self.loader.construct_object(node, deep=True)
        self.memo[key] = result
        return result


def _key_of(builder: _Builder, node: Any) -> Any:
    """A mapping key as built (``<<``, a merge key, as written)."""
    return node.value if node.tag == _MERGE else builder.build(node)


def _duplicates(document: int, root: Any, builder: _Builder) -> list[_Duplicate]:
    """The keys given twice in the mappings of one document, each with the path of its mapping."""
    paths: dict[int, Path_] = {}
    stack: list[tuple[Any, Path_]] = [(root, ())]
    while stack:  # every node's first path (an alias is not walked twice)
        node, path = stack.pop()
        if id(node) in paths:
            continue
        paths[id(node)] = path
        if isinstance(node.value, list):
            for i, item in enumerate(node.value):
                if isinstance(item, tuple):  # a mapping's (key, value)
                    stack.append((item[1], (*path, _key_of(builder, item[0]))))
                else:
                    stack.append((item, (*path, i)))
    return [
        _Duplicate(
            document,
            paths.get(id(node), ()),
            _key_of(builder, second),
            (second.start_mark.line + 1, second.start_mark.column + 1),
            (first.start_mark.line + 1, first.start_mark.column + 1),
        )
        for node, first, second in builder.twice
    ]


def _duplicate_problem(file: str, documents: list[Any], twice: _Duplicate) -> Located:
    """A key given twice, located at its second place."""
    path, where = twice.path, ""
    if len(path) >= 2 and path[0] == "layers" and isinstance(path[1], int):
        try:
            item = documents[twice.document]["layers"][path[1]]
            where = str(_Where(path[1], item)) if isinstance(item, dict) else f"layers[{path[1]}]"
        except (LookupError, TypeError):
            where = f"layers[{path[1]}]"
        path = path[2:]
    field_ = ".".join(_key(p) if isinstance(p, str) else f"[{p}]" for p in (*path, twice.key))
    line, column = twice.first
    message = f"duplicate key: given first at line {line}, column {column}; a key may be given once"
    if twice.at == twice.first:  # not located
        message = "duplicate key: a key may be given once in a mapping"
    return Located(file, *twice.at, where, field_, message)


def _walk(
    node: Any, path: Path_, at_key: bool = False, index: dict[int, dict[Any, Any]] | None = None
) -> tuple[Any, Any, bool]:
    """From a composed node down ``path``: (the node reached, the mark to show, whether all of ``path``
    was found). In a mapping, a key given twice is the last one (whose value is in effect). ``index`` keeps
    each mapping's keys, found once: placing a problem at each of many keys is not a walk of all for each."""
    mark = node.start_mark if node is not None else None
    for i, key in enumerate(path):
        value = node.value if node is not None else None
        if isinstance(value, list) and value and isinstance(value[0], tuple):  # a mapping: its last such key
            keys = index.get(id(node)) if index is not None else None
            if keys is None:
                keys = {}
                for at, pair in enumerate(value):
                    if isinstance(pair[0].value, str):  # a scalar key (a mapping or list key is not a field)
                        keys[pair[0].value] = (at, pair)  # a key's last place
                if index is not None:
                    index[id(node)] = keys
            found = [keys[name] for name in (key, str(key)) if _hashable(name) and name in keys]
            if not found:
                return node, mark, False
            pair = max(found, key=lambda f: f[0])[1]
            mark = pair[0].start_mark if (at_key and i == len(path) - 1) else pair[1].start_mark
            node = pair[1]
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            node = value[key]
            mark = node.start_mark
        else:
            return node, mark, False
    return node, mark, True


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class Positions:
    """Where the values of one spec text sit, found once, when first asked (the text composed again
    by PyYAML, with libyaml's marks when it is there, up to the last document asked about) and kept
    for every later question.

    >>> where = Positions("name: a\\nbudget: {max_mults: 600M}\\n", "a.yaml")
    >>> where.at(0, ("budget",)), where.at(0, ("budget", "max_mults"), at_key=True)
    ((2, 9), (2, 10))
    """

    def __init__(self, text: str, file: str = "<spec>") -> None:
        self.text, self.file = text, file
        self._documents: list[Any] = []
        self._rest: Iterator[Any] | None = None
        self._index: dict[int, dict[Any, Any]] = {}  # each mapping's keys, when first walked

    def _node(self, document: int, path: Path_, at_key: bool = False) -> tuple[Any, Any, bool]:
        """(the node found, the mark to show, whether the whole path was found)."""
        documents = self._documents
        if document >= len(documents):
            if self._rest is None:
                self._rest = _compose(self.text)
            documents += itertools.islice(self._rest, document + 1 - len(documents))
        return _walk(documents[document] if document < len(documents) else None, path, at_key, self._index)

    def at(self, document: int, path: Path_, at_key: bool = False) -> tuple[int, int]:
        """The (line, column) of ``path`` in document ``document`` (its key's with ``at_key``), or of
        the nearest enclosing node that exists (the document's start when nothing matches)."""
        mark = self._node(document, path, at_key)[1]
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def has(self, document: int, path: Path_) -> bool:
        """Whether ``path`` is written in document ``document``."""
        return self._node(document, path)[2]

    def locate(self, problems: Iterable[Problem]) -> list[Located]:
        """Every problem with its file, line and column."""
        return [
            Located(self.file, *self.at(p.document, p.path, p.at_key), p.where, p.field, p.message) for p in problems
        ]


def position(text: str, document: int, path: Path_, file: str = "<spec>", at_key: bool = False) -> tuple[int, int]:
    """The (line, column) of ``path`` in document ``document`` of ``text`` (its key's with
    ``at_key``), or of the nearest enclosing node that exists (the document's start when
    nothing matches). Each call reads the text again: to place many, ask one :class:`Positions`.

    >>> text = "name: a\\nbudget: {max_mults: 600M}\\n"
    >>> position(text, 0, ("budget",)), position(text, 0, ("budget", "max_mults"), at_key=True)
    ((2, 9), (2, 10))
    """
    return Positions(text, file).at(document, path, at_key)
