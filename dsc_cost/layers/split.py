"""``split``: the channels cut into parts of given sizes or into equal parts, as ShuffleNetV2's channel split.
Costs nothing. Each part is an output of its own, read by later layers as ``NAME.0``, ``NAME.1``, …"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..formulas import Shape, ShapeError
from .base import FREE, NOTHING, Elements, Evaluation, Invalid, field, register, same

MAX_PARTS = 4096
"""The most parts a split may have (each is an output of its own)."""


def _count(value: object, low: int, high: int | None = None) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value and (high is None or value <= high)


def _sizes(value: object) -> tuple[int, ...]:
    if isinstance(value, list) and 2 <= len(value) <= MAX_PARTS and all(_count(v, 1) for v in value):
        return tuple(value)
    raise Invalid


def _parts(value: object) -> int:
    if _count(value, 2, MAX_PARTS):
        return value  # type: ignore[return-value]
    raise Invalid


def _sizes_or_parts(values: Mapping[str, Any]) -> tuple[str, str] | None:
    sizes, parts = values.get("sizes"), values.get("parts")
    if sizes is None and parts is None:
        return "sizes", "missing: split layers need sizes or parts"
    if sizes is not None and parts is not None and len(sizes) != parts:
        return "parts", f"expected {len(sizes)}, the number of sizes, found {parts}"
    return None


@register(
    "split",
    "the channels cut into parts of sizes: [a, b, …] (summing to C) or into parts: n equal ones, each read as "
    "NAME.0, NAME.1, …; costs nothing: a × H × W, b × H × W, …",
    (
        field(
            "sizes",
            _sizes,
            f"a list of 2 to {MAX_PARTS:,} positive integers (the channels of each part)",
            defaultable=False,
        ),
        field("parts", _parts, f"an integer from 2 to {MAX_PARTS:,}", defaultable=False),
    ),
    order=82,
    example="{type: split, sizes: [1, 3], parts: 2}",
    check=_sizes_or_parts,
)
class SplitLayer(NamedTuple):
    """A channel split (``torch.split`` or ``x.chunk(n, dim=1)``): ``sizes`` channels each, or ``parts``
    equal parts. Nothing is counted by dsc-cost or by any counter: each part is a view of the input.

    Its parts are outputs of their own (:meth:`outputs`); its ``output``, what a layer after it reads
    when it names no input, is part 0."""

    sizes: tuple[int, ...] | None = None
    parts: int | None = None

    @property
    def part_count(self) -> int:
        """The number of parts."""
        return len(self.sizes) if self.sizes is not None else self.parts or 0

    def outputs(self, x: Shape) -> tuple[Shape, ...]:
        """The shape of each part of ``x``.

        :raises ShapeError: when the sizes do not sum to the channels, or the parts do not divide them.
        """
        channels = x.channels
        if self.sizes is not None:
            total = sum(self.sizes)
            if total != channels:
                shown = " + ".join(map(str, self.sizes)) if len(self.sizes) <= 8 else "the sizes"
                raise ShapeError(
                    "sizes", f"expected sizes summing to the in channels {channels}, found {shown} = {total}"
                )
            return tuple(x._replace(channels=c) for c in self.sizes)
        parts = self.parts or 1
        if channels % parts:
            raise ShapeError("parts", f"expected a number of parts dividing the in channels {channels}, found {parts}")
        return (x._replace(channels=channels // parts),) * parts

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation:
        return same(self.outputs(inputs[0])[0], FREE, "other")

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements:
        return NOTHING
