"""The registry of the ONNX forms of layer types: :data:`EXPORTERS`, filled by :func:`exporter`, and the
:class:`Graph` through which an exporter writes its nodes and weights (onnx and numpy are imported only when
a model is written)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from ..formulas import Shape

SEP = "/"
"""Between a layer's name and what one of its extra nodes is (``block1/pointwise``)."""


class Unsupported(Exception):
    """Raised by an exporter for a value of its type that has no ONNX form: the ``field`` that decides and why."""

    def __init__(self, message: str, field: str = "type") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Graph:
    """The nodes and weights of the model being written, and the helpers exporters use."""

    def __init__(self, seed: int = 0) -> None:
        import numpy

        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.rng = numpy.random.default_rng(seed)
        self._names: set[str] = set()

    def fresh(self, base: str) -> str:
        """A tensor or weight name not used yet, from ``base``."""
        name, index = base, 1
        while name in self._names:
            index += 1
            name = f"{base}:{index}"
        self._names.add(name)
        return name

    def node(self, op: str, inputs: Sequence[str], name: str, outputs: int = 1, **attributes: Any) -> list[str]:
        """Add the node ``op`` named ``name`` reading ``inputs``; the names of its ``outputs`` outputs."""
        from onnx import helper

        names = [self.fresh(name if outputs == 1 else f"{name}:{i}") for i in range(outputs)]
        self.nodes.append(helper.make_node(op, list(inputs), names, name=name, **attributes))
        return names

    def op(self, op: str, inputs: Sequence[str], name: str, **attributes: Any) -> str:
        """:meth:`node` of one output: its name."""
        return self.node(op, inputs, name, 1, **attributes)[0]

    def weight(self, name: str, dims: Sequence[int], fan_in: int = 0, value: float | None = None) -> str:
        """A float weight of ``dims``: random normal, scaled by 1/√``fan_in`` (so that activations stay of the
        order of one), or every value ``value``."""
        import numpy
        from onnx import numpy_helper

        if value is not None:
            data = numpy.full(tuple(dims), value, dtype=numpy.float32)
        else:
            scale = 1.0 / math.sqrt(fan_in) if fan_in else 1.0
            data = (self.rng.standard_normal(tuple(dims)) * scale).astype(numpy.float32)
        tensor = self.fresh(name)
        self.initializers.append(numpy_helper.from_array(data, tensor))
        return tensor

    def ints(self, name: str, values: Sequence[int]) -> str:
        """An int64 constant (shapes, axes, pads, sizes)."""
        import numpy
        from onnx import numpy_helper

        tensor = self.fresh(name)
        self.initializers.append(numpy_helper.from_array(numpy.array(list(values), dtype=numpy.int64), tensor))
        return tensor

    def floats(self, name: str, values: Sequence[float]) -> str:
        """A float constant (scales, bounds)."""
        import numpy
        from onnx import numpy_helper

        tensor = self.fresh(name)
        array = numpy.array(list(values), dtype=numpy.float32)
        self.initializers.append(numpy_helper.from_array(array if len(values) != 1 else array.reshape(()), tensor))
        return tensor


class Context(NamedTuple):
    """What an exporter knows of its layer: its name, input tensors and shapes (one sample), its output shape."""

    name: str
    inputs: tuple[str, ...]
    shapes: tuple[Shape, ...]
    output: Shape


Exporter = Callable[[Graph, Context, Any], "str | list[str]"]
EXPORTERS: dict[str, Exporter] = {}
"""Each layer type's exporter, by the type's spec name."""


def exporter(type_name: str) -> Callable[[Exporter], Exporter]:
    """Register the decorated function as the exporter of the layer type ``type_name`` (replacing any before)."""

    def declare(function: Exporter) -> Exporter:
        EXPORTERS[type_name] = function
        return function

    return declare
