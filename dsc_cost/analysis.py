"""The figures every view shows beside the costs, worked out from the domain values: what a counter of
``--as`` reports for each layer and the network, and the bytes and times of a network or a comparison at the
settings of ``--dtype`` and ``--device``. Views and commands take them from here; nothing here formats.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conventions import Convention, Reported
    from .formulas import Comparison
    from .memory import NetworkMemory, Settings, Step
    from .network import NetworkCost


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
    from .memory import Step, comparison_steps, compute_dtype, run_seconds, step_seconds

    (standard,), (depthwise, pointwise) = comparison_steps(c, settings.weight_dtype, settings.activation_dtype)
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


def network_reports(result: NetworkCost, convention: Convention | None) -> tuple[list[Reported], Reported | None]:
    """What ``convention``'s tool reports for every layer and for the whole network."""
    if convention is None:
        return [], None
    from .conventions import layer_elements, report, sum_elements

    elements = layer_elements(result)
    rows = [
        report(convention, layer.cost.params, layer.cost.mults, layer.bn_params, e, result.batch)
        for layer, e in zip(result.layers, elements, strict=True)
    ]
    inference = [e for layer, e in zip(result.layers, elements, strict=True) if not layer.train_only]
    total = report(
        convention, result.total.params, result.total.mults, result.bn_params, sum_elements(inference), result.batch
    )
    return rows, total


def network_bytes(result: NetworkCost, settings: Settings | None) -> NetworkMemory:
    """:func:`~dsc_cost.memory.network_memory` at ``settings`` (fp32, no device, without)."""
    from .memory import network_memory

    if settings is None:
        return network_memory(result)
    return network_memory(result, settings.weight_dtype, settings.activation_dtype, settings.device)
