"""``dsc-cost conventions``: what torchinfo, ptflops, fvcore, thop, Keras and FLOPs counters report."""

from __future__ import annotations

from typing import Annotated

import typer

from . import params as p
from ._app import app
from ._shared import comparison, emit, load, usage_error

HELP = """Show, a row per tool, the params and op count torchinfo, ptflops, fvcore, thop, Keras and FLOPs
counters report for the same layers, and what in each convention makes it differ from dsc-cost's
count: for the networks of spec files, or for one convolution given as in compare (its separable
form and its standard form)."""

EPILOG = p.examples(
    "dsc-cost conventions -c 16 -o 32 -k 3 --size 128 --padding 1 --bias-both",
    "dsc-cost conventions configs/mobilenet_v1.yaml",
    "dsc-cost conventions configs/resnet18.yaml --format json",
)


@app.command(
    help=HELP,
    epilog=EPILOG,
    short_help="What torchinfo, ptflops, fvcore, thop, Keras and FLOPs counters report, and why.",
)
def conventions(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="FILE", help="Network specs (or give a convolution's options)."),
    ] = None,
    in_channels: p.OptionalInChannels = None,
    out_channels: p.OptionalOutChannels = None,
    kernel: p.Kernel = p.THREE,
    size: p.Size = None,
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
    format: p.FormatOption = "table",
    wide: p.Wide = False,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
    allow_include: p.AllowInclude = None,
) -> None:
    from ..conventions import compare_subjects, network_subject, rows

    if files:
        if any(flag is not None for flag in (in_channels, out_channels, size, height, width)):
            raise usage_error("give spec files or a convolution's options, not both")
        from ..readers.spec.costing import cost_specs

        subjects = [
            network_subject(result)
            for result in cost_specs(load(files, max_layers, max_file_size, allow_include=allow_include), batch)
        ]
    else:
        subjects = compare_subjects(
            comparison(
                in_channels, out_channels, kernel, size, height, width, stride, padding, dilation, groups,
                multiplier, bias, bias_both, batch,
            )
        )  # fmt: skip
    table = [(subject, rows(subject)) for subject in subjects]
    from ..report import conventions_output

    emit(conventions_output(table, format), wide)
