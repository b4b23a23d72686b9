"""Calibrate a device profile on this machine: time single layers of every kind in onnxruntime, fit a cost model
per kind of step, and write it as a profile that ``--device`` takes.

The benchmarks (:func:`benchmarks`) span what the shipped configs run: full convs k×k (stride 1 and 2, and
grouped), depthwise 3×3, 5×5 and 7×7 (stride 1 and 2), pointwise 1×1, linear layers (a classifier and a
per-position MLP), pooling, element-wise ops (activations, adds, scales) and norms, over channels from 16 to 1024
and maps from 112×112 to 7×7 at the widths networks use them. Each is one exported layer, timed as
:mod:`.measure` times a network, less the time of a model that does nothing (the cost of a run itself).

The model (:func:`fit`): a step of kind K (conv, depthwise, pointwise, linear, other) takes

    time = overhead + max(mults ÷ rate[K], bytes ÷ bandwidth)

with one overhead and one bandwidth for every step and a rate per kind, chosen to minimize the squared log error
over the benchmarks; the residuals (median and 90th percentile of |predicted ÷ measured − 1|) go into the
profile with the CPU, the threads, the runtime and the date.
"""

from __future__ import annotations

import math
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from . import need_runtime

if TYPE_CHECKING:
    from ..devices import Calibration
    from ..layers.base import Layer

KINDS = ("conv", "depthwise", "pointwise", "linear", "other")


class Bench(NamedTuple):
    """One micro-benchmark: a layer on an input of ``shape``, its name for the progress bar."""

    name: str
    shape: tuple[int, ...]
    layer: Layer
    type: str


class Point(NamedTuple):
    """One benchmark's step: its kind, mults, bytes moved (fp32, batch 1) and the seconds it took."""

    name: str
    kind: str
    mults: int
    bytes: int
    seconds: float


def benchmarks(quick: bool = False) -> list[Bench]:
    """The layers to time: every kind over the channels, maps and strides the configs use (fewer when ``quick``)."""
    from ..layers.activation import ActivationLayer
    from ..layers.add import AddLayer
    from ..layers.batchnorm import BatchNormLayer
    from ..layers.conv import ConvLayer
    from ..layers.depthwise import DepthwiseLayer
    from ..layers.layernorm import LayerNormLayer
    from ..layers.linear import LinearLayer
    from ..layers.pointwise import PointwiseLayer
    from ..layers.pool import PoolLayer
    from ..layers.scale import ScaleLayer

    # (channels, size): the widths at which networks run each resolution
    maps = [(16, 112), (32, 112), (64, 56), (128, 56), (128, 28), (256, 28), (256, 14), (512, 14), (512, 7),
            (1024, 7)]  # fmt: skip
    if quick:
        maps = maps[1::3]
    out: list[Bench] = []
    for c, s in maps:
        x = (c, s, s)
        for k in (3, 5, 7):
            for stride in (1, 2):
                if quick and k != 3 and stride == 2:
                    continue
                dw = DepthwiseLayer((k, k), (stride, stride), (k // 2, k // 2))
                out.append(Bench(f"depthwise {k}×{k}/{stride} {c}×{s}×{s}", x, dw, "depthwise"))
        for o in (c, 2 * c) if not quick else (c,):
            out.append(Bench(f"pointwise {c}→{o} {s}×{s}", x, PointwiseLayer(o), "pointwise"))
        if c <= 512:
            out.append(Bench(f"conv 3×3 {c}→{c} {s}×{s}", x, ConvLayer(c, (3, 3), padding=(1, 1)), "conv"))
            out.append(Bench(f"conv 3×3/2 {c}→{2 * c} {s}×{s}", x, ConvLayer(2 * c, (3, 3), (2, 2), (1, 1)), "conv"))
            if c >= 32 and not quick:
                out.append(Bench(f"grouped conv 3×3 g4 {c} {s}×{s}", x,
                                 ConvLayer(c, (3, 3), padding=(1, 1), groups=4), "conv"))  # fmt: skip
        if c <= 64:
            out.append(Bench(f"conv 7×7/2 3→{c} {s * 2}×{s * 2}", (3, 2 * s, 2 * s),
                             ConvLayer(c, (7, 7), (2, 2), (3, 3)), "conv"))  # fmt: skip
        out.append(Bench(f"relu {c}×{s}×{s}", x, ActivationLayer("relu"), "activation"))
        if not quick:
            out.append(Bench(f"hardswish {c}×{s}×{s}", x, ActivationLayer("hardswish"), "activation"))
            out.append(Bench(f"batchnorm {c}×{s}×{s}", x, BatchNormLayer(), "batchnorm"))
            out.append(Bench(f"scale {c}×{s}×{s}", x, ScaleLayer(), "scale"))
            out.append(Bench(f"max pool 3×3/2 {c}×{s}×{s}", x, PoolLayer("max", (3, 3), (2, 2), (1, 1)), "pool"))
        out.append(Bench(f"global pool {c}×{s}×{s}", x, PoolLayer("avg", global_=True), "pool"))
        out.append(Bench(f"add {c}×{s}×{s}", x, AddLayer(), "add"))
        if s <= 56:
            out.append(Bench(f"layernorm {c}×{s}×{s}", x, LayerNormLayer(), "layernorm"))
            if not quick:
                out.append(Bench(f"mlp {c}→{4 * c} {s}×{s}", x, LinearLayer(4 * c, True, per_position=True), "linear"))
    for c, o in ((1280, 1000), (1024, 1000), (576, 1024), (512, 1000), (2048, 1000), (4096, 4096)):
        if quick and c not in (1280, 4096):
            continue
        out.append(Bench(f"linear {c}→{o}", (c, 1, 1), LinearLayer(o, True), "linear"))
    return out


def _network(bench: Bench) -> Any:
    from ..formulas import Shape
    from ..network import Network, Node

    inputs = ("input", "input") if bench.type == "add" else ()
    return Network(bench.name, Shape(*bench.shape), (Node("layer", bench.type, bench.layer, inputs),))


def _points(bench: Bench, seconds: float) -> list[Point]:
    """A benchmark's steps with its measured seconds (one step: the layers timed are single kernels)."""
    from ..formulas import Shape
    from ..memory import steps

    (step,) = steps((bench.layer,), (Shape(*bench.shape),), 1, 4, 4)
    return [Point(bench.name, step.kind, step.mults, step.bytes, seconds)]


def time_model(model: bytes, shape: Sequence[int], threads: int, budget: float) -> float:
    """The median seconds of a run of ``model`` on one sample of ``shape``: warm-up, then runs for about ``budget``
    seconds (3 at least, 200 at most)."""
    from .measure import _inputs, session

    run = session(model, threads)
    feed = _inputs(run, shape, 1)
    for _ in range(2):
        run.run(None, feed)
    seconds: list[float] = []
    start = time.perf_counter()
    while len(seconds) < 3 or (time.perf_counter() - start < budget and len(seconds) < 200):
        t = time.perf_counter()
        run.run(None, feed)
        seconds.append(time.perf_counter() - t)
    return statistics.median(seconds)


def _empty_model() -> bytes:
    """A model that does nothing but run (an Identity): what every run costs beside its layers."""
    from ..formulas import Shape
    from ..layers.pad import PadLayer
    from ..network import Network, Node
    from .export import export_network, model_bytes

    network = Network("empty", Shape(8, 4, 4), (Node("pad", "pad", PadLayer((0, 0), (0, 0))),))
    return model_bytes(export_network(network).model)


def run_benchmarks(threads: int, quick: bool, progress: Callable[[str, int, int], None] | None = None) -> list[Point]:
    """Time every benchmark (each less the cost of a run that does nothing); ``progress`` hears each one's name,
    its number and how many there are.

    :raises RuntimeMissing: without onnxruntime.
    """
    from .export import export_network, model_bytes

    need_runtime()
    todo = benchmarks(quick)
    budget = 0.05 if quick else 0.25
    base = time_model(_empty_model(), (8, 4, 4), threads, budget)
    points: list[Point] = []
    for index, bench in enumerate(todo):
        if progress is not None:
            progress(bench.name, index, len(todo))
        model = model_bytes(export_network(_network(bench)).model)
        seconds = max(time_model(model, bench.shape, threads, budget) - base, 1e-7)
        points += _points(bench, seconds)
    if progress is not None:
        progress("fitting", len(todo), len(todo))
    return points


class Fit(NamedTuple):
    """The fitted model: overhead, rate and bandwidth per kind, and the residuals."""

    overhead: float
    rates: dict[str, float]
    bandwidths: dict[str, float]
    residuals: list[float]


def predict(point: Point, overhead: float, rate: float, bandwidth: float) -> float:
    return overhead + max(point.mults / rate if rate else 0.0, point.bytes / bandwidth)


def _rate(points: Sequence[Point], overhead: float, bandwidth: float) -> tuple[float, float]:
    """(rate, squared log error) of one kind's points at ``overhead`` and ``bandwidth``: the best of candidate rates
    taken from the points themselves (each point's own rate, at quantiles, and a little either side)."""
    rates = sorted(p.mults / max(p.seconds - overhead, p.seconds * 0.05) for p in points if p.mults)
    options = [rates[int(q * (len(rates) - 1))] for q in (0.25, 0.5, 0.75, 0.9, 1.0)] if rates else [0.0]
    options += [r * f for r in list(options) for f in (0.7, 0.85, 1.15, 1.4)]
    best = (0.0, math.inf)
    for rate in options:
        error = sum(math.log(predict(p, overhead, rate, bandwidth) / p.seconds) ** 2 for p in points)
        if error < best[1]:
            best = (rate, error)
    return best


def fit(points: Sequence[Point]) -> Fit:
    """The model of least squared log error over ``points``: one overhead and one bandwidth for every step (from
    grids: shares of the fastest run, the points' own bandwidths), a rate per kind at them (:func:`_rate`)."""
    by_kind: dict[str, list[Point]] = {}
    for p in points:
        by_kind.setdefault(p.kind, []).append(p)
    fastest = min(p.seconds for p in points)
    best: tuple[float, float, float, dict[str, float]] = (0.0, 1.0, math.inf, {})
    for share in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9):
        overhead = fastest * share
        moved = sorted(p.bytes / max(p.seconds - overhead, p.seconds * 0.05) for p in points)
        options = [moved[int(q * (len(moved) - 1))] for q in (0.5, 0.75, 0.9, 0.95, 1.0)]
        options += [b * f for b in list(options) for f in (0.7, 0.85, 1.15, 1.4)]
        for bandwidth in options:
            fits = {kind: _rate(kind_points, overhead, bandwidth) for kind, kind_points in by_kind.items()}
            error = sum(f[1] for f in fits.values())
            if error < best[2]:
                best = (overhead, bandwidth, error, {kind: f[0] for kind, f in fits.items()})
    overhead, bandwidth, _, rates = best
    residuals = [predict(p, overhead, rates[p.kind], bandwidth) / p.seconds - 1 for p in points]
    return Fit(overhead, {kind: rate for kind, rate in rates.items() if rate}, {"other": bandwidth}, residuals)


def calibration(result: Fit, threads: int) -> Calibration:
    """The :class:`~dsc_cost.devices.Calibration` of a fit, with its provenance."""
    import datetime

    from ..devices import Calibration

    ort = need_runtime()
    errors = sorted(abs(r) for r in result.residuals)
    p90 = errors[min(len(errors) - 1, int(0.9 * len(errors)))]
    return Calibration(
        Fraction(f"{result.overhead:.3g}"),
        tuple((k, max(1, round(v))) for k, v in sorted(result.rates.items(), key=lambda kv: KINDS.index(kv[0]))),
        tuple((k, max(1, round(v))) for k, v in sorted(result.bandwidths.items(), key=lambda kv: KINDS.index(kv[0]))),
        f"onnxruntime {ort.__version__}",
        threads,
        cpu_name(),
        datetime.date.today().isoformat(),
        (("median", round(statistics.median(errors), 4)), ("p90", round(p90, 4)), ("benchmarks", len(errors))),
    )


def cpu_name() -> str:
    """The CPU's model name (Linux's /proc/cpuinfo; else what the platform says), and its logical cores."""
    import os

    name = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    name = line.partition(":")[2].strip()
                    break
    except OSError:
        pass
    return f"{name or platform.processor() or platform.machine()}, {os.cpu_count() or 1} logical cores"


def profile_text(name: str, found: Calibration) -> str:
    """The devices file of one profile ``name`` holding ``found`` (YAML; ``dsc-cost devices FILE`` reads it)."""
    import json

    peak = max(v for _, v in found.rates) if found.rates else 1
    bandwidth = max(v for _, v in found.bandwidths)

    def table(pairs: Sequence[tuple[str, Any]]) -> str:
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"

    title = f"{found.cpu}, {found.threads or 'default'} threads, {found.runtime}"
    lines = [
        "# A device profile made by dsc-cost calibrate: a cost model fitted to micro-benchmarks on one machine.",
        "# Use it with --device FILE (or --devices FILE --device NAME); dsc-cost devices FILE shows it.",
        f"{name}:",
        f"  title: {json.dumps(title)}",
        "  kind: cpu",
        f"  peak: {{fp32: {peak}}}",
        f"  bandwidth: {bandwidth}",
        "  source: dsc-cost calibrate",
        "  note: >-",
        "    The fastest rate and bandwidth of the fit; the calibration below gives the model per kind of step:",
        "    overhead + max(mults / rate, bytes / bandwidth).",
        "  calibration:",
        f"    overhead: {float(found.overhead)!r}",
        f"    rates: {table(found.rates)}",
        f"    bandwidths: {table(found.bandwidths)}",
        f"    runtime: {json.dumps(found.runtime)}",
        f"    threads: {found.threads}",
        f"    cpu: {json.dumps(found.cpu)}",
        f"    date: {json.dumps(found.date)}",
        f"    residuals: {table(found.residuals)}",
    ]
    return "\n".join(lines) + "\n"
