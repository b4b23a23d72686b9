"""Normalisation: BatchNormalization, LayerNormalization and GroupNormalization."""

from __future__ import annotations

from typing import Any

from ....layers.base import Layer
from ....layers.batchnorm import BatchNormLayer
from ....layers.groupnorm import GroupNormLayer
from ....layers.layernorm import LayerNormLayer
from ..builder import _act, _axis, _Builder, _image, _set
from ..registry import builtin
from ..values import InvalidValue, NotUnderstood


def _norm(b: _Builder, node: Any) -> None:
    x = _act(b, node.input[0])
    attrs = b.attrs(node)
    layer: Layer
    if node.op_type == "BatchNormalization":
        _image(x)
        kind, layer = "batchnorm", BatchNormLayer()
    elif node.op_type == "LayerNormalization":
        axis = _axis(b, "axis", attrs.integer("axis", -1), len(x.dims))
        if x.axis is None or axis != len(x.dims) - 1 or x.axis != axis:
            raise NotUnderstood("normalization over axes other than the channels alone")
        kind, layer = "layernorm", LayerNormLayer()
    else:
        _image(x)
        if "num_groups" not in attrs:
            raise InvalidValue("num_groups", "expected a positive integer (a required attribute), found none")
        kind, layer = "groupnorm", GroupNormLayer(attrs.integer("num_groups", 1, 1))
    ref = b.add(node.name, kind, layer, (x.ref,), node.output[0])
    _set(b, node, x._replace(ref=ref, tag=()))


builtin("BatchNormalization", _norm, "`batchnorm` (γ and β: 2 per channel)", weights=(1, 2))
builtin("LayerNormalization", _norm, "`layernorm` (over the channels alone)", "axis", weights=(1, 2))
builtin("GroupNormalization", _norm, "`groupnorm`", "num_groups", weights=(1, 2))
