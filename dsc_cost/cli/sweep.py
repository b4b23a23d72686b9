"""``dsc-cost sweep``: every width × resolution variant of a network."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

import typer

from ..formulas import ShapeError
from . import params as p
from ._app import app
from ._shared import emit, load, memory_settings, scaler, usage_error

HELP = """Cost every width × resolution variant of each network in the spec files, one row per variant.

Width scales every channel count written in the spec except the input's, the final linear layer's
output and those of layers marked width: fixed: int(c × width), the MobileNet V1 rule, or with
--divisor N rounded to a multiple of N as MobileNet V2 does; channels a block derives from its input
follow the scaled input. Resolution replaces the input's height and width. savings: the fraction of
mults a variant saves against its all-standard form."""

EPILOG = p.examples(
    "dsc-cost sweep configs/mobilenet_v1.yaml --max-mults 300M --sort mults",
    "dsc-cost sweep configs/mobilenet_v2.yaml -w 1,0.5 -r 224,160 --divisor 8",
    "dsc-cost sweep configs/mobilenet_v1.yaml configs/mnasnet1_0.yaml -r 224 --format csv",
    "dsc-cost sweep configs/mobilenet_v1.yaml -r 224,128 --device raspberry-pi-4 --max-latency 10ms --sort latency",
)

Widths = Annotated[
    Any,
    typer.Option(
        "--width", "-w", parser=p.given(p.widths), metavar="LIST", rich_help_panel=p.VARIANTS,
        show_default=False, help="Width multipliers (default 1,0.75,0.5,0.25).",
    ),
]  # fmt: skip
Resolutions = Annotated[
    Any,
    typer.Option(
        "--resolution", "-r", parser=p.given(p.resolutions), metavar="LIST", rich_help_panel=p.VARIANTS,
        show_default=False, help="Input resolutions (default 224,192,160,128).",
    ),
]  # fmt: skip


@app.command(help=HELP, epilog=EPILOG, short_help="Cost every width × resolution variant of networks.")
def sweep(
    files: p.SpecFiles,
    width: Widths = (Fraction(1), Fraction(3, 4), Fraction(1, 2), Fraction(1, 4)),
    resolution: Resolutions = (224, 192, 160, 128),
    divisor: p.Divisor = None,
    max_params: Annotated[
        int | None, p.count_option("--max-params", p.FILTER, "Keep the variants with at most N params.")
    ] = None,
    max_mults: Annotated[
        int | None, p.count_option("--max-mults", p.FILTER, "Keep the variants with at most N mults.")
    ] = None,
    max_weight_bytes: Annotated[
        int | None, p.bytes_option("--max-weight-bytes", p.FILTER, "Keep the variants with at most SIZE of weights.")
    ] = None,
    max_peak_memory: Annotated[
        int | None,
        p.bytes_option(
            "--max-peak-memory", p.FILTER, "Keep the variants whose peak activation memory is at most SIZE."
        ),
    ] = None,
    max_latency: Annotated[
        Fraction | None,
        p.seconds_option("--max-latency", p.FILTER, "Keep the variants estimated at most TIME on --device."),
    ] = None,
    sort: Annotated[
        p.SweepSortKey | None,
        typer.Option(
            "--sort",
            rich_help_panel=p.FILTER,
            help="Order the rows by params, mults, weight_bytes, peak_memory or latency (with --device), smallest"
            " first.",
        ),
    ] = None,
    format: p.FormatOption = "table",
    wide: p.Wide = False,
    exact: Annotated[
        bool, typer.Option("--exact", "-e", rich_help_panel=p.OUTPUT, help="Full integers in table and markdown.")
    ] = False,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
    allow_include: p.AllowInclude = None,
    dtype: p.Dtype = "fp32",
    weight_dtype: p.WeightDtype = None,
    activation_dtype: p.ActivationDtype = None,
    memory: p.Memory = False,
    device: p.DeviceOption = None,
    devices: p.DevicesFiles = None,
) -> None:
    from ..spec import Bounds
    from ..variants import sweep as variants_of

    if (max_latency is not None or sort == "latency") and device is None:
        raise usage_error("--max-latency and --sort latency need --device NAME ('dsc-cost devices' lists them)")
    asked = memory or max_weight_bytes is not None or max_peak_memory is not None or sort in p.MEMORY_SORT_KEYS
    settings = memory_settings(dtype, weight_dtype, activation_dtype, device, devices, asked)
    variants = []
    bounds = Bounds(max_layers, max_file_size, tuple(allow_include or ()))
    for spec in load(files, max_layers, max_file_size, allow_include=allow_include):
        try:
            variants += variants_of(
                spec.network,
                list(width),
                list(resolution),
                divisor,
                scale=scaler(spec, divisor, bounds),
                settings=settings if asked or device else None,
            )
        except ShapeError as error:
            raise usage_error(f"--width/--resolution: {spec.network.name}: {error.message}") from error
    variants = [
        v for v in variants
        if (max_params is None or v.total.params <= max_params) and (max_mults is None or v.total.mults <= max_mults)
        and (max_weight_bytes is None or _measure(v, "weight_bytes") <= max_weight_bytes)
        and (max_peak_memory is None or _measure(v, "peak_memory") <= max_peak_memory)
        and (max_latency is None or _measure(v, "latency") <= max_latency)
    ]  # fmt: skip
    if sort:
        variants.sort(key=lambda v: _measure(v, sort))
    from ..report import sweep_output

    emit(sweep_output(variants, format, exact=exact), wide)


def _measure(variant: Any, key: str) -> int | Fraction:
    """A variant's params, mults, weight bytes, peak activation memory or estimated seconds."""
    if key in ("params", "mults"):
        return getattr(variant.total, key)  # type: ignore[no-any-return]
    memory = variant.memory
    if key == "weight_bytes":
        return memory.weight_bytes  # type: ignore[no-any-return]
    if key == "peak_memory":
        return memory.peak_bytes  # type: ignore[no-any-return]
    return memory.roofline.seconds  # type: ignore[no-any-return]
