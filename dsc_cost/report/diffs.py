"""What ``dsc-cost diff`` shows: the totals and the layers that changed, in every format.

:func:`diff_output` is the entry point: ``table`` gives a rich renderable (increases in red, decreases in
green on a terminal), ``markdown`` a text ready for a pull-request comment (the layers that changed in a
table, every layer in a collapsed ``<details>`` section), ``json`` and ``csv`` exact integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import units
from ..diff import STATUSES, Change, Diff, LayerDiff, NetworkDiff
from .model import Block, Cell, CellValue, Column, Document, Grid, Row, Table, Text, Tone, visible

if TYPE_CHECKING:
    from rich.console import RenderableType

FORMATS = ("table", "json", "csv", "markdown")

TITLES = {"params": "params", "mults": "mults", "bytes": "bytes", "weight_bytes": "weight bytes",
          "peak_bytes": "peak bytes"}  # fmt: skip
"""How each figure is named in tables (``bytes``: what a layer moves, its weights, input and output)."""


def _count(value: int | None, exact: bool) -> str:
    return "—" if value is None else units.count(value, exact)


def signed(value: int, exact: bool) -> str:
    """``+1.2K``, ``-640``, ``0``."""
    text = units.count(abs(value), exact)
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else "0"


def growth_text(change: Change) -> str:
    """``+5.25%``, ``-0.01%``, ``new`` (nothing before), ``gone`` (nothing after) or ``0%``."""
    if change.before is None or (change.before == 0 and change.delta > 0):
        return "new" if change.delta else "0%"
    if change.after is None:
        return "gone"
    growth = change.growth
    if growth is None or growth == 0:
        return "0%"
    text = units.percent_of(abs(growth))
    text = "<0.01%" if text == "0%" else text
    return ("+" if growth > 0 else "-") + text


def _tone(change: Change) -> Tone | None:
    return "bad" if change.delta > 0 else "good" if change.delta < 0 else None


def _delta_cell(change: Change, exact: bool) -> Cell:
    """The change and its percentage in one cell: ``+1.2K (+5.25%)``."""
    text = signed(change.delta, exact)
    if change.delta:
        text += f" ({growth_text(change)})"
    return Cell(text, tone=_tone(change))


def _type_text(layer: LayerDiff) -> str:
    old, new = layer.old, layer.new
    if old is not None and new is not None and old.type != new.type:
        return f"{old.type} → {new.type}"
    return (new or old).type if (new or old) is not None else ""  # type: ignore[union-attr]


def _output_text(layer: LayerDiff) -> str:
    old, new = layer.old, layer.new
    if old is not None and new is not None and old.output != new.output and old.output and new.output:
        return f"{old.output} → {new.output}"
    return (new or old).output if (new or old) is not None else ""  # type: ignore[union-attr]


def _network_title(network: NetworkDiff) -> str:
    old, new = network.old, network.new
    if old is not None and new is not None and old.name != new.name:
        return f"{old.name} → {new.name}"
    return network.name


def layer_counts(network: NetworkDiff) -> str:
    """``2 changed, 1 added, 0 removed, 13 unchanged``."""
    return ", ".join(f"{network.count(status)} {status}" for status in STATUSES)


def _summary(network: NetworkDiff, all_layers: bool) -> str:
    count = len(network.layers)
    layers = f"{count} layer{'s' * (count != 1)}"
    if network.status == "added":
        return f"network added in NEW ({layers})"
    if network.status == "removed":
        return f"network removed from OLD ({layers})"
    hidden = "" if all_layers or not network.count("unchanged") else " (unchanged layers hidden: --all shows them)"
    return f"layers: {layer_counts(network)}{hidden}"


# ---------------------------------------------------------------- tables


def totals_table(network: NetworkDiff, exact: bool) -> Table:
    columns = [Column("total"), Column("before", "right"), Column("after", "right"), Column("change", "right"),
               Column("%", "right")]  # fmt: skip
    rows = [
        Row(
            [
                TITLES[c.metric],
                _count(c.before, exact),
                _count(c.after, exact),
                Cell(signed(c.delta, exact), tone=_tone(c)),
                Cell(growth_text(c), tone=_tone(c)),
            ]
        )
        for c in network.totals
    ]
    return Table(columns, rows)


def layers_table(network: NetworkDiff, layers: Sequence[LayerDiff], exact: bool) -> Table:
    """A row per layer: its name, what happened to it, its type, and per figure before, after and the change."""
    columns = [Column("layer", wrap=True), Column("change"), Column("type", priority=3, wrap=True),
               Column("output", priority=1, wrap=True)]  # fmt: skip
    for metric in network.layer_metrics:
        title = TITLES[metric]
        columns += [Column(f"{title} before", "right", 2), Column(f"{title} after", "right", 4),
                    Column(f"Δ {title}", "right")]  # fmt: skip
    rows = []
    for layer in layers:
        cells: list[CellValue] = [layer.name, layer.status, _type_text(layer), _output_text(layer)]
        for change in layer.changes:
            cells += [_count(change.before, exact), _count(change.after, exact), _delta_cell(change, exact)]
        rows.append(Row(cells))
    return Table(columns, rows)


def diff_blocks(diff: Diff, all_layers: bool, exact: bool) -> list[tuple[NetworkDiff, list[Block]]]:
    """Per network: its heading, what changed, its totals and its layers."""
    out = []
    for network in diff.networks:
        blocks: list[Block] = [Text(_network_title(network), "heading"), Text(_summary(network, all_layers))]
        blocks.append(totals_table(network, exact))
        shown = network.shown(all_layers)
        if shown:
            blocks.append(layers_table(network, shown, exact))
        out.append((network, blocks))
    return out


def _headline(diff: Diff) -> str:
    count = len(diff.networks)
    changed = sum(n.status != "unchanged" for n in diff.networks)
    verdict = f"{changed} of {count} network{'s' * (count != 1)} changed" if changed else "no change"
    return f"{diff.old} → {diff.new}: {verdict}"


def diff_view(diff: Diff, all_layers: bool = False, exact: bool = False) -> Document:
    """The headline, then per network its heading, summary, totals and layers."""
    blocks: list[Block] = [Text(_headline(diff), "title")]
    for _, network_blocks in diff_blocks(diff, all_layers, exact):
        blocks += network_blocks
    return Document(blocks)


def diff_markdown(diff: Diff, all_layers: bool = False, exact: bool = False) -> str:
    """Markdown for a pull-request comment or a job summary: per network the totals and the layers that
    changed, and (without ``all_layers``) every layer in a collapsed ``<details>`` section."""
    from .markdown import block_text, cell_text

    parts = [f"**{cell_text(_headline(diff))}**\n"]
    for network, blocks in diff_blocks(diff, all_layers, exact):
        parts += [block_text(block) for block in blocks]
        if not all_layers and network.layers and len(network.shown()) < len(network.layers):
            table = block_text(layers_table(network, network.layers, exact))
            count = len(network.layers)
            summary = f"every layer ({count}) of {visible(network.name)}"  # HTML: escaped as HTML
            parts.append(f"<details>\n<summary>{_html(summary)}</summary>\n\n{table}\n</details>\n")
    return "\n".join(parts)


def _html(text: str) -> str:
    """``text`` as the text of an HTML element, on one line (a blank line would end the HTML block)."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---------------------------------------------------------------- JSON and CSV


def _change_json(change: Change) -> dict[str, Any]:
    growth = change.growth
    return {
        "before": change.before,
        "after": change.after,
        "delta": change.delta,
        "growth": None if growth is None else units.to_float(growth, "a growth"),
    }


def _layer_side(layer: Any) -> dict[str, Any] | None:
    return None if layer is None else {"name": layer.name, "type": layer.type, "output": layer.output}


def diff_document(diff: Diff, all_layers: bool = False) -> dict[str, Any]:
    """``{"old", "new", "changed", "networks": [...]}``: per network its status, names, totals and layers
    (every one with ``all_layers``, else those that changed), each figure with before, after, delta and growth
    (``delta / before``; ``null`` from nothing)."""
    networks = []
    for network in diff.networks:
        networks.append(
            {
                "name": network.name,
                "status": network.status,
                "old": None if network.old is None else {"name": network.old.name, "file": network.old.file},
                "new": None if network.new is None else {"name": network.new.name, "file": network.new.file},
                "totals": {c.metric: _change_json(c) for c in network.totals},
                "layer_counts": {status: network.count(status) for status in STATUSES},
                "layers": [
                    {
                        "name": layer.name,
                        "status": layer.status,
                        "old": _layer_side(layer.old),
                        "new": _layer_side(layer.new),
                        **{c.metric: _change_json(c) for c in layer.changes},
                    }
                    for layer in network.shown(all_layers)
                ],
            }
        )
    return {"old": diff.old, "new": diff.new, "changed": diff.changed, "networks": networks}


def diff_grid(diff: Diff, all_layers: bool = False) -> Grid:
    """A row for each network's totals (``row`` is ``total``), then one per layer shown (``layer``):
    exact integers, growth as a fraction (empty from nothing)."""
    metrics = list(dict.fromkeys(c.metric for n in diff.networks for c in n.totals))
    metrics += [m for n in diff.networks for m in n.layer_metrics if m not in metrics]
    headers = ["network", "row", "layer", "status", "old_type", "new_type", "old_output", "new_output"]
    for metric in metrics:
        headers += [f"{metric}_before", f"{metric}_after", f"{metric}_delta", f"{metric}_growth"]

    def figures(changes: Sequence[Change]) -> list[object]:
        by_metric = {c.metric: c for c in changes}
        cells: list[object] = []
        for metric in metrics:
            c = by_metric.get(metric)
            if c is None:
                cells += ["", "", "", ""]
                continue
            growth = "" if c.growth is None else units.to_float(c.growth, "a growth")
            cells += ["" if c.before is None else c.before, "" if c.after is None else c.after, c.delta, growth]
        return cells

    rows: list[list[object]] = []
    for network in diff.networks:
        rows.append([network.name, "total", "", network.status, "", "", "", "", *figures(network.totals)])
        for layer in network.shown(all_layers):
            old_type = "" if layer.old is None else layer.old.type
            new_type = "" if layer.new is None else layer.new.type
            old_output = "" if layer.old is None else layer.old.output.replace("×", "x")
            new_output = "" if layer.new is None else layer.new.output.replace("×", "x")
            rows.append(
                [
                    network.name,
                    "layer",
                    layer.name,
                    layer.status,
                    old_type,
                    new_type,
                    old_output,
                    new_output,
                    *figures(layer.changes),
                ]
            )
    return Grid(headers, rows)


def diff_output(diff: Diff, fmt: str, *, all_layers: bool = False, exact: bool = False) -> str | RenderableType:
    """``dsc-cost diff`` in ``fmt``: ``table`` (a rich renderable), ``json``, ``csv`` or ``markdown`` (text)."""
    if fmt == "json":
        from .jsontext import json_text

        return json_text(diff_document(diff, all_layers))
    if fmt == "csv":
        from .csvtext import csv_text

        return csv_text(diff_grid(diff, all_layers))
    if fmt == "markdown":
        return diff_markdown(diff, all_layers, exact)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    from .rich_writer import renderable

    return renderable(diff_view(diff, all_layers, exact))
