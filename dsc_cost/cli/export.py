"""``dsc-cost export``: a network spec as a runnable ONNX model."""

from __future__ import annotations

from typing import Annotated

import typer

from . import params as p
from ._app import app
from ._shared import load, say, usage_error

HELP = """Write a network of a spec as a runnable ONNX model (opset 18, random weights drawn from --seed): every
layer as standard ONNX ops, its nodes named after the layer (LAYER, LAYER/bn, LAYER/pointwise and so on), with a
batch of any size. Reading the model back (dsc-cost network model.onnx) gives the spec's params and mults.

Needs the onnx package: pip install 'dsc-cost[onnx]'."""

SpecFile = Annotated[str, typer.Argument(metavar="SPEC", help="A spec file (YAML or JSON).")]
Output = Annotated[
    str, p._option("--output", "-o", panel=p.OUTPUT, metavar="PATH", help="Write the ONNX model to PATH.")
]
Seed = Annotated[int, p._option("--seed", panel=p.OUTPUT, help="Seed of the random weights.", min=0)]
NetworkName = Annotated[
    str | None,
    p._option(
        "--network", panel=p.OUTPUT, metavar="NAME", show_default=False,
        help="The network of a spec file of several (its name); default: the only one.",
    ),
]  # fmt: skip


@app.command(
    help=HELP + "\n\n" + p.examples(
        "dsc-cost export configs/mobilenet_v1.yaml -o mobilenet_v1.onnx",
        "dsc-cost export configs/seeds.yaml --network 'seed 7x7x3 to 128' -o seed.onnx --seed 3",
    ),
    short_help="Write a network spec as a runnable ONNX model.",
)  # fmt: skip
def export(
    file: SpecFile,
    output: Output,
    seed: Seed = 0,
    network: NetworkName = None,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
) -> None:
    from ..files import check_target, write_atomically
    from ..runtime import need_onnx
    from ..runtime.export import export_spec, model_bytes

    need_onnx()
    check_target(output, "the model", [file])
    specs = load([file], max_layers, max_file_size)
    if network is not None:
        chosen = [spec for spec in specs if spec.network.name == network]
        if not chosen:
            names = ", ".join(repr(spec.network.name) for spec in specs)
            raise usage_error(f"--network {network!r}: {file} has no network of that name (it has {names})")
    elif len(specs) > 1:
        names = ", ".join(repr(spec.network.name) for spec in specs)
        raise usage_error(f"{file} has {len(specs)} networks: choose one with --network (one of {names})")
    else:
        chosen = specs
    exported = export_spec(chosen[0], seed)
    data = model_bytes(exported.model)
    write_atomically(output, data, "the model")
    from ..units import byte_count

    network_ = chosen[0].network
    layers, nodes = len(network_.nodes), len(exported.model.graph.node)
    counts = f"{layers:,} layer{'s' * (layers != 1)} as {nodes:,} node{'s' * (nodes != 1)}"
    say(f"wrote {output}: {network_.name}, {counts}, {byte_count(len(data))}\n")
