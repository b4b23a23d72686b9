"""``dsc-cost check``: networks against cost budgets and a baseline, for CI."""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Annotated

import typer

from . import params as p
from ._app import app
from ._shared import bounded_stdin, memory_settings, rendered, usage_error, warn, write

HELP = """Check each network's totals against its limits: the spec's budget: block (max_params, max_mults,
max_flops, min_savings_vs_standard, max_weight_bytes, max_peak_memory, max_latency) and the options below,
an option overriding the file for every network; and, with --baseline, against the costs
'dsc-cost network FILE... --format json' wrote earlier.

Counts: 600M, 4.5m, 1.2G, 750_000 or 1.2e9 (K, M, G, T are powers of 1000). Bytes: 512K, 2MiB (KiB, MiB,
GiB: powers of 1024). Times: 3ms, 250us, 0.5s; a latency limit needs --device.

Exit status:

* 0: every network within every limit, and no growth beyond the baseline
* 1: a limit exceeded, growth beyond the tolerance, or a network missing from the baseline
* 2: bad usage, a bad spec or a bad baseline file (the baseline is left untouched)"""

EPILOG = p.examples(
    "dsc-cost check configs/mobilenet_v1.yaml --max-mults 600M",
    "dsc-cost check configs/*.yaml --baseline costs.json --tolerance 2 --format github",
    "dsc-cost check configs/mobilenet_v1.yaml --min-savings-vs-standard 85%",
    "dsc-cost check configs/mobilenet_v1.yaml --max-peak-memory 8MiB --max-latency 2ms --device jetson-orin-nano",
)


_PARAMS = p.count_option("--max-params", p.BUDGETS, "Most params a network may have.")
_MULTS = p.count_option("--max-mults", p.BUDGETS, "Most mults (multiply-accumulates).")
_FLOPS = p.count_option("--max-flops", p.BUDGETS, "Most FLOPs (2 × mults).")
_WEIGHT_BYTES = p.bytes_option("--max-weight-bytes", p.BUDGETS, "Most bytes of weights (at --weight-dtype).")
_PEAK = p.bytes_option("--max-peak-memory", p.BUDGETS, "Most peak activation memory, in bytes.")
_LATENCY = p.seconds_option("--max-latency", p.BUDGETS, "Longest estimated time on --device: 3ms, 250us.")


@app.command(help=HELP, epilog=EPILOG, short_help="Check networks against cost budgets and a baseline, for CI.")
def check(
    files: p.SpecFiles,
    max_params: Annotated[int | None, _PARAMS] = None,
    max_mults: Annotated[int | None, _MULTS] = None,
    max_flops: Annotated[int | None, _FLOPS] = None,
    max_weight_bytes: Annotated[int | None, _WEIGHT_BYTES] = None,
    max_peak_memory: Annotated[int | None, _PEAK] = None,
    max_latency: Annotated[Fraction | None, _LATENCY] = None,
    min_savings: Annotated[
        Fraction | None,
        typer.Option(
            "--min-savings-vs-standard",
            "--min-savings",
            parser=p.given(p.fraction),
            metavar="R",
            rich_help_panel=p.BUDGETS,
            help="Least fraction of mults saved against the all-standard form: 0.8 or 80%.",
        ),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            rich_help_panel=p.BASELINE,
            help="Costs written by 'dsc-cost network FILE... --format json' to compare with.",
        ),
    ] = None,
    tolerance: Annotated[
        Fraction | None,
        typer.Option(
            "--tolerance",
            parser=p.given(p.percent),
            metavar="PCT",
            rich_help_panel=p.BASELINE,
            show_default="0",
            help="Growth allowed against the baseline, in percent.",
        ),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option(
            "--update-baseline",
            rich_help_panel=p.BASELINE,
            help="Rewrite --baseline FILE with the current costs (only when no limit is exceeded).",
        ),
    ] = False,
    format: Annotated[
        p.CheckFormat, typer.Option("--format", "-f", rich_help_panel=p.OUTPUT, help="Output format.")
    ] = "text",
    wide: p.Wide = False,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
    allow_include: p.AllowInclude = None,
    variant: p.VariantOption = None,
    set_values: p.SetOption = None,
    dtype: p.Dtype = "fp32",
    weight_dtype: p.WeightDtype = None,
    activation_dtype: p.ActivationDtype = None,
    device: p.DeviceOption = None,
    devices: p.DevicesFiles = None,
    allow_unknown: p.AllowUnknown = False,
    shared_weights: p.SharedWeights = "per-use",
) -> None:
    from .. import check as checking
    from ..readers.bounds import Bounds
    from ..report import check_output

    for option, given in (("--update-baseline", update_baseline), ("--tolerance", tolerance is not None)):
        if given and baseline is None:
            raise usage_error(f"{option} needs --baseline FILE")
    if update_baseline:
        assert baseline is not None
        from ..files import WriteError, check_target

        try:  # before any work: an input spec, a folder or a read-only file is not replaced
            check_target(baseline, "the baseline", [*files, *(devices or ())])
        except WriteError as error:
            raise checking.BaselineError(str(error)) from None
    settings = memory_settings(dtype, weight_dtype, activation_dtype, device, devices, False)
    bounds = Bounds(max_layers, max_file_size, tuple(allow_include or ()))
    from .import_ import onnx_options  # not at the top: the commands are registered in the order of their modules

    onnx = onnx_options(None, False, allow_unknown, shared_weights)
    params = p.settings(set_values)
    targets = checking.load(files, bounded_stdin(bounds), warn, bounds, onnx, variants=variant or (), params=params)
    base = checking.read_baseline(baseline, update_baseline, max_file_size) if baseline else None
    flags = checking.Limits(
        max_params, max_mults, max_flops, min_savings, max_weight_bytes, max_peak_memory, max_latency
    )
    report = checking.evaluate(targets, flags, base, tolerance or Fraction(0), baseline, update_baseline, settings)
    text = rendered(check_output(report, format), wide)  # everything that may fail, before the baseline is written
    if report.writes_baseline:
        assert baseline is not None
        from ..report.documents import baseline_text

        checking.write_atomically(baseline, baseline_text([t.cost for t in targets], [t.spec.file for t in targets]))
    write(text)
    _step_summary(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _step_summary(report: object) -> None:
    """On GitHub Actions (``$GITHUB_STEP_SUMMARY`` set), append the report as Markdown to the job summary;
    a summary that cannot be written is a warning, never a failure of the check."""
    path = os.environ.get("GITHUB_STEP_SUMMARY", "")
    if not path:
        return
    from ..check import Report
    from ..report.checks import summary_markdown

    assert isinstance(report, Report)
    try:
        with open(path, "a", encoding="utf-8") as file:
            file.write(summary_markdown(report))
    except OSError as error:
        warn(f"cannot write the job summary {path}: {error.strerror or error}")
