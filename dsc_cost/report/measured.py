"""``dsc-cost measure``'s output: measured time beside predicted, per network and per layer, in every format.

Each column is declared once (:data:`NETWORK_COLUMNS`, :data:`LAYER_COLUMNS`: its CSV and JSON name, its title, its
unit, where its value comes from); the table and Markdown (a :class:`~.model.Document`), CSV (a
:class:`~.model.Grid`) and JSON read them. Seconds are floats (measured times are), written in the unit that makes
them at least 1 in tables (``12.35 ms``) and as numbers of seconds in CSV and JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .. import units
from .model import Block, Column, Document, Grid, Row, Table, Text

if TYPE_CHECKING:
    from ..runtime.measure import LayerMeasured, Measured

Unit = Literal["text", "count", "seconds", "ratio", "share"]


class MeasureColumn(NamedTuple):
    """A column: ``name`` (CSV header, JSON key), ``title`` (tables), ``unit``, ``value`` (from the row)."""

    name: str
    title: str
    unit: Unit
    value: Callable[[Any], object]
    priority: int = 0


def _ratio(measured: float | None, predicted: float | None) -> float | None:
    return measured / predicted if measured is not None and predicted else None


NETWORK_COLUMNS = (
    MeasureColumn("network", "network", "text", lambda m: m.name),
    MeasureColumn("batch", "batch", "count", lambda m: m.batch, 2),
    MeasureColumn("threads", "threads", "text", lambda m: m.threads or "default", 1),
    MeasureColumn("mults", "mults", "count", lambda m: m.mults),
    MeasureColumn("predicted_seconds", "predicted", "seconds", lambda m: m.predicted),
    MeasureColumn("measured_seconds", "measured", "seconds", lambda m: m.timing.median),
    MeasureColumn("spread", "spread (IQR)", "share", lambda m: m.timing.spread, 3),
    MeasureColumn("ratio", "measured ÷ predicted", "ratio", lambda m: _ratio(m.timing.median, m.predicted)),
)
"""The columns of the networks' table."""

LAYER_COLUMNS = (
    MeasureColumn("layer", "layer", "text", lambda r: r.name),
    MeasureColumn("type", "type", "text", lambda r: r.type, 2),
    MeasureColumn("mults", "mults", "count", lambda r: r.mults),
    MeasureColumn("predicted_seconds", "predicted", "seconds", lambda r: r.predicted),
    MeasureColumn("measured_seconds", "measured", "seconds", lambda r: r.measured),
    MeasureColumn("ratio", "measured ÷ predicted", "ratio", lambda r: _ratio(r.measured, r.predicted), 1),
)
"""The columns of a network's per-layer table (``--per-layer``)."""


def _cell(value: object, unit: Unit) -> str:
    if value is None:
        return "—"
    if unit == "seconds":
        return units.seconds(Fraction(float(value))) if isinstance(value, float | int) else str(value)
    if unit == "count" and isinstance(value, int):
        return units.short(value)
    if unit == "ratio" and isinstance(value, float):
        return f"{value:.2f}"
    if unit == "share" and isinstance(value, float):
        return f"±{value * 50:.1f}%"  # half the interquartile range, as a share of the median
    return str(value)


def _table(columns: Sequence[MeasureColumn], items: Sequence[Any], title: str | None = None) -> Table:
    heads = [Column(c.title, "left" if c.unit == "text" else "right", c.priority, c.unit == "text") for c in columns]
    rows = [Row([_cell(c.value(item), c.unit) for c in columns]) for item in items]
    return Table(heads, rows, title=title)


def measure_view(results: Sequence[Measured]) -> Document:
    """The networks' table, then each network's per-layer table (when measured per layer), and the settings."""
    blocks: list[Block] = [_table(NETWORK_COLUMNS, results)]
    devices = sorted({m.device for m in results if m.device})
    runs = sorted({m.timing.runs for m in results})
    note = (
        f"measured: onnxruntime on this machine, median of {'/'.join(map(str, runs))} runs after warm-up; spread:"
        " half the interquartile range"
    )
    note += f"; predicted: the roofline time on {', '.join(devices)}" if devices else "; predicted: give --device"
    blocks.append(Text(note))
    for m in results:
        if m.layers:
            blocks.append(_table(LAYER_COLUMNS, m.layers, f"{m.name}: per layer (onnxruntime's profiler)"))
    return Document(blocks)


def measure_grid(results: Sequence[Measured]) -> Grid:
    """CSV: a row per network, or with per-layer measurements a row per layer (the network's name first)."""
    if any(m.layers for m in results):
        headers = ["network", *(c.name for c in LAYER_COLUMNS)]
        rows = [[m.name, *(_raw(c.value(r)) for c in LAYER_COLUMNS)] for m in results for r in m.layers]
        return Grid(headers, rows)
    return Grid([c.name for c in NETWORK_COLUMNS], [[_raw(c.value(m)) for c in NETWORK_COLUMNS] for m in results])


def _raw(value: object) -> object:
    return "" if value is None else value


def _layer_json(row: LayerMeasured) -> dict[str, object]:
    return {c.name: c.value(row) for c in LAYER_COLUMNS}


def measure_json(results: Sequence[Measured]) -> str:
    """JSON: per network its settings, the timing's figures, predicted and measured seconds and the layers."""
    import json

    networks = []
    for m in results:
        item: dict[str, object] = {c.name: c.value(m) for c in NETWORK_COLUMNS if c.name != "spread"}
        item["threads"] = m.threads
        item["file"] = m.file
        item["device"] = m.device
        t = m.timing
        item["measured"] = {
            "median_seconds": t.median, "q1_seconds": t.low, "q3_seconds": t.high, "fastest_seconds": t.fastest,
            "runs": t.runs,
        }  # fmt: skip
        if m.layers:
            item["layers"] = [_layer_json(r) for r in m.layers]
        networks.append(item)
    return json.dumps({"networks": networks}, indent=2) + "\n"
