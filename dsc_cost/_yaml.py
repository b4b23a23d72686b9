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
