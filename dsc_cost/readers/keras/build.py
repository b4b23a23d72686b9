"""The network being built from a Keras model's config: its tensors (a node of the network, seen with Keras'
shape), its nodes, and the reading of the values of a layer's config (each a problem at its layer and key when
it is not what Keras takes)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from ...errors import Located, shorten
from ...formulas import Shape, ShapeError
from ...layers.base import Layer
from ..onnx import Problem

INT64 = 2**63 - 1
"""The largest size a config's value may give (beyond it no tensor is made)."""

MAX_NESTING = 64
"""The most models nested in one another that are read (each a model used as a layer of the one around it)."""


class Tensor(NamedTuple):
    """A tensor of the model's data: the output of the network's node ``ref`` (or ``input``), as Keras shapes it
    (``dims``, the batch left out: (height, width, channels) channels-last)."""

    ref: str
    dims: tuple[int, ...]


class Invalid(Exception):
    """A value of a layer's config that Keras does not take, or a layer that does not fit its input: a problem
    located at the layer and ``field`` (a key of its config)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Unknown(Exception):
    """A layer class, or a value of one (an activation), that this reader does not read: the message says which."""


def found(value: Any) -> str:
    """A value of the config as a message shows it (short, one line)."""
    return shorten(repr(value).replace("\n", " "), 80)


class Config:
    """The config of one layer, read key by key: each reader says what Keras takes, and a value that is not that
    is :class:`Invalid` at its key."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def integer(self, key: str, default: int | None = None, low: int = 1) -> int:
        value = self.data.get(key, default)
        if not (isinstance(value, int) and not isinstance(value, bool)) or not low <= value <= INT64:
            raise Invalid(key, f"expected a whole number ≥ {low}, found {found(value)}")
        return value

    def sizes(self, key: str, dims: int, default: int | Sequence[int] | None = None, low: int = 1) -> tuple[int, ...]:
        """An integer or ``dims`` of them (a tuple of ``dims``)."""
        value = self.data.get(key, default)
        if value is None and default is None:
            raise Invalid(key, f"missing: expected a whole number ≥ {low} or a list of {dims}")
        values = [value] * dims if isinstance(value, int) and not isinstance(value, bool) else value
        if (
            not isinstance(values, (list, tuple))
            or len(values) != dims
            or not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= INT64 for v in values)
        ):
            raise Invalid(key, f"expected a whole number ≥ {low} or a list of {dims} of them, found {found(value)}")
        return tuple(values)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise Invalid(key, f"expected true or false, found {found(value)}")
        return value

    def choice(self, key: str, default: str, choices: Sequence[str]) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            raise Invalid(key, f"expected {' or '.join(repr(c) for c in choices)}, found {found(value)}")
        assert isinstance(value, str)
        return value

    def number(self, key: str, default: float | None) -> float | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise Invalid(key, f"expected a number, found {found(value)}")
        return float(value)


_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Builder:
    """The network being built: its nodes (name → [name, type, layer, inputs]) and their shapes, the layers not
    read (``--allow-unknown``), the problems found, and the channels' place in Keras' shapes (``last``)."""

    def __init__(self, file: str, last: bool) -> None:
        self.file = file
        self.last = last
        self.nodes: dict[str, list[Any]] = {}
        self.shapes: dict[str, Shape] = {}
        self.names: set[str] = {"input"}
        self.unknown: Counter[str] = Counter()
        self.first_unknown: dict[str, str] = {}
        self.skipped = 0
        self.problems: list[Located] = []
        self.statistics = 0  # values Normalization layers keep (mean, variance, count): no layer's weights

    def problem(self, where: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, 0, 0, where, field, message))

    def shape(self, dims: tuple[int, ...]) -> Shape:
        """The map of Keras' ``dims`` (no batch): one value is features (``F×1×1``); more are channels and the
        spatial sizes, the channels last (or first, ``channels_first``)."""
        if len(dims) == 1:
            return Shape(dims[0], 1, 1)
        if self.last:
            return Shape.of(dims[-1], dims[:-1])
        return Shape.of(dims[0], dims[1:])

    def dims(self, shape: Shape) -> tuple[int, ...]:
        """Keras' dims of the map ``shape`` (no batch)."""
        return (*shape[1:], shape[0]) if self.last else tuple(shape)

    def image(self, tensor: Tensor, ranks: Sequence[int] = (2, 3, 4)) -> Shape:
        """The map ``tensor`` is, for a layer that reads channels and spatial sizes.

        :raises Invalid: (``input``) a tensor of another rank, or one reshaped so that its channels are not the
            network's node's (a Reshape that moves them)."""
        if len(tensor.dims) not in ranks:
            expected = " or ".join(str(r + 1) for r in ranks)
            found = _dims_text(tensor.dims)
            raise Invalid("input", f"expected a tensor of {expected} dims (batch first), found {found}")
        shape = self.shape(tensor.dims)
        if shape != self.shapes[tensor.ref]:
            raise Invalid(
                "input",
                f"reads {_dims_text(tensor.dims)}, a reshape of {_dims_text(self.dims(self.shapes[tensor.ref]))} that"
                " moves the channels: not read",
            )
        return shape

    def channel_axis(self, rank: int) -> int:
        """The channels' axis of a tensor of ``rank`` dims, batch included (Keras' ``axis``)."""
        return rank - 1 if self.last else 1

    def add(
        self, name: str, kind: str, layer: Layer, inputs: Sequence[Tensor], dims: tuple[int, ...] | None = None
    ) -> Tensor:
        """A node (named ``name``, made unique) of ``layer`` reading ``inputs``: its output, as Keras shapes it
        (``dims``; ``None``: the node's map, or its channels alone after a vector).

        :raises Invalid: the layer does not fit its inputs (a kernel larger than the map)."""
        refs = tuple(t.ref for t in inputs)
        try:
            output = layer.evaluate(tuple(self.shapes[ref] for ref in refs)).output
        except ShapeError as error:
            raise Invalid(error.field, error.message) from None
        if any(size > INT64 for size in output):
            raise Invalid("output", f"expected sizes of at most {INT64:,}, found {_dims_text(output)}")
        unique = self.unique(name or kind)
        self.nodes[unique] = [unique, kind, layer, refs]
        self.shapes[unique] = output
        if dims is None:
            dims = (output[0],) if len(inputs[0].dims) == 1 else self.dims(output)
        return Tensor(unique, dims)

    def unique(self, raw: str) -> str:
        base = _NAME_CHARS.sub("_", raw.strip() or "layer")[:200]
        name, count = base, 1
        while name in self.names:
            count += 1
            name = f"{base}_{count}"
        self.names.add(name)
        return name


def _dims_text(dims: Sequence[int]) -> str:
    return "×".join(map(str, ("N", *dims)))


def dims_text(dims: Sequence[int | None]) -> str:
    """Keras' shape as a message shows it, the batch ``N`` first: ``N×224×224×3``."""
    return "×".join("?" if d is None else str(d) for d in ("N", *dims))
