"""A layer that includes another spec file (``include: PATH``), its other keys values of that file's ``params:``."""

from __future__ import annotations

import os
from typing import Any

from ...errors import Path_, SpecError, shorten
from ...expr import ExprError
from ...expr import evaluate as expression
from ..bounds import Stop as _Stop
from ..includes import MAX_INCLUDES, Refused
from ..yamltext import MAX_NAME, Positions, _key, _parse, _unquoted, _Where, describe
from ..yamltext import kind as kind_of
from .blocks import MAX_BLOCK_DEPTH, _blocks, _written
from .core import _ExpanderCore
from .params import checked_value, explained, input_values, network_params
from .scopes import _Scope
from .text import decode
from .validate import _TOP_KEYS, _Checker, _defaults, _input_shape, _suggestion, _type_list

_INCLUDE_KEYS = ("include", "name", "from", "train_only", "width")
"""The keys of a layer that includes a file."""


class _Inclusion(_ExpanderCore):
    """The includes of an expansion: each file read once, cycles and depth refused."""

    def include(self, scope: _Scope, item: dict[Any, Any], base: Path_, where: Any) -> None:
        """The layers of another spec file, in the scope of this layer's name (by default, the file's name); its
        other keys, the file's parameters, are unknown fields when the file is not read."""
        self.argued.append(False)
        try:
            self.included(scope, item, base, where)
        finally:
            argued = self.argued.pop()
        if not argued:
            hint = f"a layer that includes a file takes {', '.join(_INCLUDE_KEYS)}"
            for key in item:
                if key not in _INCLUDE_KEYS:
                    said = f"unknown field: {hint}{_suggestion(key, _INCLUDE_KEYS)}"
                    self.check.add((*base, key), where, _key(key), said, at_key=True)

    def included(self, scope: _Scope, item: dict[Any, Any], base: Path_, where: Any) -> None:
        check = self.check
        raw = item["include"]
        written = item.get("name")
        if not isinstance(written, str) or len(written) > MAX_NAME or not written.strip() or not written.isprintable():
            written = None
        if scope.names is not None:
            check.add(
                (*base, "include"), where, "include", "expected no include: in a block (a network's layers take one)"
            )
            return
        bad = False
        arguments = {key: value for key, value in item.items() if key not in _INCLUDE_KEYS}  # the file's params'
        if not (isinstance(raw, str) and raw.strip() and raw.isprintable()):
            found = describe(raw)
            check.add((*base, "include"), where, "include", f"expected the path of a spec file, found {found}")
            return
        fixed = "width" in item and self.fixed(item, base, where)
        train = ("train_only" in item and self.train_only(item, base, where)) or scope.train
        try:
            path, real = self.includes.find(self.file, raw)  # refused before it is opened
        except Refused as refused:
            check.add((*base, "include"), where, "include", refused.message)
            return
        chain = [shown for known, shown in self.chain]
        if any(known == real for known, _ in self.chain):
            cycle = " → ".join([*chain[[k for k, _ in self.chain].index(real) :], path])
            check.add((*base, "include"), where, "include", f"a file may not include itself: {cycle}")
            return
        if len(self.chain) > MAX_BLOCK_DEPTH:
            check.add((*base, "include"), where, "include", f"includes nested deeper than {MAX_BLOCK_DEPTH} files")
            return
        self.tally.includes += 1
        if self.tally.includes > MAX_INCLUDES:  # a file that includes another twice, and so on: work that doubles
            message = f"more than {MAX_INCLUDES:,} inclusions in all (the bound of one run; each use of a file counts)"
            check.add((*base, "include"), where, "include", message)
            raise _Stop
        if real not in self.read:
            self.read[real] = self.read_include(path, real)
        known = self.read[real]
        if isinstance(known, str):  # said with the path as this include writes it
            check.add((*base, "include"), where, "include", known.replace("\0", shorten(repr(path))))
            return
        if isinstance(known, SpecError):
            check.located += known.problems
            check.add((*base, "include"), where, "include", f"{shorten(repr(path))} is not a valid spec")
            return
        text, doc = known
        source = scope.previous
        if "from" in item:
            ref = item["from"]
            target, wrong = self.resolve(scope, ref) if isinstance(ref, str) else (None, None)
            if not target:
                message = wrong or f"unknown layer {describe(ref)}: expected 'input' or the name of an earlier layer"
                check.add((*base, "from"), where, "from", message)
                bad = True
            else:
                source = target
        local = written if written is not None else os.path.splitext(os.path.basename(path))[0]
        if self.unique(scope, local, 1, base, where) or bad:
            scope.known[local] = local
            return
        params = network_params(doc.get("params"), _Checker(0))  # said in the file, below
        self.argued[-1] = True
        names = self.arguments(params, arguments, base, where)
        if names is None:
            scope.known[local] = local
            return
        sub = _Checker(0, self.tally)
        network_params(doc.get("params"), sub)
        for key in doc:
            if key not in _TOP_KEYS:
                hint = f"unknown key: expected one of {', '.join(_TOP_KEYS)}{_suggestion(key, _TOP_KEYS)}"
                sub.add((key,), "", _key(key), hint, at_key=True)
        if "input" in doc:  # checked, and unused: the layers read what this layer receives
            before = len(sub.problems)
            value = input_values(doc["input"], names, sub)
            if len(sub.problems) == before:
                _input_shape(value, sub)
        layers = doc.get("layers")
        if not isinstance(layers, list) or not layers:
            found = "nothing" if layers is None else describe(layers)
            sub.add(
                ("layers",) if "layers" in doc else (),
                "",
                "layers",
                f"expected a non-empty list of layers, found {found}",
            )
            layers = []
        saved = (self.check, self.defaults, self.blocks, self.typed_defaults, self.types, self.file, self.params)
        self.check, self.file, self.params = sub, path, names
        self.defaults = _defaults(doc.get("defaults"), sub)
        self.blocks = {**self.imported(doc.get("use"), sub), **_blocks(doc.get("blocks"), sub)}
        self.typed_defaults = {}
        self.types = f"{_type_list()}, or a block: {', '.join(self.blocks)}" if self.blocks else _type_list()
        self.chain.append((real, path))
        first = len(self.nodes)
        inner = _Scope(scope.site, f"{scope.prefix}{local}.", None, source, "", scope.depth + 1, _written(layers))
        inner.train, inner.fixed = train, fixed or scope.fixed
        try:
            for index, layer in enumerate(layers):
                self.layer(inner, layer, ("layers", index), _Where(index, layer) if isinstance(layer, dict) else None)
        finally:
            self.check, self.defaults, self.blocks, self.typed_defaults, self.types, self.file, self.params = saved
            self.chain.pop()
            check.located += sub.located + Positions(text, path).locate(sub.problems)
        if sub.problems or sub.located or len(self.nodes) == first:
            scope.known[local] = local
            return
        for index in range(first, len(self.nodes)):  # a shape problem inside is located at the include
            self.inner[index] = base
        scope.known[local] = self.nodes[-1].name
        scope.previous = self.nodes[-1].name

    def arguments(
        self, params: dict[str, Any], arguments: dict[Any, Any], base: Path_, where: Any
    ) -> dict[str, Any] | None:
        """The values of the included file's parameters: its defaults, and the arguments of the layer that includes
        it (expressions of this network's parameters); ``None`` when one is wrong (said)."""
        names = {key: value for key, value in params.items() if value is not None}
        ok = True
        for key, raw in arguments.items():
            if not isinstance(key, str) or key not in params:
                takes = ", ".join([*_INCLUDE_KEYS, *params])
                hint = f"a layer that includes a file takes {takes}{_suggestion(key, [*_INCLUDE_KEYS, *params])}"
                self.check.add((*base, key), where, _key(key), f"unknown field: {hint}", at_key=True)
                ok = False
                continue
            value: object = raw
            if isinstance(raw, str) and not isinstance(params[key], str):
                try:
                    value = expression(raw, self.params)
                except ExprError as error:
                    message = f"{explained(error, self.params)} (in {shorten(repr(raw))})"
                    self.check.add((*base, key), where, key, message)
                    ok = False
                    continue
            names[key], wrong = checked_value(params, key, value)
            if wrong is not None:
                self.check.add((*base, key), where, key, wrong)
                ok = False
        missing = [key for key in params if key not in names]
        if missing:
            message = f"missing argument: the file's params {', '.join(missing)} have no default"
            self.check.add(base, where, ", ".join(missing), message)
            ok = False
        return names if ok else None

    def read_include(self, path: str, real: str) -> tuple[str, dict[Any, Any]] | SpecError | str:
        """An included file read and parsed: its text and its network's document; or the problems that keep
        it from being read as a spec, located in it; or what to say at the include of why it is not read, a
        NUL where its path goes. What a file that is not a spec holds is never shown (it may be anything: a
        key, a password), only what kind of thing it is."""
        quoted = "\0"
        try:
            data = self.includes.read(path, real, self.source.max_file_size)
        except Refused as refused:
            return refused.message.replace(shorten(repr(path)), quoted)
        try:
            text = decode(data, path, self.source.max_file_size)
        except SpecError as error:
            message = error.problems[0].message
            if message.startswith("the file is "):  # too large
                return f"{quoted} {message[9:]}"
            return f"{quoted} is not a spec: not UTF-8 text"
        if not text.strip():
            return f"{quoted} is empty"
        try:
            documents = [d for d in _parse(text, path).documents if d is not None]
        except SpecError as error:  # where it does not parse; the parser's words only when they quote nothing
            return SpecError([p._replace(message=_unquoted(p.message)) for p in error.problems])
        if len(documents) != 1 or not isinstance(documents[0], dict):
            found = f"{len(documents)} documents" if len(documents) != 1 else kind_of(documents[0])
            return f"expected a file of one network (input and layers), found {found} in {quoted}"
        if not {"layers", "input", "blocks"} & documents[0].keys():  # blocks alone: a file that use: reads
            return f"expected a file of one network (input and layers), found a mapping of neither in {quoted}"
        return text, documents[0]
