"""What a network read from a model file says beside its costs (:class:`~dsc_cost.network.Notes`), in every
format: the ops costed as nothing, which make the figures approximate, and the weights several layers read.

Each format shows it in one place of its own, apart from its tables: a line under the title (table and
Markdown), top-level keys and a key per network (JSON), a column (CSV: ``approximate``, :mod:`.columns`), a banner
(the HTML report, from the JSON it embeds)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..network import NetworkCost, Notes


def approximate(result: NetworkCost) -> bool:
    """Whether ``result`` counts only part of its network (ops costed as nothing)."""
    from ..analysis import NetworkReport

    return NetworkReport(result).approximate


def _ops(notes: Notes) -> str:
    total = sum(n for _, n in notes.unknown)
    listed = ", ".join(f"{op} ×{n}" for op, n in notes.unknown)
    after = f", and {notes.skipped:,} node{'s' if notes.skipped != 1 else ''} after them," if notes.skipped else ""
    return f"{total:,} op{'s' if total != 1 else ''} not understood ({listed}){after}"


def lines(result: NetworkCost) -> list[str]:
    """The lines a table or Markdown document shows under the network's title: ``APPROXIMATE: ...`` first."""
    notes = result.network.notes
    if notes is None:
        return []
    out = []
    if notes.approximate:
        out.append(
            f"APPROXIMATE: {_ops(notes)} costed as nothing (--allow-unknown): every figure below counts only the"
            " ops understood"
        )
    if notes.shared_weights:
        once, per_use = shared_totals(result)
        count = notes.shared_weights
        counted = "once" if notes.shared_once else "once per use"
        out.append(
            f"shared weights: {count:,} weight{'s are' if count != 1 else ' is'} read by several layers, their params"
            f" counted {counted}: {per_use:,} params per use, {once:,} once"
        )
    return out


def shared_totals(result: NetworkCost) -> tuple[int, int]:
    """The network's params with each shared weight counted once, and once per use."""
    notes = result.network.notes
    shared = notes.shared_params if notes is not None else 0
    params = result.total.params
    if notes is not None and notes.shared_once:
        return params, params + shared
    return params - shared, params


def network_keys(result: NetworkCost) -> dict[str, Any]:
    """The keys a network's JSON document gains: ``approximate`` and ``unknown_ops`` when ops were costed as
    nothing, ``shared_weights`` when several layers read a weight."""
    notes = result.network.notes
    if notes is None:
        return {}
    keys: dict[str, Any] = {}
    if notes.approximate:
        keys["approximate"] = True
        keys["unknown_ops"] = {op: n for op, n in notes.unknown}
        keys["nodes_not_costed"] = notes.skipped
    if notes.shared_weights:
        once, per_use = shared_totals(result)
        keys["shared_weights"] = {
            "weights": notes.shared_weights,
            "counted": "once" if notes.shared_once else "per use",
            "params_per_use": per_use,
            "params_once": once,
        }
    return keys


def document_keys(results: Sequence[NetworkCost]) -> dict[str, Any]:
    """The top-level keys of ``dsc-cost network --format json`` when a network is approximate: ``approximate``
    and the ``unknown_ops`` of all of them (op → count)."""
    unknown: dict[str, int] = {}
    for result in results:
        if approximate(result):
            notes = result.network.notes
            assert notes is not None
            for op, n in notes.unknown:
                unknown[op] = unknown.get(op, 0) + n
    if not any(approximate(r) for r in results):
        return {}
    return {"approximate": True, "unknown_ops": unknown}
