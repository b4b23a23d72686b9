"""One analysis of a network, of which every view is a projection: :func:`analyze` gives a
:class:`NetworkReport` holding, per layer and in total, the costs and the what-ifs (separable pairs applied,
:func:`~dsc_cost.network.cost_network`), the element counts, the bytes and the peak activation memory at the
settings of ``--dtype``, the roofline times on ``--device``, and what the counter of ``--as`` reports. Each
figure is worked out once, the first time a view reads it, and kept: the table, Markdown, CSV, JSON and the
report, ``check``, ``diff`` and ``sweep`` read them here. The same figures of a ``compare`` are here too.
Nothing here formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from functools import cached_property
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .comparison import Comparison
    from .conventions import Convention, Reported, TorchinfoMemory
    from .memory import LayerMemory, LayerTime, NetworkMemory, Settings, Step
    from .network import LayerCost, Network, NetworkCost


class LayerReport(NamedTuple):
    """One layer and every figure beside its costs: its network's name, its :class:`~dsc_cost.network.LayerCost`
    (costs, what-ifs, elements, other ops), its bytes, its time on the device and what the tool of ``--as``
    reports for it (``None`` where not asked for). The totals are a report of the same form
    (:meth:`NetworkReport.totals`), its layer the network's totals."""

    network: str
    layer: LayerCost
    memory: LayerMemory | None = None
    time: LayerTime | None = None
    reported: Reported | None = None
    approximate: bool = False
    """Its network's figures count only the ops understood (ops of a model file costed as nothing)."""


class NetworkReport:
    """A costed network and every figure the views show of it, each worked out once, when first read
    (:func:`analyze`).

    ``cost``: the :class:`~dsc_cost.network.NetworkCost` (per layer: costs, what-ifs with the separable pairs
    applied, elements; the totals the same); ``settings``: the dtypes and device (``None``: fp32, no device);
    ``convention``: the tool of ``--as`` (or ``None``)."""

    def __init__(
        self, cost: NetworkCost, settings: Settings | None = None, convention: Convention | None = None
    ) -> None:
        self.cost = cost
        self.settings = settings
        self.convention = convention

    @property
    def name(self) -> str:
        return self.cost.network.name

    @property
    def approximate(self) -> bool:
        """Whether the network counts only part of its model file (ops costed as nothing: a lower bound)."""
        notes = self.cost.network.notes
        return notes is not None and notes.approximate

    @cached_property
    def memory(self) -> NetworkMemory:
        """The bytes of every layer, the weights, every output, the peak activation memory and, with a device,
        the roofline times (:func:`~dsc_cost.memory.network_memory` at ``settings``)."""
        from .memory import network_memory

        settings = self.settings
        if settings is None:
            return network_memory(self.cost)
        return network_memory(self.cost, settings.weight_dtype, settings.activation_dtype, settings.device)

    @property
    def shows_memory(self) -> bool:
        """Whether the settings ask the tables for the memory columns (``--memory``, or a device)."""
        return self.settings is not None and self.settings.show

    @cached_property
    def _reported(self) -> tuple[list[Reported], Reported | None]:
        convention = self.convention
        if convention is None:
            return [], None
        from .conventions import network_subject, report

        result = self.cost
        batch = result.batch
        rows = [
            report(convention, layer.cost.params, layer.cost.mults, layer.bn_params, layer.elements, batch)
            for layer in result.layers
        ]
        whole = network_subject(result)  # the network as the conventions command reports it
        total = report(convention, whole.params, whole.mults, whole.bn_params, whole.elements, batch, whole.kept)
        return rows, total

    @property
    def reported(self) -> list[Reported]:
        """What the tool of ``--as`` reports for every layer (``[]`` without a convention)."""
        return self._reported[0]

    @property
    def total_reported(self) -> Reported | None:
        """What the tool of ``--as`` reports for the whole network (at inference; ``None`` without a convention)."""
        return self._reported[1]

    @cached_property
    def torchinfo_memory(self) -> TorchinfoMemory:
        """The memory lines of torchinfo's summary (``--as torchinfo``)."""
        from .conventions import torchinfo_memory

        return torchinfo_memory(self.cost)

    def layers(self, memory: bool = True) -> Iterator[LayerReport]:
        """A :class:`LayerReport` per layer, one after the other (made as they are read and let go: 100,000 rows
        kept at once would only keep the garbage collector busy); ``memory=False``: without bytes and times
        (which are then not worked out)."""
        result = self.cost
        count = len(result.layers)
        figures = self.memory if memory else None
        memories: Iterable[object] = figures.layers if figures is not None else repeat(None, count)
        roofline = figures.roofline if figures is not None else None
        times: Iterable[object] = roofline.layers if roofline is not None else repeat(None, count)
        reported: Iterable[object] = self.reported or repeat(None, count)
        approximate = repeat(self.approximate, count)
        return map(LayerReport._make, zip(repeat(self.name), result.layers, memories, times, reported, approximate))

    def totals(self, memory: bool = True) -> LayerReport:
        """The totals as a :class:`LayerReport`, each figure where a layer's is: the network's cost, weights,
        every output (output bytes), its peak (live bytes) and its time."""
        from .network import LayerCost

        result = self.cost
        layer = LayerCost("total", "", result.network.input, result.output, result.total, result.standard,
                          result.separable, (), result.bn_params, result.other_ops)  # fmt: skip
        bytes_ = time = None
        if memory:
            from .memory import LayerMemory, LayerTime

            m = self.memory
            bytes_ = LayerMemory("total", m.weight_bytes, 0, m.activation_bytes, 0, m.peak_bytes)
            r = m.roofline
            if r is not None:
                time = LayerTime(Fraction(0), r.seconds, "compute", r.standard_seconds, r.separable_seconds,
                                 Fraction(0), Fraction(0))  # fmt: skip
        return LayerReport(self.name, layer, bytes_, time, self.total_reported, self.approximate)


def analyze(
    subject: NetworkCost | Network | NetworkReport,
    settings: Settings | None = None,
    convention: Convention | None = None,
    batch: int = 1,
) -> NetworkReport:
    """The :class:`NetworkReport` of a costed network (or of a network, costed for ``batch`` samples) at
    ``settings`` (dtypes and device; ``None``: fp32, no device), with what ``convention``'s tool reports.
    A report given is returned as it is.

    >>> from dsc_cost import Shape
    >>> from dsc_cost.memory import Settings
    >>> from dsc_cost.network import ConvLayer, Network, Node
    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> report = analyze(net, Settings("int8", "int8"))
    >>> [(r.layer.cost.mults, r.layer.separable.mults, r.memory.weight_bytes) for r in report.layers()]
    [(86400, 10275, 3456)]
    >>> report.memory.peak_bytes, report.totals().layer.standard
    (3347, Cost(params=3456, mults=86400))

    :raises LayerError: (a network) at the first layer whose input does not fit it.
    """
    if isinstance(subject, NetworkReport):
        return subject
    from .network import Network, cost_network

    cost = cost_network(subject, batch) if isinstance(subject, Network) else subject
    return NetworkReport(cost, settings, convention)


def analyses(
    subjects: Sequence[NetworkCost | NetworkReport], settings: Settings | None, convention: Convention | None
) -> list[NetworkReport]:
    """:func:`analyze` of each costed network (a report given kept as it is)."""
    return [analyze(subject, settings, convention) for subject in subjects]


# ---------------------------------------------------------------- compare


def compare_reports(c: Comparison, convention: Convention | None) -> dict[str, Reported]:
    """What ``convention``'s tool reports for each part of a comparison (none without a convention)."""
    if convention is None:
        return {}
    from .conventions import compare_reports as reports

    return reports(c, convention)


def compare_memory(c: Comparison, settings: Settings | None) -> tuple[dict[str, Step], dict[str, Fraction]] | None:
    """The bytes each part moves and, with a device, its time: standard, depthwise, pointwise, separable (the two
    forms as a network of one layer each: with a calibrated run cost) (``None`` unless ``settings`` show memory)."""
    if settings is None or not settings.show:
        return None
    from .memory import Step, compute_dtype, dtype_bytes, run_seconds, step_seconds, steps

    weight, activation = dtype_bytes(settings.weight_dtype), dtype_bytes(settings.activation_dtype)
    standard_layer, separable_layer = c.layers  # the steps of its layers, as a network's layer's
    (standard,) = steps((standard_layer,), (c.input,), c.batch, weight, activation)
    depthwise, pointwise = steps((separable_layer,), (c.input,), c.batch, weight, activation)
    separable = Step(
        depthwise.mults + pointwise.mults,
        depthwise.weight_bytes + pointwise.weight_bytes,
        depthwise.input_bytes + pointwise.input_bytes,
        depthwise.output_bytes + pointwise.output_bytes,
    )
    parts = {"standard": standard, "depthwise": depthwise, "pointwise": pointwise}
    times: dict[str, Fraction] = {}
    if settings.device is not None:
        peak = settings.device.peak_for(compute_dtype(settings.weight_dtype, settings.activation_dtype))
        for name, step in parts.items():
            times[name] = max(step_seconds(step, peak, settings.device.bandwidth, settings.device.calibration))
        run = run_seconds(settings.device.calibration)  # a calibrated run's own cost, once for each form
        times["standard"] += run
        times["separable"] = times["depthwise"] + times["pointwise"] + run
    return {**parts, "separable": separable}, times
