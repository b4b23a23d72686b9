"""``dsc-cost report``: one self-contained HTML page of networks' costs, with charts."""

from __future__ import annotations

from typing import Annotated

import typer

from . import params as p
from ._app import app
from ._shared import PROG, OutputError, load, memory_settings, say, write
from .import_ import AllowUnknown, OnnxInput, SharedWeights, Strict, onnx_options

HELP = """Write one HTML page of the networks in the spec files: per network the totals and savings, the
mults (or params) of every layer beside the all-standard and all-separable forms, the cumulative share
of mults, the shares by kind of layer, the network as a graph and a sortable, filterable table of the
layers, the activation memory alive at each layer with its peak marked and, with a device, a
roofline chart of the layers; several files give a summary table first.

The page works offline, opened straight from disk: its data (that of 'network --format json'), script
and style are inline and it makes no request. FILE may be - for standard input (YAML, or JSON)."""

EPILOG = p.examples(
    "dsc-cost report configs/mobilenet_v1.yaml -o report.html",
    "dsc-cost report configs/mobilenet_v1.yaml configs/efficientnet_b0.yaml -o report.html",
    "dsc-cost report configs/resnet18.yaml --batch 8 -o - > resnet18.html",
    "dsc-cost report configs/mobilenet_v1.yaml --device a100 --dtype fp16 -o report.html",
)

Output = Annotated[
    str,
    typer.Option(
        "--output", "-o", metavar="FILE", rich_help_panel=p.OUTPUT,
        help="The HTML file to write (replaced if it exists; never an input, a folder or a read-only file), or - for"
        " standard output.",
    ),
]  # fmt: skip


@app.command(help=HELP, epilog=EPILOG, short_help="Write one self-contained HTML page of networks' costs, with charts.")
def report(
    files: p.SpecFiles,
    output: Output,
    batch: p.Batch = 1,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
    allow_include: p.AllowInclude = None,
    variant: p.VariantOption = None,
    set_values: p.SetOption = None,
    input: OnnxInput = None,
    strict: Strict = False,
    allow_unknown: AllowUnknown = False,
    shared_weights: SharedWeights = "per-use",
    dtype: p.Dtype = "fp32",
    weight_dtype: p.WeightDtype = None,
    activation_dtype: p.ActivationDtype = None,
    device: p.DeviceOption = None,
    devices: p.DevicesFiles = None,
) -> None:
    from ..files import WriteError, check_target, write_atomically
    from ..readers.spec.costing import cost_specs
    from ..report.html import report_html

    if output != "-":
        try:  # before any work: an input, a folder or a read-only file is not replaced
            check_target(output, "the report", [*files, *(devices or ())])
        except WriteError as error:
            raise OutputError(f"{PROG}: {error}") from None
    settings = memory_settings(dtype, weight_dtype, activation_dtype, device, devices, False)
    onnx = onnx_options(input, strict, allow_unknown, shared_weights)
    specs = load(files, max_layers, max_file_size, onnx, allow_include, variant, p.settings(set_values))
    results = cost_specs(specs, batch)
    page = report_html(results, [spec.file for spec in specs], settings)
    if output == "-":
        write(page)
        return
    try:
        write_atomically(output, page, "the report")  # a reader never sees half a page
    except WriteError as error:
        raise OutputError(f"{PROG}: {error}") from None
    layers = sum(len(result.layers) for result in results)
    networks = f"{len(results)} network{'s' * (len(results) != 1)}"
    size = len(page.encode("utf-8", "backslashreplace"))  # as it was written: a name that is not UTF-8, escaped
    say(f"wrote {output}: {networks}, {layers:,} layer{'s' * (layers != 1)}, {size / 1000:,.0f} kB\n")
