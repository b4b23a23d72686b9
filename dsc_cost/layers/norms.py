"""Layers that normalize or scale channels: ``layernorm``, ``groupnorm`` and ``scale``. Their params are
learnable per channel; they add no mults, and their per-element work is other operations."""

from __future__ import annotations

from typing import NamedTuple

from ..formulas import Shape, ShapeError
from .base import Elements, Evaluation, field, positive, register, same


@register(
    "layernorm",
    "layer-norm over the channels at each position (as ConvNeXt's): 2 × C params, no mults: C × H × W",
    (),
    order=100,
    example="{type: layernorm}",
)
class LayerNormLayer(NamedTuple):
    """Layer-norm over the channels at every position, with a learnable scale and shift per channel
    (2·C params, none of them running statistics)."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        return same(x, (2 * x.channels, 0), "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements(layernorm_elements=output.numel, layernorm_channels=output.channels)


@register(
    "groupnorm",
    "group-norm over groups of channels (groups: dividing C): 2 × C params, no mults: C × H × W",
    (field("groups", positive, "a positive integer", required=True, defaultable=False),),
    order=110,
    example="{type: groupnorm, groups: 2}",
)
class GroupNormLayer(NamedTuple):
    """Group-norm: the channels in ``groups`` groups, each normalized over its channels and positions,
    with a learnable scale and shift per channel (2·C params)."""

    groups: int

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        if x.channels % self.groups:
            raise ShapeError("groups", f"groups {self.groups} must divide the in channels {x.channels}")
        return same(x, (2 * x.channels, 0), "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return Elements(groupnorm_elements=output.numel, groupnorm_channels=output.channels)


@register(
    "scale",
    "a learnable scale per channel (ConvNeXt's layer scale): C params, no mults: C × H × W",
    (),
    order=120,
    example="{type: scale}",
)
class ScaleLayer(NamedTuple):
    """A learnable scale per channel: C params; its C·H·W products are other operations, not mults."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        x = inputs[0]
        return same(x, (x.channels, 0), "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        # torchvision's ConvNeXt holds it as a parameter of its block (`layer_scale * x`): no counter sees it
        return Elements(scale_elements=output.numel)
