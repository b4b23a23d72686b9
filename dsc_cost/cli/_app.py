"""The Typer application: its global options, and the state they set for the run."""

from __future__ import annotations

from typing import Annotated

import typer

from .._version import __version__
from ._help import Typer
from ._shared import PROG

app = Typer(
    name=PROG,
    help="Exact parameter and multiply-accumulate counts of convolutions, standard versus depthwise separable.",
    epilog=(
        "Examples:\n\n```\n"
        "dsc-cost compare -c 3 -o 128 -k 3 --size 7\n"
        "dsc-cost network configs/mobilenet_v1.yaml\n"
        "dsc-cost check configs/mobilenet_v1.yaml --max-mults 600M\n```"
    ),
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["--help", "-h"]},
)

debug = {"on": False}
"""Whether ``--debug`` was given: an unexpected error then shows its traceback."""

MAX_PROBLEMS = 50
"""The problems shown of each file by default (``--max-problems N``; 0: all of them)."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug_: Annotated[
        bool,
        typer.Option("--debug", help="Show the traceback of an unexpected error (also: DSC_COST_DEBUG=1)."),
    ] = False,
    max_problems: Annotated[
        int,
        typer.Option(
            "--max-problems",
            metavar="N",
            min=0,
            help="Show at most N problems of each bad file, then how many more there are (0: all); every command"
            " takes it.",
        ),
    ] = MAX_PROBLEMS,
) -> None:
    """Exact parameter and multiply-accumulate counts of convolutions, standard versus depthwise separable."""
    debug["on"] = debug["on"] or debug_
