"""``dsc-cost devices``: the device profiles of the roofline estimate."""

from __future__ import annotations

from typing import Annotated

import typer

from . import params as p
from ._app import app
from ._shared import emit

HELP = """List the device profiles --device takes: peak multiply-accumulates per second for each dtype (MACs/s:
half the FLOPS a vendor gives), memory bandwidth in bytes per second, and where the numbers come from.

The ridge is peak ÷ bandwidth: a layer doing fewer mults per byte it moves is memory-bound there."""

EPILOG = p.examples(
    "dsc-cost devices",
    "dsc-cost devices --devices my-devices.yaml --format json",
    "dsc-cost devices mine.yaml",
)
Files = Annotated[
    list[str] | None,
    typer.Argument(metavar="[FILE]...", show_default=False, help="Devices files to list too (as --devices)."),
]


@app.command(help=HELP, epilog=EPILOG, short_help="List the device profiles of the roofline estimate.")
def devices(
    files: Files = None,
    devices: p.DevicesFiles = None,
    format: p.FormatOption = "table",
    wide: p.Wide = False,
) -> None:
    from ..devices import all_devices
    from ..report import devices_output

    emit(devices_output(list(all_devices([*(files or ()), *(devices or ())]).values()), format), wide)
