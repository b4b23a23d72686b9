"""A Keras model's config walked into the network being built: Functional models (their layers in the order
their inputs are made), Sequential models (each layer on the one before), and models used as layers of
others (their layers read in place, named ``MODEL/LAYER``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...formulas import Shape
from .build import MAX_NESTING, Builder, Config, Invalid, Tensor, Unknown, dims_text, found
from .handlers import ALIASES, HANDLERS

MODELS = ("Functional", "Sequential", "Model")
"""The classes of a model (a layer of another model too)."""

Key = tuple[str, int, int]
"""A tensor of a Functional model: the layer that makes it, which call of that layer, which of its outputs."""


class Shaped(Exception):
    """The model's description is not a Keras model's: one problem at ``where`` (the path of the value)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _name(entry: dict[str, Any]) -> str:
    config = entry.get("config")
    name = entry.get("name", config.get("name") if isinstance(config, dict) else None)
    return name if isinstance(name, str) and name else str(entry.get("class_name", "layer"))


def _entries(model: Any, where: str) -> list[dict[str, Any]]:
    """The layers of a model's config, each a mapping with a ``class_name`` and a ``config``."""
    if not isinstance(model, dict) or not isinstance(model.get("class_name"), str):
        raise Shaped(where, f"expected a model: a mapping with class_name and config, found {found(model)}")
    config = model.get("config")
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list):
        raise Shaped(where, f"expected config.layers, the list of the model's layers, found {found(layers)}")
    for index, entry in enumerate(layers):
        if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
            raise Shaped(f"{where}.config.layers[{index}]", f"expected a layer with a class_name, found {found(entry)}")
        if not isinstance(entry.get("config"), dict):
            config = found(entry.get("config"))
            raise Shaped(f"{where}.config.layers[{index}]", f"expected the layer's config, found {config}")
    return layers


def count_layers(model: Any, where: str = "model", depth: int = 0) -> int:
    """The layers of ``model`` and of the models in it, its shape checked on the way.

    :raises Shaped: a model that is not one, or models nested more than :data:`MAX_NESTING` deep."""
    if depth > MAX_NESTING:
        raise Shaped(where, f"models nested more than {MAX_NESTING} deep: not read")
    if isinstance(model, dict) and model.get("class_name") not in MODELS:
        cls = found(model.get("class_name"))
        raise Shaped(where, f"expected a Functional or Sequential model, found class_name {cls}")
    total = 0
    for index, entry in enumerate(_entries(model, where)):
        total += 1
        if entry["class_name"] in MODELS:
            total += count_layers(entry, f"{where}.config.layers[{index}]", depth + 1)
    return total


def _formats(model: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    for entry in model["config"]["layers"]:
        if entry["class_name"] in MODELS:
            yield from _formats(entry)
        elif "data_format" in entry["config"]:
            yield _name(entry), entry["class_name"], entry["config"]["data_format"]


def channels_last(model: dict[str, Any]) -> tuple[bool, tuple[str, str, Any] | None]:
    """Whether the model's maps are channels-last (its layers' ``data_format``, channels-last when none says), and
    the first layer that says otherwise than the first that says (``None``: all agree)."""
    first: Any = None
    for name, cls, value in _formats(model):
        if first is None:
            first = value
        elif value != first:
            return first != "channels_first", (name, cls, value)
    return first != "channels_first", None


def _history(value: Any, out: list[Key]) -> None:
    """The tensors a call of Keras 3 reads: each ``__keras_tensor__``'s ``keras_history``, in order."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            history = value.get("config", {}).get("keras_history") if isinstance(value.get("config"), dict) else None
            if not (isinstance(history, list) and len(history) == 3 and isinstance(history[0], str)):
                raise Invalid("inbound_nodes", f"expected keras_history [layer, node, tensor], found {found(history)}")
            out.append((history[0], _index(history[1]), _index(history[2])))
        else:
            for item in value.values():
                _history(item, out)
    elif isinstance(value, list):
        for item in value:
            _history(item, out)


def _index(value: Any) -> int:
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        raise Invalid("inbound_nodes", f"expected a node or tensor index ≥ 0, found {found(value)}")
    return value


def _calls(entry: dict[str, Any]) -> list[list[Key]]:
    """Each call of a layer of a Functional model: the tensors it reads (Keras 3's ``args``/``kwargs``, or
    Keras 2's ``[layer, node, tensor, kwargs]`` lists)."""
    nodes = entry.get("inbound_nodes", [])
    if not isinstance(nodes, list):
        raise Invalid("inbound_nodes", f"expected a list of calls, found {found(nodes)}")
    calls = []
    for node in nodes:
        keys: list[Key] = []
        if isinstance(node, dict):  # Keras 3
            _history(node.get("args", []), keys)
            _history(node.get("kwargs", {}), keys)
        elif isinstance(node, list):  # Keras 2
            for item in node:
                if not (isinstance(item, list) and len(item) >= 3 and isinstance(item[0], str)):
                    raise Invalid("inbound_nodes", f"expected [layer, node, tensor, kwargs], found {found(item)}")
                keys.append((item[0], _index(item[1]), _index(item[2])))
        else:
            raise Invalid("inbound_nodes", f"expected a call, found {found(node)}")
        calls.append(keys)
    return calls


def _keys(value: Any, field: str) -> list[Key]:
    """A model's ``input_layers`` or ``output_layers``: one ``[layer, node, tensor]`` or a list of them."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    keys = isinstance(value, list) and all(isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) for v in value)
    if not keys:
        raise Invalid(field, f"expected [layer, node, tensor] or a list of them, found {found(value)}")
    return [(v[0], _index(v[1]), _index(v[2])) for v in value]


def _declared(entries: list[dict[str, Any]]) -> dict[Key, tuple[Any, ...]]:
    """The shape (without the batch) Keras 3 writes of each tensor a call reads."""
    shapes: dict[Key, tuple[Any, ...]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("class_name") == "__keras_tensor__" and isinstance(value.get("config"), dict):
                config = value["config"]
                history, shape = config.get("keras_history"), config.get("shape")
                if (
                    isinstance(history, list) and len(history) == 3 and isinstance(history[0], str)
                    and all(isinstance(i, int) and not isinstance(i, bool) for i in history[1:])
                    and isinstance(shape, list) and shape
                    and all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape)
                ):  # fmt: skip
                    shapes[(history[0], history[1], history[2])] = tuple(shape[1:])
            else:
                for item in value.values():
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for entry in entries:
        walk(entry.get("inbound_nodes"))
    return shapes


class Walk:
    """The model's layers read into ``builder``, with ``input`` (``--input``) as the input's map where given,
    and ``allow_unknown``: a layer class not read costs nothing (where it is element-wise, its output is its
    input) instead of being a problem."""

    def __init__(self, builder: Builder, input: Shape | None, allow_unknown: bool) -> None:
        self.b = builder
        self.input = input
        self.allow_unknown = allow_unknown
        self.inputs = 0

    def model(self, entry: dict[str, Any], prefix: str, inputs: list[Tensor] | None) -> list[Tensor | None]:
        """The outputs of the model ``entry`` (``None``: an output not followed), read on ``inputs`` (``None``:
        the network's own input, from its input layer)."""
        if entry["class_name"] == "Sequential":
            return self._sequential(entry, prefix, inputs)
        return self._functional(entry, prefix, inputs)

    def _input(self, where: str, entry: dict[str, Any], fallback: Any = None) -> Tensor:
        config = entry.get("config", {}) if isinstance(entry.get("config"), dict) else {}
        shape = config.get("batch_shape", config.get("batch_input_shape", fallback))
        self.inputs += 1
        if self.inputs > 1:
            raise Invalid("", "a second input: dsc-cost reads models of one input")
        if self.input is not None:
            dims = self.b.dims(self.input)
        elif not isinstance(shape, list) or not 2 <= len(shape) <= 5:
            expected = "the input's shape (batch first, 1 to 4 more dims)"
            raise Invalid("batch_shape", f"expected {expected}, found {found(shape)}")
        elif not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape[1:]):
            raise Invalid("batch_shape", f"the input is {dims_text(shape[1:])}, its size not fixed: give --input CxHxW")
        else:
            dims = tuple(shape[1:])
        self.b.shapes["input"] = self.b.shape(dims)
        return Tensor("input", dims)

    def _sequential(self, model: dict[str, Any], prefix: str, inputs: list[Tensor] | None) -> list[Tensor | None]:
        entries = model["config"]["layers"]
        x: Tensor | None = None
        where = f"model {prefix or _name(model)} (Sequential)"
        if inputs is not None:
            if len(inputs) != 1:
                raise Invalid("inputs", f"a Sequential model called on {len(inputs)} inputs")
            x = inputs[0]
        started = inputs is not None
        for index, entry in enumerate(entries):
            if entry["class_name"] == "InputLayer":
                if not started:
                    started = True
                    x = self._at(f"layer {prefix}{_name(entry)} (InputLayer)", lambda e=entry: self._input("", e))
                continue
            if not started:  # Keras 2 writes the input's shape on the first layer; Keras 3 on the model's build
                started = True
                build = model.get("build_config")
                build = build.get("input_shape") if isinstance(build, dict) else None
                fallback = model["config"].get("build_input_shape", build)
                x = self._at(where, lambda e=entry, f=fallback: self._input("", e, f))
            if x is None:  # after a problem, or a layer not read: the classes of the layers after it are checked
                self._after(entry, prefix)
                continue
            x = self._layer(entry, prefix, [x], _build_shape(entries[index + 1 : index + 2]))
        if not started:
            x = self._at(where, lambda: self._input("", {}))
        return [x]

    def _after(self, entry: dict[str, Any], prefix: str) -> None:
        """A layer after one not read: not costed (a class this reader does not read is said still)."""
        cls = entry["class_name"]
        if cls in MODELS or HANDLERS.get(ALIASES.get(cls, cls)) is not None:
            self.b.skipped += 1 if self.b.unknown else 0
            return
        self.b.unknown[cls] += 1
        self.b.first_unknown.setdefault(cls, f"layer {prefix}{_name(entry)} ({cls})")

    def _at(self, where: str, read: Any) -> Any:
        try:
            return read()
        except Invalid as invalid:
            self.b.problem(where, invalid.field, invalid.message)
            return None

    def _functional(self, model: dict[str, Any], prefix: str, inputs: list[Tensor] | None) -> list[Tensor | None]:
        config = model["config"]
        entries: list[dict[str, Any]] = config["layers"]
        where = f"model {prefix or _name(model)} ({model['class_name']})"
        try:
            input_keys = _keys(config.get("input_layers"), "input_layers")
            output_keys = _keys(config.get("output_layers"), "output_layers")
        except Invalid as invalid:
            self.b.problem(where, invalid.field, invalid.message)
            return [None]
        if inputs is not None and len(inputs) != len(input_keys):
            self.b.problem(where, "input_layers", f"{len(input_keys)} inputs, called on {len(inputs)}")
            return [None]
        tensors: dict[Key, Tensor | None] = {}
        declared = _declared(entries) if self.input is None else {}
        waiting: list[tuple[dict[str, Any], list[Key]]] = []
        for entry in entries:
            name = _name(entry)
            if entry["class_name"] == "InputLayer":
                key = (name, 0, 0)
                if key in input_keys:
                    at = f"layer {prefix}{name} (InputLayer)"
                    tensors[key] = (
                        inputs[input_keys.index(key)]
                        if inputs is not None
                        else self._at(at, lambda e=entry: self._input("", e))
                    )
                continue
            try:
                calls = _calls(entry)
            except Invalid as invalid:
                self.b.problem(f"layer {prefix}{name} ({entry['class_name']})", invalid.field, invalid.message)
                continue
            if len(calls) > 1:
                self.b.problem(
                    f"layer {prefix}{name} ({entry['class_name']})", "inbound_nodes",
                    f"called {len(calls)} times (a shared layer): dsc-cost reads each layer once",
                )  # fmt: skip
                continue
            if calls:
                waiting.append((entry, calls[0]))
        while waiting:  # in the order the tensors are made (Keras writes it so; a file need not)
            left = []
            for entry, keys in waiting:
                if not all(key in tensors for key in keys):
                    left.append((entry, keys))
                    continue
                read = [tensors[key] for key in keys]
                if any(t is None for t in read):
                    outputs: list[Tensor | None] = [None]
                    self._after(entry, prefix)
                elif entry["class_name"] in MODELS:
                    outputs = self.model(entry, f"{prefix}{_name(entry)}/", read)  # type: ignore[arg-type]
                else:
                    outputs = [self._layer(entry, prefix, read, declared.get((_name(entry), 0, 0)))]  # type: ignore[arg-type]
                for index, output in enumerate(outputs):
                    tensors[(_name(entry), 0, index)] = output
            if len(left) == len(waiting):
                entry, keys = left[0]
                missing = next(key for key in keys if key not in tensors)
                self.b.problem(
                    f"layer {prefix}{_name(entry)} ({entry['class_name']})", "inbound_nodes",
                    f"reads the output of {found(missing[0])}, which no layer of the model makes",
                )  # fmt: skip
                break
            waiting = left
        return [tensors.get(key) for key in output_keys]

    def _layer(
        self, entry: dict[str, Any], prefix: str, inputs: list[Tensor], declared: tuple[Any, ...] | None = None
    ) -> Tensor | None:
        """The output of the layer ``entry`` on ``inputs`` (``None``: a problem said, or a layer not read)."""
        cls = entry["class_name"]
        name = prefix + _name(entry)
        where = f"layer {name} ({cls})"
        if cls in MODELS:
            outputs = self.model(entry, f"{name}/", inputs)
            if len(outputs) != 1:
                message = f"expected one output of a model in a Sequential model, found {len(outputs)}"
                self.b.problem(where, "output_layers", message)
                return None
            return outputs[0]
        handler = HANDLERS.get(ALIASES.get(cls, cls))
        try:
            if handler is None:
                raise Unknown("")
            output = handler.read(self.b, name, Config(entry["config"]), inputs)
        except Invalid as invalid:
            self.b.problem(where, invalid.field, invalid.message)
            return None
        except Unknown as unknown:
            return self._unknown(where, cls, str(unknown), inputs, declared)
        if declared is not None and _disagrees(declared, output.dims):
            message = f"the file's shape is {dims_text(declared)}, the shape propagated {dims_text(output.dims)}"
            self.b.problem(where, "output", message)
            return None
        return output

    def _unknown(
        self, where: str, cls: str, reason: str, inputs: list[Tensor], declared: tuple[Any, ...] | None
    ) -> Tensor | None:
        kind = cls if not reason else f"{cls}: {reason}"
        self.b.unknown[kind] += 1
        self.b.first_unknown.setdefault(kind, where)
        if len(inputs) == 1 and declared is not None and not _disagrees(declared, inputs[0].dims):
            return inputs[0]  # element-wise, as the file says: the data passes on
        return None


def _build_shape(entries: list[dict[str, Any]]) -> tuple[Any, ...] | None:
    """The input shape (without the batch) Keras 3 writes in the build config of the layer of ``entries``, if any:
    in a Sequential model, the output's of the layer before."""
    build = entries[0].get("build_config") if entries else None
    shape = build.get("input_shape") if isinstance(build, dict) else None
    return tuple(shape[1:]) if isinstance(shape, list) and shape else None


def _disagrees(declared: tuple[Any, ...], dims: tuple[int, ...]) -> bool:
    return len(declared) != len(dims) or any(d is not None and d != n for d, n in zip(declared, dims, strict=True))
