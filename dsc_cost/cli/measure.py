"""``dsc-cost measure``: run networks in onnxruntime and show the measured time beside the predicted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from . import params as p
from ._app import app
from ._shared import emit, load, usage_error

if TYPE_CHECKING:
    from ..devices import Device
    from ..runtime.measure import Measured, Settings
    from ..spec import Spec

HELP = """Run each network in onnxruntime on this machine's CPU and show the measured time beside the time
predicted on --device (the roofline of a profile, or of one made by dsc-cost calibrate). A spec is exported to
ONNX first (random weights); an ONNX file runs as it is. --per-layer times each layer with onnxruntime's
profiler.

Needs onnxruntime and onnx: pip install 'dsc-cost[runtime]'."""

Warmup = Annotated[int, p._option("--warmup", panel=p.RUN, min=0, help="Untimed runs first.")]
Runs = Annotated[int, p._option("--runs", panel=p.RUN, min=1, help="Timed runs (the median is shown).")]
PerLayer = Annotated[
    bool, p._option("--per-layer", panel=p.RUN, help="Time each layer too, with onnxruntime's profiler.")
]


@app.command(
    help=HELP + "\n\n" + p.examples(
        "dsc-cost measure configs/mobilenet_v1.yaml --device mine.yaml",
        "dsc-cost measure configs/*.yaml --threads 2 --runs 50 --format csv",
        "dsc-cost measure model.onnx --per-layer --device peak=100G,bandwidth=20G",
    ),
    short_help="Run networks in onnxruntime: measured time beside predicted.",
)  # fmt: skip
def measure(
    files: p.SpecFiles,
    threads: p.Threads = 0,
    batch: p.Batch = 1,
    warmup: Warmup = 5,
    runs: Runs = 20,
    per_layer: PerLayer = False,
    device: p.DeviceOption = None,
    devices: p.DevicesFiles = None,
    format: p.FormatOption = "table",
    wide: p.Wide = False,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
) -> None:
    from ..report import measure_output
    from ..runtime import need_runtime
    from ..runtime.measure import Settings

    need_runtime()  # before any work: what to install
    found = None
    if device is not None:
        from ..devices import resolve

        found = resolve(device, devices or ())
        found.peak_for("fp32")
    if "-" in files:
        raise usage_error("measure reads files, not standard input")
    specs = load(files, max_layers, max_file_size)
    settings = Settings(threads, batch, warmup, runs, per_layer)
    emit(measure_output([_measure(spec, settings, found) for spec in specs], format), wide)


def _measure(spec: Spec, settings: Settings, device: Device | None) -> Measured:
    from ..onnx import is_onnx
    from ..runtime.export import export_spec, model_bytes
    from ..runtime.measure import measure as run

    if is_onnx(spec.file):
        with open(spec.file, "rb") as handle:
            model = handle.read()
    else:
        model = model_bytes(export_spec(spec).model)
    return run(spec.network, model, settings, device, spec.file)
