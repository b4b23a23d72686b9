"""Time a network in onnxruntime on this machine: the whole run (warm-up runs, then timed runs: the median and
the spread), and with ``per_layer`` the time of each of the spec's layers from onnxruntime's profiler, beside the
roofline time that :mod:`dsc_cost.memory` predicts on a device.

A spec is exported first (:mod:`.export`); an ONNX file runs as it is. onnxruntime's own node names are the
exported ones, sometimes with a suffix of its own (``block1_nchwc``): a node's time goes to the layer whose name
it starts with (:func:`attribute`); what matches none (the layout reorders onnxruntime inserts) is ``other``. A
conv's kernel runs the element-wise layers fused into it (:func:`dsc_cost.memory.fused_layers`) and is named after
the last of them: its time goes to the conv.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from . import RuntimeFailed, need_runtime
from .registry import SEP

if TYPE_CHECKING:
    from ..devices import Device
    from ..network import Network

OTHER = "other"
"""Where the time of the nodes that belong to no layer goes (onnxruntime's layout reorders)."""


class Timing(NamedTuple):
    """Seconds of the timed runs: their median, the quartiles around it, the fastest and how many."""

    median: float
    low: float
    high: float
    fastest: float
    runs: int

    @property
    def spread(self) -> float:
        """The interquartile range as a share of the median."""
        return (self.high - self.low) / self.median if self.median else 0.0


class LayerMeasured(NamedTuple):
    """One layer: its mults (for the batch), the predicted seconds (with a device) and the measured ones (the
    median over the runs of the time its nodes took)."""

    name: str
    type: str
    mults: int
    predicted: float | None
    measured: float | None


class Measured(NamedTuple):
    """A network timed: its settings, mults, predicted and measured seconds, and per layer with ``per_layer``."""

    name: str
    file: str
    batch: int
    threads: int
    mults: int
    device: str | None
    predicted: float | None
    timing: Timing
    layers: tuple[LayerMeasured, ...] = ()


class Settings(NamedTuple):
    """How to run: onnxruntime's intra-op threads (0: its default), the batch, warm-up and timed runs."""

    threads: int = 0
    batch: int = 1
    warmup: int = 5
    runs: int = 20
    per_layer: bool = False


def timing(seconds: Sequence[float]) -> Timing:
    """The :class:`Timing` of the seconds of some runs.

    >>> timing([3.0, 1.0, 2.0, 4.0, 5.0])
    Timing(median=3.0, low=2.0, high=4.0, fastest=1.0, runs=5)
    """
    ordered = sorted(seconds)
    if len(ordered) >= 2:
        low, _, high = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        low = high = ordered[0]
    return Timing(statistics.median(ordered), low, high, ordered[0], len(ordered))


def session(model: bytes, threads: int, profile: str | None = None, file: str = "") -> Any:
    """An onnxruntime session of ``model`` on the CPU with ``threads`` intra-op threads (0: its default);
    ``profile``: the prefix of the profiler's file.

    :raises RuntimeMissing: without onnxruntime; :raises RuntimeFailed: when it refuses the model.
    """
    ort = need_runtime()
    options = ort.SessionOptions()
    options.log_severity_level = 3
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    if profile is not None:
        options.enable_profiling = True
        options.profile_file_prefix = profile
    try:
        return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's own exceptions: its message, one line
        raise RuntimeFailed(f"{file or 'the model'}: onnxruntime refused it: {_line(error)}") from None


def _line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _inputs(run: Any, shape: Sequence[int], batch: int) -> dict[str, Any]:
    import numpy

    (first,) = run.get_inputs()
    data = numpy.random.default_rng(0).standard_normal((batch, *shape)).astype(numpy.float32)
    return {first.name: data}


def time_runs(run: Any, feed: dict[str, Any], warmup: int, runs: int, file: str = "") -> list[float]:
    """Seconds of each of ``runs`` runs after ``warmup`` runs.

    :raises RuntimeFailed: when a run fails.
    """
    seconds = []
    try:
        for _ in range(warmup):
            run.run(None, feed)
        for _ in range(runs):
            start = time.perf_counter()
            run.run(None, feed)
            seconds.append(time.perf_counter() - start)
    except Exception as error:
        raise RuntimeFailed(f"{file or 'the model'}: onnxruntime failed to run it: {_line(error)}") from None
    return seconds


def attribute(node: str, layers: Sequence[str]) -> str:
    """The layer of ``layers`` that onnxruntime's node ``node`` belongs to: its own name, the longest layer name it
    starts with followed by ``/``, or either with a suffix of onnxruntime's (``_nchwc``); else :data:`OTHER`.

    >>> attribute("block1/pointwise_nchwc", ["conv1", "block1"]), attribute("ReorderOutput", ["block1"])
    ('block1', 'other')
    """
    from .export import owner

    name = node
    while True:
        found = owner(name, layers)
        if found:
            return found
        cut = name.rfind("_")
        if cut <= 0 or SEP in name[cut:]:
            return OTHER
        name = name[:cut]


def profile_runs(run: Any, feed: dict[str, Any], runs: int, file: str = "") -> list[list[tuple[str, float]]]:
    """The nodes each of ``runs`` profiled runs ran, in order, with their seconds (a session made with a profile
    prefix; its runs before these are left out); the profiler's file is removed."""
    try:
        for _ in range(runs):
            run.run(None, feed)
        path = run.end_profiling()
    except Exception as error:
        raise RuntimeFailed(f"{file or 'the model'}: onnxruntime failed to run it: {_line(error)}") from None
    try:
        with open(path, encoding="utf-8") as handle:
            events = json.load(handle)
    finally:
        os.unlink(path)
    per_run: list[list[tuple[str, float]]] = []
    current: list[tuple[str, float]] = []
    for event in events:
        name = event.get("name", "")
        if event.get("cat") == "Session" and name == "model_run":
            per_run.append(current)
            current = []
        elif event.get("cat") == "Node" and name.endswith("_kernel_time"):
            current.append((name.removesuffix("_kernel_time"), event.get("dur", 0) / 1e6))
    return per_run[-runs:] if per_run else [current]


def profile_layers(
    run: Any, feed: dict[str, Any], runs: int, layers: Sequence[str], file: str = ""
) -> dict[str, float]:
    """The median seconds per run of each layer's nodes over ``runs`` profiled runs (:func:`profile_runs`)."""
    runs_seen: list[dict[str, float]] = []
    for nodes in profile_runs(run, feed, runs, file):
        seen: dict[str, float] = {}
        for node, seconds in nodes:
            layer = attribute(node, layers)
            seen[layer] = seen.get(layer, 0.0) + seconds
        runs_seen.append(seen)
    names = {name for seen in runs_seen for name in seen}
    return {name: statistics.median(seen.get(name, 0.0) for seen in runs_seen) for name in names}


def measure(
    network: Network,
    model: bytes,
    settings: Settings,
    device: Device | None = None,
    file: str = "",
) -> Measured:
    """Run ``model`` (the ONNX form of ``network``) as ``settings`` say, and predict its time on ``device``.

    :raises RuntimeMissing: without onnxruntime; :raises RuntimeFailed: when it refuses or fails the model.
    """
    from ..memory import fused_layers, network_memory
    from ..network import cost_network

    result = cost_network(network, settings.batch)
    predicted: float | None = None
    per_layer_predicted: list[float | None] = [None] * len(result.layers)
    if device is not None:
        roofline = network_memory(result, device=device).roofline
        assert roofline is not None
        predicted = float(roofline.seconds)
        per_layer_predicted = [float(t.seconds) for t in roofline.layers]
    run = session(model, settings.threads, file=file)
    feed = _inputs(run, network.input, settings.batch)
    seconds = time_runs(run, feed, settings.warmup, settings.runs, file)
    layers: tuple[LayerMeasured, ...] = ()
    if settings.per_layer:
        names = [node.name for node in network.nodes]
        with tempfile.TemporaryDirectory(prefix="dsc-cost-profile-") as folder:
            profiled = session(model, settings.threads, os.path.join(folder, "profile"), file)
            time_runs(profiled, feed, settings.warmup, 0, file)
            measured = profile_layers(profiled, feed, settings.runs, names, file)
        for index, conv in fused_layers(result).items():  # the fused kernel is named after its last layer
            took = measured.pop(names[index], None)
            if took is not None:
                measured[names[conv]] = measured.get(names[conv], 0.0) + took
        rows = [
            LayerMeasured(node.name, node.type, row.cost.mults, per_layer_predicted[i], measured.get(node.name))
            for i, (node, row) in enumerate(zip(network.nodes, result.layers, strict=True))
            if not node.train_only
        ]
        if OTHER in measured and OTHER not in names:
            rows.append(LayerMeasured(OTHER, "runtime", 0, None, measured[OTHER]))
        layers = tuple(rows)
    threads = settings.threads
    return Measured(
        network.name, file, settings.batch, threads, result.total.mults,
        device.name if device is not None else None, predicted, timing(seconds), layers,
    )  # fmt: skip
