"""Gemm, MatMul and Einsum: ``linear`` layers (fully connected on N×features, at every position on a
channels-last map), and an Einsum that contracts the channels of N×C×H×W, ``pointwise``."""

from __future__ import annotations

from typing import Any

from ....layers.linear import LinearLayer
from ....layers.pointwise import PointwiseLayer
from ..builder import _act, _Builder, _const, _new_image, _set
from ..registry import builtin
from ..values import Data, InvalidValue, NotUnderstood, _found, _shown
from .conv import _bias_dims


def _linear_out(b: _Builder, node: Any, x: Data, out: int, bias: bool, per_position: bool) -> None:
    ref = b.add(node.name, "linear", LinearLayer(out, bias, False, per_position), (x.ref,), node.output[0])
    dims = (*x.dims[:-1], out)
    _set(b, node, Data(dims, ref, len(dims) - 1 if per_position else 1))


def _features(b: _Builder, x: Data) -> bool:
    """Whether ``x`` is N × features, the features all of its output's values (a flattened map): a layer on
    it is the fully connected one; otherwise (channels last) it applies at every position."""
    if len(x.dims) == 2 and x.dims[1] == b.shapes[x.ref].numel:
        return True
    if len(x.dims) == 4 and x.axis == 3:
        return False
    raise NotUnderstood("an input that is neither N×features nor channels last")


def _gemm(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    weight = _const(b, node.input[1])
    attrs = b.attrs(node)
    if weight is None or weight.dims is None or len(weight.dims) != 2 or attrs.integer("transA", 0, 0, 1):
        raise NotUnderstood("a weight that is not a constant matrix")
    transposed = attrs.integer("transB", 0, 0, 1)
    out = weight.dims[0] if transposed else weight.dims[1]
    if out < 1:
        raise InvalidValue(f"input 1 ({_shown(node.input[1])})", f"expected a weight of at least 1 output, found {out}")
    if not _features(b, x):
        raise NotUnderstood("an input that is not N×features")
    features = weight.dims[1] if transposed else weight.dims[0]
    if features != x.dims[-1]:
        layout = "[out, in] (transB 1)" if transposed else "[in, out]"
        raise InvalidValue(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {x.dims[-1]:,} input features, dims {layout}, found dims {_found(weight.dims)}",
        )
    _bias_dims(b, node, out)
    _linear_out(b, node, x, out, len(node.input) > 2 and bool(node.input[2]), False)


def _matmul(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    weight = _const(b, node.input[1])
    if weight is None or weight.dims is None or len(weight.dims) != 2:
        raise NotUnderstood("a second input that is not a constant matrix")
    flat = _features(b, x)
    if weight.dims[0] != x.dims[-1]:
        raise InvalidValue(
            f"input 1 ({_shown(node.input[1])})",
            f"expected a weight of {x.dims[-1]:,} rows (the input's features), found dims {_found(weight.dims)}",
        )
    if weight.dims[1] < 1:
        found = weight.dims[1]
        raise InvalidValue(
            f"input 1 ({_shown(node.input[1])})", f"expected a weight of at least 1 column, found {found}"
        )
    _linear_out(b, node, x, weight.dims[1], False, not flat)


def _einsum(b: _Builder, node: Any) -> None:
    """An Einsum of the data by a constant matrix over its channels, the output in the data's layout with the
    matrix's other index in the channels' place (``bchw,oc->bohw``, ``nhwc,cd->nhwd``, ``bc,oc->bo``): a
    ``pointwise`` conv on N×C×H×W, ``linear`` at every position on a channels-last map, ``linear`` on N×features.
    Any other equation is not understood."""
    equation = b.attrs(node).string("equation", "").replace(" ", "")
    operands, arrow, output = equation.partition("->")
    terms = operands.split(",")
    if not arrow or len(terms) != 2 or len(node.input) != 2 or "." in equation:
        raise NotUnderstood("an equation that is not of two operands with an explicit output")
    values = [b.values.get(n) for n in node.input]
    data = next((i for i, v in enumerate(values) if isinstance(v, Data)), 0)
    x, weight = _act(b, node.input[data]), _const(b, node.input[1 - data])
    subscripts, matrix = terms[data], terms[1 - data]
    if weight is None or weight.dims is None or len(weight.dims) != 2 or len(matrix) != 2:
        raise NotUnderstood("an operand that is not a constant matrix")
    if len(subscripts) != len(x.dims) or len(set(subscripts)) != len(subscripts) or x.axis is None:
        raise NotUnderstood("an equation that is not a contraction of the channels")
    channel = subscripts[x.axis]
    other = matrix.replace(channel, "", 1)
    expected = subscripts.replace(channel, other)
    if len(other) != 1 or other in subscripts or output != expected:
        raise NotUnderstood("an equation that is not a contraction of the channels")
    features, out = weight.dims[matrix.index(channel)], weight.dims[matrix.index(other)]
    if features != x.dims[x.axis] or out < 1:
        found = f"found dims {_found(weight.dims)} for {matrix!r}"
        raise InvalidValue(
            f"input {1 - data} ({_shown(node.input[1 - data])})",
            f"expected a matrix of {x.dims[x.axis]:,} in channels ({channel!r}) and at least 1 out, {found}",
        )
    if len(x.dims) == 4 and x.axis == 1:
        _new_image(b, node, b.add(node.name, "pointwise", PointwiseLayer(out), (x.ref,), node.output[0]))
        return
    if x.axis != len(x.dims) - 1:
        raise NotUnderstood("an equation that is not a contraction of the channels")
    _linear_out(b, node, x, out, False, not _features(b, x))


builtin(
    "Gemm",
    _gemm,
    "`linear` (on N×features); an Add of a per-channel constant right after is its bias",
    "transA (0 only), transB; the weight's dims (must fit the input's features) and bias",
    weights=(1, 2),
)
builtin(
    "MatMul",
    _matmul,
    "`linear` by a constant weight (on a channels-last map: `per_position: true`)",
    "the weight's dims (must fit the input's features)",
    weights=(1,),
)
builtin(
    "Einsum",
    _einsum,
    "a contraction of the channels by a constant matrix, the output in the input's layout: `pointwise` on "
    "N×C×H×W (`bchw,oc->bohw`), `linear` on a channels-last map (`per_position: true`, `nhwc,cd->nhwd`) or on "
    "N×features (`bc,oc->bo`); any other equation: not understood",
    "equation; the matrix's dims (must fit the input's channels)",
)
