"""dsc-cost: exact parameter and multiply-accumulate counts of convolutions,
standard versus depthwise separable.

>>> from dsc_cost import Conv, compare
>>> result = compare(Conv(in_channels=3, out_channels=128, kernel=(3, 3)), height=7, width=7)
>>> result.standard.mults, result.separable.mults
(86400, 10275)
"""

from ._version import __version__
from .comparison import Comparison, Conv, compare
from .formulas import (
    ZERO,
    Cost,
    DscCostError,
    Shape,
    ShapeError,
    conv2d_cost,
    depthwise_cost,
    linear_cost,
    output_hw,
    output_length,
    pointwise_cost,
    reduction_factor,
)

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
    "linear_cost",
    "output_hw",
    "output_length",
    "pointwise_cost",
    "reduction_factor",
]
