"""Calibrate a device profile on this machine: time single layers of every kind in onnxruntime, fit a cost model
per kind of step, and write it as a profile that ``--device`` takes.

The benchmarks (:func:`benchmarks`) span what the shipped configs run: full convs k×k (stride 1 and 2, and
grouped), depthwise 3×3, 5×5 and 7×7 (stride 1 and 2), pointwise 1×1, linear layers (a classifier and a
per-position MLP), pooling, element-wise ops (activations, adds, scales) and norms, over channels from 16 to 1024
and maps from 112×112 to 7×7 at the widths networks use them. Each is one exported layer, timed as
:mod:`.measure` times a network, less the time of a model that does nothing (the cost of a run itself).

The model (:func:`fit`): a step of kind K (conv, depthwise, pointwise, linear, other) takes

    time = overhead + max(mults ÷ rate[K], bytes ÷ bandwidth[K])

with one overhead for every step, rates per kind and shape (kernel, stride, the runtime's plain path), bandwidths
per kind (and per layer type for steps of no mults), the layout reorders a network needs
(:func:`dsc_cost.memory.reorders`) and a share for fused layers, chosen to minimize the squared log error over the
benchmarks, each single layer timed by onnxruntime's profiler as it runs inside a network; the residuals (median
and 90th percentile of |predicted ÷ measured − 1|) go into the profile with the CPU, the threads, the runtime and
the date.
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
    from ..memory import Step

KINDS = ("conv", "depthwise", "pointwise", "linear", "other")


class Bench(NamedTuple):
    """One micro-benchmark: layers (their types and values, run one after the other) on an input of ``shape``, its
    name for the progress bar, and its role: ``layer`` (one layer: it fits the rates and bandwidths), ``nodes`` (a
    chain of tiny steps: the run's cost and each step's), ``chain`` (a chain of real layers: it picks the overhead a
    step pays inside a network, and checks the model)."""

    name: str
    shape: tuple[int, ...]
    layers: tuple[tuple[str, Layer], ...]
    role: str = "layer"


class Point(NamedTuple):
    """One benchmark timed: its steps (fp32, batch 1), the seconds a run of it took, and its role."""

    name: str
    steps: tuple[Step, ...]
    seconds: float
    role: str = "layer"
    network: Any = None
    """Its network (a :class:`~dsc_cost.network.Network`): a chain's the fit predicts as a whole, a single layer's
    tells the layout reorders around it."""
    kernel: float | None = None
    """The seconds its own nodes ran, by onnxruntime's profiler (without the layout reorders around a lone layer,
    which a network mostly does without, and without the run's own cost); ``None``: not profiled."""
    nodes: int = 0
    """How many nodes the profiler timed in ``kernel``."""


def benchmarks(quick: bool = False) -> list[Bench]:
    """The layers to time: every kind over the channels, maps and strides the configs use, chains of tiny steps and
    chains of the blocks networks are made of (fewer when ``quick``)."""
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

    def one(name: str, shape: tuple[int, ...], type_: str, layer: Layer) -> Bench:
        return Bench(name, shape, ((type_, layer),))

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
                out.append(one(f"depthwise {k}×{k}/{stride} {c}×{s}×{s}", x, "depthwise", dw))
        for o in (c, 2 * c) if not quick else (c,):
            out.append(one(f"pointwise {c}→{o} {s}×{s}", x, "pointwise", PointwiseLayer(o)))
        if not quick and s >= 14:
            out.append(one(f"pointwise/2 {c}→{2 * c} {s}×{s}", x, "pointwise", PointwiseLayer(2 * c, (2, 2))))
        if c <= 512:
            out.append(one(f"conv 3×3 {c}→{c} {s}×{s}", x, "conv", ConvLayer(c, (3, 3), padding=(1, 1))))
            out.append(one(f"conv 3×3/2 {c}→{2 * c} {s}×{s}", x, "conv", ConvLayer(2 * c, (3, 3), (2, 2), (1, 1))))
            if c >= 32 and not quick:
                out.append(one(f"grouped conv 3×3 g4 {c} {s}×{s}", x, "conv",
                               ConvLayer(c, (3, 3), padding=(1, 1), groups=4)))  # fmt: skip
        if c <= 64:
            out.append(one(f"conv 7×7/2 3→{c} {s * 2}×{s * 2}", (3, 2 * s, 2 * s), "conv",
                           ConvLayer(c, (7, 7), (2, 2), (3, 3))))  # fmt: skip
        out.append(one(f"relu {c}×{s}×{s}", x, "activation", ActivationLayer("relu")))
        if not quick:
            out.append(one(f"hardswish {c}×{s}×{s}", x, "activation", ActivationLayer("hardswish")))
            out.append(one(f"batchnorm {c}×{s}×{s}", x, "batchnorm", BatchNormLayer()))
            out.append(one(f"scale {c}×{s}×{s}", x, "scale", ScaleLayer()))
            out.append(one(f"max pool 3×3/2 {c}×{s}×{s}", x, "pool", PoolLayer("max", (3, 3), (2, 2), (1, 1))))
        out.append(one(f"global pool {c}×{s}×{s}", x, "pool", PoolLayer("avg", global_=True)))
        out.append(one(f"add {c}×{s}×{s}", x, "add", AddLayer()))
        if s <= 56:
            out.append(one(f"layernorm {c}×{s}×{s}", x, "layernorm", LayerNormLayer()))
            if not quick:
                out.append(one(f"mlp {c}→{4 * c} {s}×{s}", x, "linear", LinearLayer(4 * c, True, per_position=True)))
    # convs whose channels fill no whole block of 16 (an inverted residual's 24 → 144 → 24): the block they pad to
    for c, e, s in ((24, 6, 56),) if quick else ((24, 6, 56), (40, 6, 28), (72, 3, 28)):
        wide = (c * e, s, s)
        out.append(one(f"pointwise {c}→{c * e} {s}×{s}", (c, s, s), "pointwise", PointwiseLayer(c * e)))
        out.append(one(f"pointwise {c * e}→{c} {s}×{s}", wide, "pointwise", PointwiseLayer(c)))
        out.append(one(f"depthwise 3×3 {c}×{s}×{s}", (c, s, s), "depthwise", DepthwiseLayer((3, 3), padding=(1, 1))))
    # tiny convs of each kind: what a conv kernel costs however little it does (its kind's own overhead)
    for c, s in ((16, 7),) if quick else ((8, 4), (16, 7), (32, 4)):
        tiny = (c, s, s)
        out.append(one(f"conv 3×3 {c}→{c} {s}×{s} (tiny)", tiny, "conv", ConvLayer(c, (3, 3), padding=(1, 1))))
        out.append(one(f"depthwise 3×3 {c}×{s}×{s} (tiny)", tiny, "depthwise", DepthwiseLayer((3, 3), padding=(1, 1))))
        out.append(one(f"pointwise {c}→{c} {s}×{s} (tiny)", tiny, "pointwise", PointwiseLayer(c)))
    # full convs of larger kernels, as ConvNeXt-like and separable-vs-standard what-ifs have them
    for k, c, s in ((5, 256, 14),) if quick else ((5, 128, 28), (5, 256, 14), (5, 640, 7), (7, 64, 28), (7, 256, 14),
                                                  (7, 512, 7)):  # fmt: skip
        out.append(
            one(f"conv {k}×{k} {c}→{c} {s}×{s}", (c, s, s), "conv", ConvLayer(c, (k, k), padding=(k // 2, k // 2)))
        )
    # the runtime's plain path (dsc_cost.memory.blockable): channels that fill no whole block, and 1-D maps
    for c, s in ((58, 28),) if quick else ((30, 56), (58, 28), (118, 14)):
        plain = (c, s, s)
        for stride in (1, 2):
            dw = DepthwiseLayer((3, 3), (stride, stride), (1, 1))
            out.append(one(f"depthwise 3×3/{stride} {c}×{s}×{s} (plain)", plain, "depthwise", dw))
        out.append(one(f"pointwise {c}→{c} {s}×{s} (plain)", plain, "pointwise", PointwiseLayer(c)))
        out.append(one(f"conv 3×3 {c}→{c} {s}×{s} (plain)", plain, "conv", ConvLayer(c, (3, 3), padding=(1, 1))))
    for c, n in ((64, 49),) if quick else ((64, 49), (128, 25), (40, 98)):
        line = (c, n)
        out.append(one(f"depthwise 3 {c}×{n} (1-D)", line, "depthwise", DepthwiseLayer((3,), (1,), (1,))))
        out.append(one(f"pointwise {c}→64 {n} (1-D)", line, "pointwise", PointwiseLayer(64, (1,))))
        out.append(one(f"conv 10/2 {c}→64 {n} (1-D)", line, "conv", ConvLayer(64, (10,), (2,), (4,))))
    for c, o in ((1280, 1000), (1024, 1000), (576, 1024), (512, 1000), (2048, 1000), (4096, 4096)):
        if quick and c not in (1280, 4096):
            continue
        out.append(one(f"linear {c}→{o}", (c, 1, 1), "linear", LinearLayer(o, True)))
    # chains of n tiny steps: a run's own cost and what each step costs however little it does
    relu = ("activation", ActivationLayer("relu"))
    for n in (1, 16) if quick else (1, 4, 16, 32):
        out.append(Bench(f"{n} tiny steps", (8, 4, 4), (relu,) * n, "nodes"))
    # chains of the blocks networks are made of: an inverted residual's and a residual network's layers
    bn, act = ("batchnorm", BatchNormLayer()), ("activation", ActivationLayer("relu"))
    for c, s in ((16, 56), (32, 28), (96, 14), (160, 7)) if not quick else ((32, 28),):
        block = (
            ("pointwise", PointwiseLayer(6 * c)),
            bn,
            act,
            ("depthwise", DepthwiseLayer((3, 3), padding=(1, 1))),
            bn,
            act,
            ("pointwise", PointwiseLayer(c)),
            bn,
        )
        out.append(Bench(f"3 inverted residuals {c}×{s}×{s}", (c, s, s), block * 3, "chain"))  # fmt: skip
    for c, s in ((64, 56), (128, 28), (256, 14)) if not quick else ((128, 28),):
        conv: tuple[tuple[str, Layer], ...] = (("conv", ConvLayer(c, (3, 3), padding=(1, 1))), bn, act)
        out.append(Bench(f"4 conv blocks {c}×{s}×{s}", (c, s, s), conv * 4, "chain"))
    return out


def _network(bench: Bench) -> Any:
    from ..formulas import Shape
    from ..network import Network, Node

    nodes = []
    for index, (type_, layer) in enumerate(bench.layers):
        previous = f"layer{index - 1}" if index else "input"
        inputs = (previous, previous) if type_ == "add" else ()
        nodes.append(Node(f"layer{index}", type_, layer, inputs))
    return Network(bench.name, Shape.of(bench.shape[0], bench.shape[1:]), tuple(nodes))


def _point(bench: Bench, seconds: float, kernel: tuple[float, int] | None = None) -> Point:
    """A benchmark's steps (its layers' one after the other) with its measured seconds (and its nodes')."""
    from ..formulas import Shape
    from ..memory import steps

    found = steps([layer for _, layer in bench.layers], (Shape.of(bench.shape[0], bench.shape[1:]),), 1, 4, 4)
    network = _network(bench)
    own, nodes = kernel if kernel is not None else (None, 0)
    return Point(bench.name, tuple(s for s in found if s.bytes or s.mults), seconds, bench.role, network, own, nodes)


def time_model(model: bytes, shape: Sequence[int], threads: int, budget: float) -> float:
    """The median seconds of a run of ``model`` on one sample of ``shape``: warm-up, then runs for about ``budget``
    seconds (5 at least, 400 at most)."""
    from .measure import _inputs, session

    run = session(model, threads)
    feed = _inputs(run, shape, 1)
    for _ in range(3):
        run.run(None, feed)
    seconds: list[float] = []
    start = time.perf_counter()
    while len(seconds) < 5 or (time.perf_counter() - start < budget and len(seconds) < 400):
        t = time.perf_counter()
        run.run(None, feed)
        seconds.append(time.perf_counter() - t)
    return statistics.median(seconds)


def kernel_time(model: bytes, shape: Sequence[int], threads: int, runs: int, names: Sequence[str]) -> tuple[float, int]:
    """The median seconds per run that the nodes of the layers ``names`` took over ``runs`` profiled runs (after a
    warm-up), by onnxruntime's profiler as ``measure --per-layer`` reads it, less the nodes of no layer (the layout
    reorders a lone layer needs at its ends); and how many nodes they are (the profiler adds a cost of its own to
    each, which :func:`fit` takes off)."""
    import os
    import tempfile

    from .measure import OTHER, _inputs, attribute, profile_runs, session

    with tempfile.TemporaryDirectory(prefix="dsc-cost-calibrate-") as folder:
        run = session(model, threads, os.path.join(folder, "profile"))
        feed = _inputs(run, shape, 1)
        for _ in range(3):
            run.run(None, feed)
        found = profile_runs(run, feed, runs)
    own = [[seconds for node, seconds in nodes if attribute(node, names) != OTHER] for nodes in found]
    return statistics.median(sum(nodes) for nodes in own), max(len(nodes) for nodes in own)


ROUNDS = 2
"""Rounds through every benchmark: each keeps its least time over them, so that a spell of a busy machine slows
one round of a benchmark, not every figure of it."""


def run_benchmarks(threads: int, quick: bool, progress: Callable[[str, int, int], None] | None = None) -> list[Point]:
    """Time every benchmark (a whole run of each, as :mod:`.measure` times a network, and its own nodes by the
    profiler), :data:`ROUNDS` times each, keeping the least; ``progress`` hears each one's name, its number and how
    many there are.

    :raises RuntimeMissing: without onnxruntime.
    """
    from .export import export_network, model_bytes

    need_runtime()
    todo = benchmarks(quick)
    budget = 0.025 if quick else 0.125
    models = []
    for bench in todo:
        network = _network(bench)
        models.append((network, model_bytes(export_network(network).model)))
    best: list[tuple[float, tuple[float, int] | None]] = []
    for round_ in range(ROUNDS):
        for index, (bench, (network, model)) in enumerate(zip(todo, models, strict=True)):
            if progress is not None:
                progress(bench.name, round_ * len(todo) + index, ROUNDS * len(todo))
            seconds = time_model(model, bench.shape, threads, budget)
            kernel: tuple[float, int] | None = None
            if bench.role != "chain":  # a lone layer's (or a tiny step's) own time, as it runs inside a network
                runs = max(5, min(200, round(budget / max(seconds, 1e-6))))
                kernel = kernel_time(model, bench.shape, threads, runs, [node.name for node in network.nodes])
            if round_:
                before, was = best[index]
                kernel = min(kernel, was) if kernel is not None and was is not None else kernel
                seconds = min(seconds, before)
                best[index] = (seconds, kernel)
            else:
                best.append((seconds, kernel))
    if progress is not None:
        progress("fitting", ROUNDS * len(todo), ROUNDS * len(todo))
    return [_point(bench, seconds, kernel) for bench, (seconds, kernel) in zip(todo, best, strict=True)]


# ---------------------------------------------------------------- the fit


class Fit(NamedTuple):
    """The fitted model: a run's cost, a step's overhead, rates (per kind, and per kind and shape), bandwidths per
    kind and the share of its time a fused element-wise layer pays; the residuals (predicted ÷ measured − 1) of the
    single layers and of the chains."""

    run: float
    overhead: float
    rates: dict[str, float]
    bandwidths: dict[str, float]
    residuals: list[float]
    chains: list[float]
    fused: float = 1.0
    cache: float = 0.0
    dram: float = 0.0
    overheads: tuple[tuple[str, float], ...] = ()
    """The overhead of the kinds of step whose own is not ``overhead``."""
    block: int = 0
    """The channels of a block of the blocked layout (0: none), which a conv step's are padded to."""


def _keys(step: Step) -> list[str]:
    """The rate keys a step could take, most particular first (as :meth:`~dsc_cost.devices.Calibration.rate`)."""
    words = step.shape.split()
    return [f"{step.kind} {step.shape}", *(f"{step.kind} {w}" for w in reversed(words))] if words else []


def _step(step: Step, overhead: float, rate: float, bandwidth: float, beyond: tuple[float, float] = (0, 0)) -> float:
    """A step's seconds in floats for the search (``beyond``: the cache and the dram bandwidth beyond it); the same
    formula as :func:`dsc_cost.memory.step_seconds`, which predicts the chains."""
    cache, dram = beyond
    moved = step.bytes / bandwidth
    if cache and dram and step.bytes > cache:
        moved = cache / bandwidth + (step.bytes - cache) / dram
    return overhead + max(step.mults / rate if rate else 0.0, moved)


def _search(low: float, high: float, error: Callable[[float], float]) -> float:
    """The value from ``low`` to ``high`` of least ``error``: a grid on the log scale, then a finer one around the
    best (errors here are not smooth enough for a gradient)."""
    best = low
    for rounds in range(3):
        grid = [low * (high / low) ** (i / 16) for i in range(17)]
        best = min(grid, key=error)
        step = (high / low) ** (1 / 16)
        low, high = best / step, best * step
        if rounds and high / low < 1.001:
            break
    return best


def _log_error(points: Sequence[tuple[Step, float]], seconds: Callable[[Step], float]) -> float:
    """The mean squared log of predicted ÷ measured: every benchmark weighs the same, however short (relative)."""
    return sum(math.log(max(seconds(s), 1e-12) / t) ** 2 for s, t in points) / max(len(points), 1)


def _line(points: Sequence[Point]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line of seconds over the number of steps."""
    xs, ys = [len(p.steps) for p in points], [p.seconds for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    return max(my - slope * mx, 0.0), max(slope, 0.0)


def _best(
    points: Sequence[tuple[Step, float]],
    overhead: float,
    rates: tuple[float, float],
    bandwidth: float,
    beyond: tuple[float, float] = (0, 0),
) -> float:
    """The rate from ``rates[0]`` to ``rates[1]`` of least log error over ``points`` at ``overhead``,
    ``bandwidth`` and ``beyond`` (the cache and the dram bandwidth beyond it)."""

    def error(rate: float) -> float:
        return _log_error(points, lambda one: _step(one, overhead, rate, bandwidth, beyond))

    return _search(*rates, error)


KERNEL_OVERHEADS = (1, 2, 4, 8, 16, 32, 64)
"""The overheads a kind of step with mults may have, in tiny steps' (a conv kernel's start-up is its own)."""


def _fit_at(
    singles: Sequence[tuple[Step, float]], overhead: float, beyond: tuple[float, float] = (0, 0)
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Rates, bandwidths and overheads of least log error over single steps ``singles`` (step, own seconds) at a
    step's ``overhead``: per kind a bandwidth, a rate and (a kind of steps with mults) an overhead of its own, from
    one to 64 times ``overhead`` (:data:`KERNEL_OVERHEADS`; kept when it is not ``overhead``), then a rate per key of
    each shape the kind's benchmarks have, kept when it differs from the one it would fall back to by more than
    10 %."""
    by_kind: dict[str, list[tuple[Step, float]]] = {}
    for step, seconds in singles:
        by_kind.setdefault(step.kind, []).append((step, seconds))
    rates: dict[str, float] = {}
    bandwidths: dict[str, float] = {}
    overheads: dict[str, float] = {}
    for kind, points in by_kind.items():
        if not any(s.mults for s, _ in points):  # steps of no mults: a bandwidth, and one per layer type
            moved = [s.bytes / max(t - overhead, t * 0.05) for s, t in points]
            bandwidth = bandwidths[kind] = _search(min(moved) / 4, max(moved) * 4, _moving(points, overhead, beyond))
            shapes: dict[str, list[tuple[Step, float]]] = {}
            for step, seconds in points:
                if step.shape:
                    shapes.setdefault(step.shape, []).append((step, seconds))
            for shape, group in shapes.items():
                share = _search(min(moved) / 4, max(moved) * 4, _moving(group, overhead, beyond))
                if abs(share / bandwidth - 1) > 0.1:  # kept when it differs by more than 10 %
                    bandwidths[f"{kind} {shape}"] = share
            continue
        fits = [_kind_fit(points, overhead * factor, beyond) for factor in KERNEL_OVERHEADS if overhead] or [
            _kind_fit(points, overhead, beyond)
        ]
        _, own, bandwidth, rate, span = min(fits)
        bandwidths[kind], rates[kind] = bandwidth, rate
        if own != overhead:
            overheads[kind] = own
        groups: dict[str, list[tuple[Step, float]]] = {}
        for step, seconds in points:
            for key in _keys(step):
                groups.setdefault(key, []).append((step, seconds))
        # the most general keys first (one word), each beside the rate it would fall back to without it
        for key in sorted(groups, key=lambda k: (len(k.split()), k)):
            keys = _keys(groups[key][0][0])
            fallback = next((rates[k] for k in keys[keys.index(key) + 1 :] if k in rates), rates[kind])
            rate = _best(groups[key], own, span, bandwidth, beyond)
            if abs(rate / fallback - 1) > 0.1:
                rates[key] = rate
    return rates, bandwidths, overheads


def _kind_fit(
    points: Sequence[tuple[Step, float]], overhead: float, beyond: tuple[float, float]
) -> tuple[float, float, float, float, tuple[float, float]]:
    """(log error, overhead, bandwidth, rate, the span of rates searched) of the best bandwidth and rate of one
    kind's steps ``points`` at ``overhead``."""
    moved = [s.bytes / max(t - overhead, t * 0.05) for s, t in points]
    done = [s.mults / max(t - overhead, t * 0.05) for s, t in points if s.mults]
    span = (min(done) / 4, max(done) * 4)

    def error(bandwidth: float) -> float:
        rate = _best(points, overhead, span, bandwidth, beyond)
        return _log_error(points, lambda one: _step(one, overhead, rate, bandwidth, beyond))

    bandwidth = _search(min(moved) / 4, max(moved) * 4, error)
    rate = _best(points, overhead, span, bandwidth, beyond)
    found = _log_error(points, lambda one: _step(one, overhead, rate, bandwidth, beyond))
    return found, overhead, bandwidth, rate, span


def fit(points: Sequence[Point]) -> Fit:
    """The model of least squared log error (relative error: every benchmark weighs the same) over ``points``.

    The run's cost and a tiny step's come from the chains of tiny steps (a line: seconds over steps). A single
    layer's own time is what onnxruntime's profiler says its nodes took, less the profiler's own cost per node (its
    reading of a tiny node less a tiny step's time); the rates and bandwidths are fitted to those (:func:`_fit_at`),
    the bandwidth of layout reorders to what the runs took beyond them (:func:`_reorder`). The share a fused
    element-wise layer pays (0, a quarter or a half) is the one at which the single layers and the chains of real
    layers are predicted best (the two weighing the same; the chains predicted by
    :func:`dsc_cost.memory.network_memory` itself). Points not profiled: the overhead from a quarter to eight times
    a tiny step's (or none), chosen so too, and a layer's own time its run's less the run's cost. Without chains
    of tiny steps, the run's cost is 0 and the overhead a share of the fastest benchmark."""
    from ..network import cost_network

    nodes = [p for p in points if p.role == "nodes"]
    chains = [p for p in points if p.role == "chain" and p.network is not None]
    costed = [cost_network(p.network) for p in chains]
    layers = [p for p in points if p.role == "layer" and len(p.steps) == 1]
    run, tiny = _line(nodes) if len(nodes) >= 2 else (0.0, min(p.seconds for p in layers) * 0.5)
    # profiled: a step's own time is what its nodes ran plus what the profiler does not see of a step (the tiny
    # steps' time per step less their nodes'), and a step's overhead is a tiny step's time
    kernels = [p.kernel / p.nodes for p in nodes if p.kernel is not None and p.nodes]
    profiled = bool(kernels) and all(p.kernel is not None and p.nodes for p in layers)
    # the profiler's reading of a tiny node, where a tiny step costs ``tiny`` in a run: each node profiled is
    # the difference too slow (the profiler's own cost) or too fast (what it does not see of a node)
    bias = statistics.median(kernels) - tiny if profiled else None
    owns = [_own(p, run, bias) for p in layers]
    targets = [run + seconds for seconds in owns]
    # the block a conv step's channels are padded to: of none, 8 and 16 channels, the one the single layers fit best
    # at a step's overhead (each step's mults padded as dsc_cost.memory.padded pads them, then fitted as they are)
    block = min(BLOCKS, key=lambda b: _padded_error(layers, owns, tiny, b)) if profiled else 0
    layers = [p._replace(steps=_padded_steps(p.steps, block)) for p in layers]
    singles = [(p.steps[0], seconds) for p, seconds in zip(layers, owns, strict=True)]

    def predict(
        p: Point,
        overhead: float,
        rates: dict[str, float],
        bandwidths: dict[str, float],
        beyond: tuple[float, float] = (0, 0),
        overheads: dict[str, float] | None = None,
    ) -> float:
        own = overheads or {}
        return run + sum(
            _step(s, own.get(s.kind, overhead), _rate(rates, s), _bandwidth(bandwidths, s), beyond) for s in p.steps
        )

    def chained(result: Fit) -> list[float]:
        from ..devices import Device
        from ..memory import network_memory

        device = Device("fit", "fit", "cpu", (("fp32", 1),), 1, calibration=_model(result))
        out = []
        for p, cost in zip(chains, costed, strict=True):
            roofline = network_memory(cost, device=device).roofline
            assert roofline is not None
            out.append(float(roofline.seconds) / p.seconds - 1)
        return out

    def squared(errors: Sequence[float]) -> float:
        return sum(math.log(1 + e) ** 2 for e in errors) / len(errors) if errors else 0.0

    best: tuple[float, Fit] | None = None
    factors = (1.0,) if profiled else (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
    for overhead in [tiny * f for f in factors] if tiny else [0.0]:
        rates, bandwidths, overheads = _fit_at(singles, overhead)
        bandwidths.update(_reorder(layers, singles, run, overhead))
        predicted = [predict(p, overhead, rates, bandwidths, overheads=overheads) for p in layers]
        residuals = [seconds / t - 1 for seconds, t in zip(predicted, targets, strict=True)]
        # a fused layer has no node of its own (onnxruntime's profiler shows none): at most half its own time
        for fused in (0.0, 0.25, 0.5) if chains else (1.0,):
            result = Fit(
                run, overhead, rates, bandwidths, residuals, [], fused, overheads=tuple(overheads.items()), block=block
            )
            result = result._replace(chains=chained(result))
            error = squared(result.residuals) + squared(result.chains)
            if best is None or error < best[0]:
                best = (error, result)
    assert best is not None
    error, result = best
    # a cache: the bytes beyond which a step moves at a lower bandwidth (dram), kept when the single layers say so
    # (their error less at the rates and bandwidths fitted without), then the rates and bandwidths refitted
    rates, bandwidths, overhead, overheads = result.rates, result.bandwidths, result.overhead, dict(result.overheads)

    def beyond_error(beyond: tuple[float, float]) -> float:
        predicted = [predict(p, overhead, rates, bandwidths, beyond, overheads) for p in layers]
        return squared([seconds / t - 1 for seconds, t in zip(predicted, targets, strict=True)])

    plain = beyond_error((0, 0))
    options = []
    for cache in (2**20 * 2**k for k in range(7)):  # 1 MiB to 64 MiB
        dram = _search(max(bandwidths.values()) / 50, max(bandwidths.values()), _at(beyond_error, cache))
        options.append((beyond_error((cache, dram)), cache, dram))
    found, cache, dram = min(options)
    if found < plain:
        rates, bandwidths, overheads = _fit_at(singles, overhead, (cache, dram))
        bandwidths.update(_reorder(layers, singles, run, overhead, (cache, dram)))
        predicted = [predict(p, overhead, rates, bandwidths, (cache, dram), overheads) for p in layers]
        residuals = [seconds / t - 1 for seconds, t in zip(predicted, targets, strict=True)]
        with_cache = result._replace(
            rates=rates, bandwidths=bandwidths, residuals=residuals, cache=cache, dram=dram,
            overheads=tuple(overheads.items()),
        )  # fmt: skip
        with_cache = with_cache._replace(chains=chained(with_cache))
        if squared(with_cache.residuals) + squared(with_cache.chains) < error:
            return with_cache
    return result


def _reorder(
    layers: Sequence[Point],
    singles: Sequence[tuple[Step, float]],
    run: float,
    overhead: float,
    beyond: tuple[float, float] = (0, 0),
) -> dict[str, float]:
    """The bandwidth of layout reorders (``other reorder``; none without profiled points): the one of least log
    error over the single layers that have reorders around them (:func:`dsc_cost.memory.reorders`), of the time
    their runs took beyond the run's cost and their own nodes'."""
    from ..memory import Step, reorders
    from ..network import cost_network

    found: list[tuple[list[Step], float]] = []
    for point, (_, own) in zip(layers, singles, strict=True):
        if point.kernel is None or point.network is None:
            continue
        moved = [n for values in reorders(cost_network(point.network)).values() for n in values]
        if moved:
            steps = [Step(0, 0, 4 * n, 4 * n, "other", "reorder") for n in moved]
            found.append((steps, max(point.seconds - run - own, point.seconds * 0.05)))
    if not found:
        return {}
    speeds = [sum(s.bytes for s in steps) / seconds for steps, seconds in found]

    def error(bandwidth: float) -> float:
        return sum(
            math.log(sum(_step(s, overhead, 0.0, bandwidth, beyond) for s in steps) / seconds) ** 2
            for steps, seconds in found
        ) / len(found)

    return {"other reorder": _search(min(speeds) / 4, max(speeds) * 4, error)}


BLOCKS = (0, 8, 16)
"""The blocks of the blocked layout a fit tries (0: channels not padded)."""


def _padded_steps(steps: Sequence[Step], block: int) -> tuple[Step, ...]:
    """``steps`` with each conv step's mults padded to whole blocks of ``block`` channels, as a model of that block
    times them (:func:`dsc_cost.memory.padded`): the fit then finds the rates of padded mults."""
    from ..memory import padded

    return tuple(s._replace(mults=round(s.mults * padded(s, block)), channels=(0, 0)) for s in steps)


def _padded_error(layers: Sequence[Point], owns: Sequence[float], overhead: float, block: int) -> float:
    """The log error of the single layers' fit (:func:`_fit_at` at ``overhead``) with their steps padded to
    ``block``."""
    singles = [(_padded_steps(p.steps, block)[0], seconds) for p, seconds in zip(layers, owns, strict=True)]
    rates, bandwidths, overheads = _fit_at(singles, overhead)
    errors = [
        _step(s, overheads.get(s.kind, overhead), _rate(rates, s), _bandwidth(bandwidths, s)) / t for s, t in singles
    ]
    return sum(math.log(e) ** 2 for e in errors) / len(errors)


def _own(point: Point, run: float, bias: float | None) -> float:
    """A single layer's own seconds: profiled (``bias`` not ``None``), its nodes' less ``bias`` for each; else its
    run's less the run's own cost (at least a twentieth of either)."""
    if bias is not None and point.kernel is not None:
        return max(point.kernel - bias * point.nodes, point.kernel * 0.05)
    return max(point.seconds - run, point.seconds * 0.05)


def _at(error: Callable[[tuple[float, float]], float], cache: float) -> Callable[[float], float]:
    """``error`` of (cache, dram) as a function of dram alone."""
    return lambda dram: error((cache, dram))


def _moving(
    points: Sequence[tuple[Step, float]], overhead: float, beyond: tuple[float, float]
) -> Callable[[float], float]:
    """The log error over ``points`` (steps of no mults) as a function of their bandwidth."""
    return lambda bandwidth: _log_error(points, lambda one: _step(one, overhead, 0.0, bandwidth, beyond))


def _bandwidth(bandwidths: dict[str, float], step: Step) -> float:
    """A step's bandwidth: of its kind and shape, its kind's, else other's (as
    :meth:`~dsc_cost.devices.Calibration.bandwidth`)."""
    return (
        bandwidths.get(f"{step.kind} {step.shape}")
        or bandwidths.get(step.kind)
        or bandwidths.get("other")
        or max(bandwidths.values())
    )


def _rate(rates: dict[str, float], step: Step) -> float:
    """A step's rate: of its kind and shape, … (as :meth:`~dsc_cost.devices.Calibration.rate`)."""
    for key in (*_keys(step), step.kind, "conv"):
        if key in rates:
            return rates[key]
    return max(rates.values(), default=0.0)


def _order(key: str) -> tuple[int, str]:
    kind, _, shape = key.partition(" ")
    return KINDS.index(kind) if kind in KINDS else len(KINDS), shape


def _model(result: Fit) -> Calibration:
    """The :class:`~dsc_cost.devices.Calibration` of a fit, as a profile writes it (3 figures, whole rates)."""
    from ..devices import Calibration

    return Calibration(
        Fraction(f"{result.overhead:.3g}"),
        tuple((k, max(1, round(v))) for k, v in sorted(result.rates.items(), key=lambda kv: _order(kv[0]))),
        tuple((k, max(1, round(v))) for k, v in sorted(result.bandwidths.items(), key=lambda kv: _order(kv[0]))),
        run=Fraction(f"{result.run:.3g}"),
        fused=Fraction(f"{result.fused:.3g}"),
        cache=round(result.cache),
        dram=round(result.dram),
        overheads=tuple((k, Fraction(f"{v:.3g}")) for k, v in sorted(result.overheads, key=lambda kv: _order(kv[0]))),
        block=result.block,
    )


def calibration(result: Fit, threads: int) -> Calibration:
    """The :class:`~dsc_cost.devices.Calibration` of a fit, with its provenance and residuals: over the single
    layers (median, 90th percentile and largest |predicted ÷ measured − 1|) and over the chains of layers."""
    import datetime

    ort = need_runtime()
    errors = sorted(abs(r) for r in result.residuals)
    p90 = errors[min(len(errors) - 1, int(0.9 * len(errors)))]
    chains = sorted(abs(r) for r in result.chains)
    summary: list[tuple[str, float]] = [("median", round(statistics.median(errors), 4)), ("p90", round(p90, 4)),
                                        ("max", round(errors[-1], 4)), ("benchmarks", len(errors))]  # fmt: skip
    if chains:
        summary += [("chains median", round(statistics.median(chains), 4)), ("chains max", round(chains[-1], 4)),
                    ("chains", len(chains))]  # fmt: skip
    return _model(result)._replace(
        runtime=f"onnxruntime {ort.__version__}", threads=threads, cpu=cpu_name(),
        date=datetime.date.today().isoformat(), residuals=tuple(summary),
    )  # fmt: skip


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

    threads = "1 thread" if found.threads == 1 else f"{found.threads or 'default'} threads"
    title = f"{found.cpu}, {threads}, {found.runtime}"
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
        "    run + the sum over its steps of overhead + max(mults / rate, bytes / bandwidth), an activation, norm or",
        "    add fused into the conv before it at the share fused of its own.",
        "  calibration:",
        f"    run: {float(found.run):.3e}",  # with a point and an exponent: YAML reads a float
        f"    overhead: {float(found.overhead):.3e}",
        *([f"    overheads: {table([(k, f'{float(v):.3e}') for k, v in found.overheads])}"] if found.overheads else []),
        *([f"    block: {found.block}"] if found.block else []),
        f"    fused: {float(found.fused)!r}",
        *([f"    cache: {found.cache}", f"    dram: {found.dram}"] if found.cache else []),
        f"    rates: {table(found.rates)}",
        f"    bandwidths: {table(found.bandwidths)}",
        f"    runtime: {json.dumps(found.runtime)}",
        f"    threads: {found.threads}",
        f"    cpu: {json.dumps(found.cpu)}",
        f"    date: {json.dumps(found.date)}",
        f"    residuals: {table(found.residuals)}",
    ]
    return "\n".join(lines) + "\n"
