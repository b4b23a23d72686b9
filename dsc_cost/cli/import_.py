"""``dsc-cost import``: the spec of an ONNX model, written so that costing it gives what costing the model does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from .. import units
from . import params as p
from ._app import app
from ._shared import emit, warn

if TYPE_CHECKING:
    from ..readers.onnx.options import OnnxOptions

HELP = """Write the network spec of an ONNX model, or of a Keras model (.keras, .h5), as YAML or JSON (--format
json): costing the spec gives exactly what costing the model file gives. Layer names are the graph's node names
(Keras' layer names), made unique; the input shape is the model's (--input sets it where it is not fixed).

Every command that takes spec files takes ONNX and Keras files too: this command is for keeping or editing the
spec."""


INPUT_SIZE = 2**63 - 1
"""The largest channels, height or width of ``--input``: ONNX's sizes are int64."""


def input_shape(text: str) -> tuple[int, int, int]:
    """``CxHxW``: channels, height, width (``×`` too), each a whole number from 1 to 2⁶³ − 1 (ONNX's int64).

    >>> input_shape("3×224x224")
    (3, 224, 224)
    """
    parts = [part.strip() for part in text.lower().replace("×", "x").split("x")]
    if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts):
        raise typer.BadParameter(
            f"expected CxHxW of whole numbers ≥ 1, such as 3x224x224, found {units.shorten(text)!r}"
        )
    if any(len(part.lstrip("0")) > 19 or int(part) > INPUT_SIZE for part in parts):
        raise typer.BadParameter(
            f"value too large: expected sizes of at most {INPUT_SIZE:,} (ONNX's int64), found {units.shorten(text)!r}"
        )
    channels, height, width = (int(part) for part in parts)
    if min(channels, height, width) < 1:
        raise typer.BadParameter(
            f"expected CxHxW of whole numbers ≥ 1, such as 3x224x224, found {units.shorten(text)!r}"
        )
    return channels, height, width


OnnxInput = Annotated[
    str | None,
    p._option(
        "--input", panel=p.SHAPE, metavar="CxHxW", show_default=False,
        help="The input of one sample of an ONNX or Keras model, such as 3x224x224: where the model's size is not"
        " fixed, or to change it.",
    ),
]  # fmt: skip
Strict = Annotated[
    bool,
    p._option(
        "--strict",
        panel=p.OUTPUT,
        hidden=True,
        help="What every read does now: an op of an ONNX model that is not understood is an error (exit 2).",
    ),
]
"""``--strict``: kept, hidden, so that scripts that give it still run; it cannot be given with --allow-unknown."""
SpecFormat = Annotated[Literal["yaml", "json"], p._option("--format", "-f", panel=p.OUTPUT, help="Spec format.")]
OnnxFile = Annotated[
    str,
    typer.Argument(
        metavar="FILE", help="An ONNX model, or a Keras model (a name ending .keras or .h5; any other: ONNX)."
    ),
]
Output = Annotated[
    str | None,
    p._option(
        "--output",
        "-o",
        panel=p.OUTPUT,
        metavar="PATH",
        help="Write the spec to PATH (never the model, a folder or a read-only file; default: standard output).",
    ),
]


AllowUnknown = p.AllowUnknown
SharedWeights = p.SharedWeights


def onnx_options(
    input: str | None, strict: bool = False, allow_unknown: bool = False, shared_weights: str = "per-use"
) -> OnnxOptions:
    """How ONNX files are read, from ``--input``, ``--strict`` (what every read does: with ``--allow-unknown``, a
    usage error), ``--allow-unknown`` and ``--shared-weights``."""
    from ..formulas import Shape
    from ..readers.onnx.options import OnnxOptions

    if strict and allow_unknown:
        raise typer.BadParameter(
            "--strict refuses what --allow-unknown allows: give one (an op not understood is refused without"
            " --allow-unknown)",
            param_hint="'--strict'",
        )
    shape = None
    if input is not None:
        try:
            shape = Shape(*input_shape(input))
        except typer.BadParameter as error:
            raise typer.BadParameter(error.message, param_hint="'--input'") from None
    return OnnxOptions(shape, strict, allow_unknown, "once" if shared_weights == "once" else "per-use")


@app.command(
    "import",
    help=HELP + "\n\n" + p.examples(
        "dsc-cost import model.onnx -o model.yaml",
        "dsc-cost import model.onnx --input 3x320x320 --format json",
        "dsc-cost import model.onnx --allow-unknown --shared-weights once",
    ),
    short_help="Write the network spec of an ONNX or Keras model.",
)  # fmt: skip
def import_(
    file: OnnxFile,
    output: Output = None,
    format: SpecFormat = "yaml",
    input: OnnxInput = None,
    strict: Strict = False,
    allow_unknown: AllowUnknown = False,
    shared_weights: SharedWeights = "per-use",
) -> None:
    from ..files import check_target, write_atomically
    from ..readers.keras import is_keras
    from ..readers.onnx import load_onnx
    from ..readers.spec_writer import spec_text

    options = onnx_options(input, strict, allow_unknown, shared_weights)
    if output is not None:
        check_target(output, "the spec", [file])  # before any work: the model, a folder or a read-only file
    if is_keras(file):  # a Keras model (.keras, .h5); any other name is read as ONNX
        from ..readers.keras import load_keras

        [spec] = load_keras(file, options, warn)
    else:
        [spec] = load_onnx(file, options, warn)
    text = spec_text(spec.network, format)
    if output is None:
        emit(text)
        return
    write_atomically(output, text, "the spec")  # raises WriteError, one line: a spec is never half written
