"""dsc-cost: exact parameter and multiply-accumulate counts of convolutions,
standard versus depthwise separable.

>>> from dsc_cost import Conv, compare
>>> result = compare(Conv(in_channels=3, out_channels=128, kernel=(3, 3)), height=7, width=7)
>>> result.standard.mults, result.separable.mults
(86400, 10275)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import display as _display
from ._version import __version__
from .formulas import (
    ZERO,
    Comparison,
    Conv,
    Cost,
    DscCostError,
    Shape,
    ShapeError,
    compare,
    conv2d_cost,
    depthwise_cost,
    linear_cost,
    output_hw,
    output_length,
    pointwise_cost,
    reduction_factor,
)
from .readers.torch import from_torch, summary

if TYPE_CHECKING:
    from rich.console import RenderableType

    from .network import NetworkCost

__all__ = [
    "ZERO",
    "Comparison",
    "Conv",
    "Cost",
    "DscCostError",
    "Shape",
    "ShapeError",
    "__version__",
    "compare",
    "conv2d_cost",
    "depthwise_cost",
    "from_torch",
    "linear_cost",
    "output_hw",
    "output_length",
    "pointwise_cost",
    "reduction_factor",
    "summary",
]


# A costed network's _repr_html_ and __rich__ (dsc_cost.network) are these writers, given through dsc_cost.display:
# the network module cannot import the report's modules, which import it.
def _html(result: NetworkCost) -> str:
    from .report.notebook import network_html

    return network_html([result])


def _rich(result: NetworkCost) -> RenderableType:
    from .report.notebook import network_rich

    return network_rich([result])


_display.provide("html", _html)
_display.provide("rich", _rich)
