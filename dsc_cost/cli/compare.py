"""``dsc-cost compare``: one convolution, standard versus depthwise separable."""

from __future__ import annotations

from typing import Annotated

import typer

from . import params as p
from ._app import app
from ._shared import comparison, convention, emit, memory_settings, usage_error

HELP = """Cost one convolution as a standard conv and as depthwise (K×K) + pointwise (1×1).

mults are multiply-accumulates (one per weight per output position); FLOPs = 2 × mults."""

EPILOG = p.examples(
    "dsc-cost compare -c 3 -o 128 -k 3 --size 7",
    "dsc-cost compare -c 16 -o 32 -k 3 --size 128 --padding 1 --bias --explain",
    "dsc-cost compare -c 32 -o 64 --size 112 --as fvcore --format json",
    "dsc-cost compare -c 32 -o 64 --size 112 --device jetson-orin-nano",
)


@app.command(help=HELP, epilog=EPILOG, short_help="Cost one convolution, standard versus depthwise separable.")
def compare(
    in_channels: p.InChannels,
    out_channels: p.OutChannels,
    kernel: p.Kernel = p.THREE,
    size: p.RequiredSize = None,
    height: p.Height = None,
    width: p.Width = None,
    stride: p.Stride = p.ONE,
    padding: p.Padding = p.NONE,
    dilation: p.Dilation = p.ONE,
    groups: p.Groups = 1,
    multiplier: p.Multiplier = 1,
    bias: p.Bias = False,
    bias_both: p.BiasBoth = False,
    batch: p.Batch = 1,
    flops: p.Flops = False,
    tool: p.As = None,
    format: p.FormatOption = "table",
    wide: p.Wide = False,
    exact: p.Exact = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", rich_help_panel=p.OUTPUT, help="Show the derivation with the numbers substituted."),
    ] = False,
    dtype: p.Dtype = "fp32",
    weight_dtype: p.WeightDtype = None,
    activation_dtype: p.ActivationDtype = None,
    memory: p.Memory = False,
    device: p.DeviceOption = None,
    devices: p.DevicesFiles = None,
) -> None:
    if explain and format == "csv":
        raise usage_error("--explain: not available with --format csv (use table, markdown or json)")
    result = comparison(
        in_channels, out_channels, kernel, size, height, width, stride, padding, dilation, groups, multiplier,
        bias, bias_both, batch,
    )  # fmt: skip
    settings = memory_settings(dtype, weight_dtype, activation_dtype, device, devices, memory)
    from ..report import compare_output

    emit(
        compare_output(
            result, format, exact=exact, flops=flops, convention=convention(tool), explain=explain, settings=settings
        ),
        wide,
    )
