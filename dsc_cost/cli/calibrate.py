"""``dsc-cost calibrate``: fit a device profile to micro-benchmarks of this machine."""

from __future__ import annotations

import sys
from typing import Annotated, Any

from . import params as p
from ._app import app
from ._shared import say

HELP = """Time single layers of every kind (full, grouped, depthwise 3×3/5×5/7×7 and pointwise convs, linear
layers, pooling, element-wise ops and norms, over the channels, maps and strides of the shipped networks), chains
of tiny steps and chains of real blocks in onnxruntime on this machine, fit a cost model (a run's cost, plus per
step overhead + max(mults ÷ rate, bytes ÷ bandwidth), rates per kind and shape of step) and write it as a device
profile: --device FILE uses it wherever --device works.

About two minutes (--quick: under half a minute); the profile is written at the end, whole, or not at all.
Needs onnxruntime and onnx: pip install 'dsc-cost[runtime]'."""

Output = Annotated[
    str, p._option("--output", "-o", panel=p.OUTPUT, metavar="PATH", help="Write the profile (YAML) to PATH.")
]
Name = Annotated[str, p._option("--name", panel=p.OUTPUT, help="The profile's name in the file.")]
Quick = Annotated[bool, p._option("--quick", panel=p.RUN, help="Fewer benchmarks, shorter: under half a minute.")]


@app.command(
    help=HELP + "\n\n" + p.examples(
        "dsc-cost calibrate -o mine.yaml",
        "dsc-cost calibrate --quick --threads 2 -o mine.yaml --name laptop",
        "dsc-cost network configs/mobilenet_v2.yaml --device mine.yaml",
    ),
    short_help="Fit a device profile to micro-benchmarks of this machine.",
)  # fmt: skip
def calibrate(output: Output, name: Name = "this-machine", threads: p.Threads = 0, quick: Quick = False) -> None:
    from ..devices import parse_profiles
    from ..files import check_target, write_atomically
    from ..runtime import calibrate as cal
    from ..runtime import need_runtime

    need_runtime()
    check_target(output, "the profile")
    with _bar() as advance:
        points = cal.run_benchmarks(threads, quick, advance)
    found = cal.calibration(cal.fit(points), threads)
    text = cal.profile_text(name, found)
    parse_profiles(text, output)  # what is written reads back
    write_atomically(output, text, "the profile")
    residuals = dict(found.residuals)
    say(
        f"wrote {output}: {len(points)} benchmarks, model within ±{residuals['median']:.0%} of them (median),"
        f" ±{residuals['p90']:.0%} (90th percentile)\n"
    )


class _bar:
    """A rich progress bar on stderr when it is a terminal; entering gives the function to call with each
    benchmark's name, number and count (``None`` without a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = bar = Progress(
            TextColumn("{task.description:<44}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        )  # fmt: skip
        bar.start()
        task = bar.add_task("calibrating", total=1)

        def advance(what: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=what)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
