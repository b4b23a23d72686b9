"""Specs costed, a layer whose input does not fit it located in its file."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import Collector, Located, Path_, Problem, shorten
from ...network import LayerError, NetworkCost, cost_network, evaluate
from ..yamltext import Positions
from .model import Spec


def cost_specs(specs: Iterable[Spec], batch: int = 1) -> list[NetworkCost]:
    """Cost every spec's network (:func:`~dsc_cost.network.cost_network`).

    :raises SpecError: listing every layer, of every spec, whose input does not fit it,
        each located at the field that decides (or the layer, or the default it came from).
    """
    results: list[NetworkCost] = []
    problems = Collector()
    for spec in specs:
        try:
            results.append(cost_network(spec.network, batch))
        except LayerError:
            errors: list[LayerError] = []
            evaluate(spec.network, errors)
            positions = spec.positions if spec.positions is not None else Positions(spec.text, spec.file)
            for error in errors:
                problems.add(layer_problem(spec, positions, error))
    problems.raise_any()
    return results


def layer_problem(spec: Spec, positions: Positions, error: LayerError) -> Located:
    """``error`` located in ``spec``'s text by ``positions`` (one per spec: its text is read once)."""
    index = spec.origins[error.index] if error.index < len(spec.origins) else error.index
    path: Path_ = ("layers", index)
    inner = spec.inner.get(error.index) if spec.inner else None
    if inner is not None and spec.text:  # made by a block: at its layer there
        path = (*inner, error.field) if positions.has(spec.document, (*inner, error.field)) else inner
    elif spec.text:  # a spec built in code has no text: locate the layer alone
        kind = spec.network.nodes[error.index].type if error.index < len(spec.network.nodes) else ""
        if positions.has(spec.document, ("layers", index, error.field)):
            path = ("layers", index, error.field)
        elif positions.has(spec.document, ("defaults", kind, error.field)):  # its type's default
            path = ("defaults", kind, error.field)
        elif positions.has(spec.document, ("defaults", error.field)):
            path = ("defaults", error.field)
    problem = Problem(spec.document, path, f"layers[{index}] ({shorten(error.name)})", error.field, error.message)
    return positions.locate([problem])[0]
