"""Element-wise ops: Add, Sub, Mul and Div (of two outputs; by a per-channel constant: a bias or a ``scale``;
by a scalar: nothing), the activations (x·sigmoid(x) is silu, x·½(1 + erf(x/√2)) is gelu), and the ops that pass
their input on."""

from __future__ import annotations

import math
from typing import Any

from ....layers.activation import ActivationLayer
from ....layers.add import AddLayer
from ....layers.mul import MulLayer
from ....layers.scale import ScaleLayer
from ..builder import _act, _Builder, _const, _set
from ..registry import NOTHING as _NOTHING
from ..registry import builtin
from ..values import Constant, Data, InvalidValue, NotUnderstood, _found, _prod


def _channel_vector(b: _Builder, x: Data, const: Constant) -> bool:
    """Whether ``const`` holds one value per channel of ``x``, laid out along its channel axis."""
    if const.dims is None or x.axis is None:
        return False
    channels = x.dims[x.axis]
    if _prod(const.dims) != channels or channels == 1:
        return False
    if len(const.dims) == 1:
        return x.axis == len(x.dims) - 1
    rank = len(x.dims)
    aligned = (1,) * (rank - len(const.dims)) + tuple(const.dims)
    return aligned[x.axis] == channels


def _elementwise(b: _Builder, node: Any) -> None:
    """Add, Mul, Sub and Div: of two data tensors (add, mul), or of the data and a constant (a bias that
    joins the layer before, a per-channel scale, or a scalar: free)."""
    op = node.op_type
    inputs = [b.values.get(name) for name in node.input]
    acts = [v for v in inputs if isinstance(v, Data)]
    if len(acts) == 2 and op in ("Add", "Mul"):
        x, y = acts
        if op == "Mul" and _silu(b, node, x, y):
            return
        if op == "Mul" and _gelu(b, node, x, y):
            return
        kind, layer = ("add", AddLayer()) if op == "Add" else ("mul", MulLayer())
        full = x if _prod(x.dims) >= _prod(y.dims) else y
        if x.axis is None or y.axis is None:
            raise NotUnderstood("inputs whose channels are not known")
        ref = b.add(node.name, kind, layer, (x.ref, y.ref), node.output[0])
        _set(b, node, full._replace(ref=ref, tag=()))
        return
    if len(acts) != 1:
        raise NotUnderstood("inputs that are not the network's data")
    (x,) = acts
    const = next((v for v in inputs if isinstance(v, Constant)), None)
    if const is None or len(inputs) != 2:
        raise NotUnderstood("inputs that are not two")
    if const.dims is not None and _prod(const.dims) == 1:  # a scalar: free, and a step of GELU's pattern
        _set(b, node, x)
        return
    if const.dims is None or not const.floating or not _channel_vector(b, x, const):
        raise NotUnderstood("a constant that is not one value per channel")
    if op in ("Add", "Sub") and _bias(b, node, x, next(n for n in node.input if b.values.get(n) is x)):
        return
    if op in ("Mul", "Div"):
        ref = b.add(node.name, "scale", ScaleLayer(), (x.ref,), node.output[0])
        _set(b, node, x._replace(ref=ref, tag=()))
        return
    raise NotUnderstood("a per-channel constant that is not a bias of the layer before")


def _bias(b: _Builder, node: Any, x: Data, tensor: str) -> bool:
    """A per-channel constant added to the output of a conv or linear layer without bias (read only here)."""
    if b.consumers[tensor] != 1 or not b.nodes:
        return False
    entry = b.entry(x.ref)
    if entry is None or entry[1] not in ("conv", "depthwise", "pointwise", "linear", "convtranspose"):
        return False
    layer = entry[2]
    if layer.bias:
        return False
    entry[2] = layer._replace(bias=True)
    _set(b, node, x)
    return True


_GATED = {"sigmoid": "silu", "hardsigmoid": "hardswish"}
"""x times a gate of x: the activation it is (x·sigmoid(x) is silu, x·hardsigmoid(x) is hardswish)."""


def _hardswish_gate(b: _Builder, node: Any) -> bool:
    """A HardSigmoid of PyTorch's slope and offset (1/6, 1/2: ReLU6(x + 3) / 6), hardswish's gate."""
    attrs = b.attrs(node)
    alpha, beta = attrs.number("alpha"), attrs.number("beta")
    return alpha is not None and abs(alpha - 1 / 6) < 1e-6 and beta is not None and abs(beta - 0.5) < 1e-6


def _silu(b: _Builder, node: Any, x: Data, y: Data) -> bool:
    for data, gate in ((x, y), (y, x)):
        if gate.tag[:1] and gate.tag[0] in _GATED and gate.tag[1] == data.ref and b.consumers[gate.tag[2]] == 1:
            entry = b.nodes[gate.ref]
            entry[2] = ActivationLayer(_GATED[gate.tag[0]])
            _set(b, node, data._replace(ref=gate.ref, tag=()))
            return True
    return False


def _gelu(b: _Builder, node: Any, x: Data, y: Data) -> bool:
    for data, gate in ((x, y), (y, x)):
        if gate.tag[:1] == ("erf",) and gate.ref == data.ref:
            ref = b.add(node.name, "activation", ActivationLayer("gelu"), (data.ref,), node.output[0])
            _set(b, node, data._replace(ref=ref, tag=()))
            return True
    return False


_ACTIVATIONS = {
    "Relu": "relu", "Sigmoid": "sigmoid", "HardSigmoid": "hardsigmoid", "HardSwish": "hardswish", "Tanh": "tanh",
    "Gelu": "gelu",
}  # fmt: skip


def _activation(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    if node.op_type == "Clip":
        low, high = _clip_bounds(b, node)
        if (low, high) == (0, 6):
            fn = "relu6"
        elif low == 0 and high is None:
            fn = "relu"
        else:
            raise NotUnderstood(f"bounds {low} and {high} (ReLU and ReLU6 only)")
    else:
        fn = _ACTIVATIONS[node.op_type]
    ref = b.add(node.name, "activation", ActivationLayer(fn), (x.ref,), node.output[0])
    tag = ("sigmoid", x.ref, node.output[0]) if fn == "sigmoid" else ()
    if fn == "hardsigmoid" and _hardswish_gate(b, node):
        tag = ("hardsigmoid", x.ref, node.output[0])
    _set(b, node, x._replace(ref=ref, tag=tag))


def _clip_bounds(b: _Builder, node: Any) -> tuple[float | None, float | None]:
    attrs = b.attrs(node)
    bounds: list[float | None] = [attrs.number("min"), attrs.number("max")]
    for index in (1, 2):
        if len(node.input) > index and node.input[index]:
            const = _const(b, node.input[index])
            if const is None or not const.values:
                raise NotUnderstood("bounds that are not constants")
            value = const.values[0]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
                raise InvalidValue(("min", "max")[index - 1], f"expected a number, found {_found(value)}")
            bounds[index - 1] = value
    return bounds[0], bounds[1]


def _erf(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    _set(b, node, x._replace(tag=("erf",)))


def _alias(b: _Builder, node: Any) -> None:
    _set(b, node, _act(b, node.input[0]))


builtin(
    "Add",
    _elementwise,
    "`add` of two outputs; of a per-channel constant: the bias of the conv or linear layer before; of a scalar: "
    "nothing",
    weights=(0, 1),
)
builtin(
    "Sub", _elementwise, "of a per-channel constant: the bias of the layer before; of a scalar: nothing", weights=(0, 1)
)
builtin(
    "Mul",
    _elementwise,
    "`mul` of two outputs (a gate: C×1×1 over C×H×W); by a per-channel constant: `scale`; by a scalar: nothing; "
    "x·sigmoid(x): `activation` silu; x·hardsigmoid(x) (slope 1/6, offset 1/2): `activation` hardswish; "
    "x·½(1 + erf(x/√2)): `activation` gelu",
    weights=(0, 1),
)
builtin("Div", _elementwise, "by a per-channel constant: `scale`; by a scalar: nothing", weights=(0, 1))
builtin("Relu", _activation, "`activation` relu")
builtin(
    "Clip",
    _activation,
    "`activation` relu6 (bounds 0 and 6), relu (0 and none)",
    "min, max (attributes or constant inputs)",
)
builtin("Sigmoid", _activation, "`activation` sigmoid")
builtin("HardSigmoid", _activation, "`activation` hardsigmoid")
builtin("HardSwish", _activation, "`activation` hardswish")
builtin("Tanh", _activation, "`activation` tanh")
builtin("Gelu", _activation, "`activation` gelu")
builtin("Erf", _erf, "a step of GELU's pattern (nothing alone)")
builtin("Dropout", _alias, _NOTHING)
builtin("Identity", _alias, _NOTHING)
builtin("Cast", _alias, _NOTHING, "to (evaluated on constants)")
