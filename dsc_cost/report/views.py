"""What each command shows, as format-neutral :class:`~dsc_cost.report.model.Document` values
(for the terminal and Markdown) and :class:`~dsc_cost.report.model.Grid` values (for CSV).

Table and Markdown show short units (``10.75M``) unless asked for exact digits; CSV carries exact
integers. Nothing here knows how a document is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from .. import units
from ..analysis import compare_memory, compare_reports, network_bytes, network_reports
from ..formulas import Comparison, Conv, Cost, Shape
from ..savings import savings_vs_standard, separable_potential
from .model import Block, Cell, CellValue, Column, Document, Grid, Row, Table, Text

if TYPE_CHECKING:
    from ..conventions import Convention, Reported, Subject
    from ..conventions import Row as ConventionRow
    from ..devices import Device
    from ..memory import NetworkMemory, Settings
    from ..network import NetworkCost
    from ..variants import Variant

SAVES_VS_STANDARD = "saves vs standard"
"""The label of :func:`~dsc_cost.savings.savings_vs_standard` in tables."""
SEPARABLE_POTENTIAL = "separable potential"
"""The label of :func:`~dsc_cost.savings.separable_potential` in tables."""


def _left(title: str, priority: int = 0, wrap: bool = True) -> Column:
    return Column(title, "left", priority, wrap)


def _right(title: str, priority: int = 0) -> Column:
    return Column(title, "right", priority, False)


def _percent(value: Fraction) -> str:
    return units.percent(value.numerator, value.denominator)


# ---------------------------------------------------------------- pieces


def pair_text(value: tuple[int, int] | str) -> str:
    """``(3, 3)`` → ``3``; ``(3, 5)`` → ``3×5``; ``same`` stays ``same``."""
    if isinstance(value, str):
        return value
    first, second = units.integer(value[0]), units.integer(value[1])
    return first if value[0] == value[1] else f"{first}×{second}"


def describe_conv(conv: Conv) -> str:
    """``kernel 3, stride 1, padding 0`` plus whatever differs from the defaults."""
    parts = [
        f"kernel {pair_text(conv.kernel)}",
        f"stride {pair_text(conv.stride)}",
        f"padding {pair_text(conv.padding)}",
    ]
    if conv.dilation != (1, 1):
        parts.append(f"dilation {pair_text(conv.dilation)}")
    if conv.groups != 1:
        parts.append(f"groups {conv.groups}")
    if conv.multiplier != 1:
        parts.append(f"multiplier {conv.multiplier}")
    if conv.bias:
        parts.append("bias on both steps" if conv.bias == "both" else "bias")
    return ", ".join(parts)


def ascii_shape(shape: Shape) -> str:
    """``3×7×7`` in ASCII for CSV: ``3x7x7`` (1-D: ``40x98``, 3-D: ``3x16x112x112``)."""
    return "x".join(units.integer(n) for n in shape)


def width_text(width: Fraction) -> str:
    """``Fraction(3, 4)`` → ``0.75``; ``Fraction(1)`` → ``1``; at most six decimals."""
    if width >= units.SCIENTIFIC_FROM:
        return units.scientific(width, 6)
    return f"{float(width):.6f}".rstrip("0").rstrip(".")


def _six(value: Fraction) -> str:
    """A fraction with six decimals (scientific when too large for that)."""
    if abs(value) >= units.SCIENTIFIC_FROM:
        return units.scientific(value, 6)
    return f"{float(value):.6f}"


def _as_columns(convention: Convention | None, priority: int) -> list[Column]:
    """The two columns of ``--as TOOL``: its params and its op count (kept longer: where tools differ most)."""
    if convention is None:
        return []
    return [_right(f"{convention.tool} params", priority), _right(f"{convention.tool} {convention.unit}", priority + 1)]


def _as_cells(reported: Reported | None, exact: bool) -> list[CellValue]:
    if reported is None:
        return []
    ops = "—" if reported.ops is None else units.count(reported.ops, exact)
    return [units.count(reported.params, exact), ops]


# ---------------------------------------------------------------- compare


def compare_view(
    c: Comparison,
    exact: bool = False,
    flops: bool = False,
    convention: Convention | None = None,
    explain: bool = False,
    settings: Settings | None = None,
) -> Document:
    """``dsc-cost compare``: the title, the side-by-side table, and (``explain``) the derivation; with
    ``settings`` that show memory, the bytes each part moves and, with a device, its time."""
    kernel = pair_text(c.conv.kernel)
    kernel = f"{kernel}×{kernel}" if "×" not in kernel else kernel
    columns = [_left("", 0), _right("params"), _right("mults")]
    columns += [_right("FLOPs", 3)] if flops else []
    columns += _as_columns(convention, 1)
    memory = compare_memory(c, settings)
    moved, times = memory if memory is not None else ({}, {})
    columns += [_right("bytes moved", 1)] if moved else []
    columns += [_right("time", 1)] if times else []
    reports = compare_reports(c, convention)

    def cells(label: CellValue, part: str, cost: Cost) -> Row:
        row: list[CellValue] = [label, units.count(cost.params, exact), units.count(cost.mults, exact)]
        row += [units.count(cost.flops, exact)] if flops else []
        row += _as_cells(reports.get(part), exact)
        row += [units.byte_count(moved[part].bytes, exact)] if moved else []
        row += [units.seconds(times[part])] if times else []
        return Row(row)

    ratios = [c.params_ratio, c.mults_ratio] + ([c.mults_ratio] if flops else [])
    blank = [""] * len(_as_columns(convention, 1))
    extra: list[Fraction | None] = []
    if moved:
        extra.append(Fraction(moved["separable"].bytes, moved["standard"].bytes))
    if times:
        extra.append(times["separable"] / times["standard"] if times["standard"] else None)
    standard_label = f"standard {kernel} conv" + (f" (groups {c.conv.groups})" if c.conv.groups != 1 else "")
    rows = [
        cells(standard_label, "standard", c.standard),
        cells(Cell(f"depthwise {kernel}", indent=1), "depthwise", c.depthwise),
        cells(Cell("pointwise 1×1", indent=1), "pointwise", c.pointwise),
        Row(cells("separable total", "separable", c.separable).cells, total=True),
        Row(
            [
                "separable / standard",
                *(units.ratio(r) for r in ratios),
                *blank,
                *(units.ratio(r) if r is not None else "—" for r in extra),
            ]
        ),
        Row(
            ["", *(units.fewer(r) for r in ratios), *blank, *(units.fewer(r) if r is not None else "—" for r in extra)]
        ),
    ]
    batch = f" · batch {c.batch}" if c.batch != 1 else ""
    blocks: list[Block] = [
        Text(f"input {c.input} → output {c.output} · {describe_conv(c.conv)}{batch}", "title"),
        Table(columns, rows, rules_before=(3, 4)),
    ]
    if settings is not None and settings.show:
        where = f" on {settings.device.name}" if settings.device else ""
        dtypes = f"weights {settings.weight_dtype}, activations {settings.activation_dtype}"
        blocks.append(Text(f"bytes moved: weights, input and output of each step, once ({dtypes}){where}", "paragraph"))
    if explain:
        from .explain import explain as derivation

        blocks.append(Text(derivation(c), "code"))
    return Document(blocks)


def compare_grid(
    c: Comparison, flops: bool = False, convention: Convention | None = None, settings: Settings | None = None
) -> Grid:
    """One row per part: standard, depthwise, pointwise, separable."""
    memory = compare_memory(c, settings)
    moved, times = memory if memory is not None else ({}, {})
    headers = ["part", "input", "output", "params", "mults"] + (["flops"] if flops else [])
    headers += ["as_tool", "as_params", "as_ops", "as_unit"] if convention else []
    headers += ["weight_bytes", "input_bytes", "output_bytes"] if moved else []
    headers += ["seconds"] if times else []
    reports = compare_reports(c, convention)
    parts = [("standard", c.standard), ("depthwise", c.depthwise), ("pointwise", c.pointwise),
             ("separable", c.separable)]  # fmt: skip
    depthwise_out = Shape(c.input.channels * c.conv.multiplier, c.output.height, c.output.width)
    shapes = {"depthwise": (c.input, depthwise_out), "pointwise": (depthwise_out, c.output)}
    rows = []
    for name, cost in parts:
        shape_in, shape_out = shapes.get(name, (c.input, c.output))
        row: list[object] = [name, ascii_shape(shape_in), ascii_shape(shape_out), cost.params, cost.mults]
        row += [cost.flops] if flops else []
        if name in reports:
            reported = reports[name]
            row += [reported.tool, reported.params, "" if reported.ops is None else reported.ops, reported.unit]
        if moved:
            row += [moved[name].weight_bytes, moved[name].input_bytes, moved[name].output_bytes]
        if times:
            row += [_float(times[name])]
        rows.append(row)
    return Grid(headers, rows)


# ---------------------------------------------------------------- network


def _share(part: int, whole: int, largest: int) -> Cell:
    """A layer's share of the mults, with a bar against the largest layer; no bar where the share
    shows as 0.00% (a bar there would claim a share the number denies)."""
    text = units.percent(part, whole)
    return Cell(text, part=0 if text == "0.00%" else part, largest=largest)


def _layer_table(
    result: NetworkCost, exact: bool, flops: bool, convention: Convention | None, memory: NetworkMemory | None = None
) -> Table:
    columns = [_left("layer"), _left("type", 3), _left("input → output", 4), _right("params"), _right("mults")]
    columns += [_right("FLOPs", 7)] if flops else []  # asked for: kept longer than type, shape and share
    columns += [Column("share", "left", 6), _right("as standard", 2), _right("as separable", 1)]
    roofline = memory.roofline if memory else None
    if roofline is not None:  # the time of each form beside its mults
        columns += [_right("time", 9), _left("bound", 8, False), _right("time as standard", 8),
                    _right("time as separable", 8)]  # fmt: skip
    columns += _as_columns(convention, 8)  # asked for too
    if memory is not None:
        columns += [_right("weights", 8), _right("output bytes", 8), _right("live", 8)]
    largest = max((layer.cost.mults for layer in result.layers), default=0)
    layer_reports, total_report = network_reports(result, convention)
    rows = []
    # The rows of one layer value on the same inputs share their costs (cost_network): their cells are
    # written once, by the identity of those costs and shapes, which ``result`` holds throughout.
    written: dict[tuple[int, ...], list[CellValue]] = {}
    for index, layer in enumerate(result.layers):
        kind = f"{layer.type} (train only)" if layer.train_only else layer.type
        key = (id(layer.input), id(layer.output), id(layer.cost), id(layer.standard), id(layer.separable))
        cells = written.get(key) if not layer.pair else None
        if cells is None:
            cells = [f"{layer.input} → {layer.output}"]
            cells += [units.count(layer.cost.params, exact), units.count(layer.cost.mults, exact)]
            cells += [units.count(layer.cost.flops, exact)] if flops else []
            cells += [_share(layer.cost.mults, result.total.mults, largest)]
            standard = f"in {layer.pair}" if layer.pair_role == "partner" else units.count(layer.standard.mults, exact)
            cells += [standard, units.count(layer.separable.mults, exact)]
            if not layer.pair:
                written[key] = cells
        row: list[CellValue] = [layer.name, kind, *cells]
        if roofline is not None:
            t = roofline.layers[index]
            row += [units.seconds(t.seconds), t.bound, units.seconds(t.standard_seconds),
                    units.seconds(t.separable_seconds)]  # fmt: skip
        row += _as_cells(layer_reports[index] if layer_reports else None, exact)
        if memory is not None:
            m = memory.layers[index]
            live = units.byte_count(m.live_bytes, exact) + (" ◀ peak" if m.live_bytes == memory.peak_bytes else "")
            row += [units.byte_count(m.weight_bytes, exact), units.byte_count(m.output_bytes, exact), live]
        rows.append(Row(row))
    total: list[CellValue] = ["total", "", f"{result.network.input} → {result.output}"]
    total += [units.count(result.total.params, exact), units.count(result.total.mults, exact)]
    total += [units.count(result.total.flops, exact)] if flops else []
    total += ["100.00%", units.count(result.standard.mults, exact), units.count(result.separable.mults, exact)]
    if roofline is not None:
        total += [units.seconds(roofline.seconds), "", units.seconds(roofline.standard_seconds),
                  units.seconds(roofline.separable_seconds)]  # fmt: skip
    total += _as_cells(total_report, exact)
    if memory is not None:
        total += [units.byte_count(memory.weight_bytes, exact), units.byte_count(memory.activation_bytes, exact),
                  units.byte_count(memory.peak_bytes, exact)]  # fmt: skip
    rows.append(Row(total, total=True))
    return Table(columns, rows, rules_before=(len(rows) - 1,))


def _memory_table(memory: NetworkMemory, exact: bool) -> Table:
    """Weights, the sum of all outputs, the peak activation memory and, with a device, the times."""
    dtypes = memory.weight_dtype if memory.weight_dtype == memory.activation_dtype else None
    weights = f"weights ({memory.weight_dtype})"
    activations = f"activations ({memory.activation_dtype})"
    rows = [
        Row([weights if dtypes is None else f"weights ({dtypes})", units.byte_count(memory.weight_bytes, exact)]),
        Row([f"{activations}: every layer's output", units.byte_count(memory.activation_bytes, exact)]),
        Row([f"peak activation memory, at {memory.peak_layer}", units.byte_count(memory.peak_bytes, exact)]),
    ]
    roofline = memory.roofline
    if roofline is not None:
        rows.append(Row([f"time on {roofline.device.name} ({roofline.dtype})", units.seconds(roofline.seconds)]))
    return Table([_left("memory"), _right("")], rows)


def _time_kind_table(result: NetworkCost, memory: NetworkMemory) -> Table | None:
    """Per kind, the share of the mults beside the share of the time: where memory-bound layers cost more."""
    from ..network import KIND_TITLES

    roofline = memory.roofline
    if roofline is None or not roofline.seconds:
        return None
    rows = []
    for kind, cost in result.by_kind.items():
        seconds = roofline.by_kind.get(kind)
        if seconds is None or (not seconds and not cost.mults):
            continue
        share = seconds / roofline.seconds
        rows.append(
            Row(
                [
                    KIND_TITLES[kind],
                    units.percent(cost.mults, result.total.mults),
                    units.seconds(seconds),
                    units.percent(share.numerator, share.denominator),
                ]
            )
        )
    columns = [_left("kind"), _right("mults share"), _right("time"), _right("time share")]
    return Table(columns, rows)


def _summary_table(result: NetworkCost, exact: bool, memory: NetworkMemory | None = None) -> Table:
    roofline = memory.roofline if memory is not None else None

    def row(label: str, cost: Cost, seconds: Fraction | None = None) -> Row:
        cells: list[CellValue] = [label, units.count(cost.params, exact), units.count(cost.mults, exact)]
        return Row(cells + ([units.seconds(seconds) if seconds is not None else ""] if roofline else []))

    blank = [""] if roofline else []
    batchnorm = []
    if result.bn_params:
        batchnorm = [
            Row(["  of which batch-norm", units.count(result.bn_params, exact), "", *blank]),
            Row(["  without batch-norm", units.count(result.total.params - result.bn_params, exact), "", *blank]),
            Row(["  + running statistics", units.count(result.bn_params, exact), "(non-trainable)", *blank]),
        ]
    saved = savings_vs_standard(result.total, result.standard)
    potential = separable_potential(result.standard, result.separable)
    other = [Row(["other operations", "", units.count(result.other_ops, exact), *blank])] if result.other_ops else []
    training = [row("training, with train-only layers", result.training)] if result.training is not None else []
    times: list[CellValue] = ["", ""]
    if roofline is not None:
        std = roofline.standard_seconds
        times = [
            _percent(Fraction(1) - roofline.seconds / std),
            _percent(Fraction(1) - roofline.separable_seconds / std),
        ]
        times = times if std else ["—", "—"]
    rows = [
        row(
            "this network, at inference" if training else "this network",
            result.total,
            roofline.seconds if roofline else None,
        ),
        *batchnorm,
        *other,
        *training,
        row("as standard", result.standard, roofline.standard_seconds if roofline else None),
        row("as separable", result.separable, roofline.separable_seconds if roofline else None),
        Row([SAVES_VS_STANDARD, _percent(saved.params), _percent(saved.mults), *times[: len(blank)]], total=True),
        Row(
            [SEPARABLE_POTENTIAL, _percent(potential.params), _percent(potential.mults), *times[1:][: len(blank)]],
            total=True,
        ),
    ]
    columns = [_left(""), _right("params"), _right("mults")]
    columns += [_right(f"time on {roofline.device.name}")] if roofline else []
    return Table(columns, rows, rules_before=(len(rows) - 2,))


def _kind_table(result: NetworkCost, exact: bool) -> Table:
    from ..network import KIND_TITLES

    rows = []
    for kind, cost in result.by_kind.items():
        if cost.params == cost.mults == 0:
            continue
        rows.append(
            Row(
                [
                    KIND_TITLES[kind],
                    units.count(cost.params, exact),
                    units.percent(cost.params, result.total.params),
                    units.count(cost.mults, exact),
                    units.percent(cost.mults, result.total.mults),
                ]
            )
        )
    columns = [_left("kind"), _right("params"), _right("share", 1), _right("mults"), _right("share", 1)]
    return Table(columns, rows)


def network_title(result: NetworkCost) -> str:
    """``name · input 3×224×224 → output 1000×1×1 · 28 layers``."""
    batch = f" · batch {result.batch}" if result.batch != 1 else ""
    count = len(result.layers)
    layers = f"{count} layer{'s' * (count != 1)}"
    return f"{result.network.name} · input {result.network.input} → output {result.output} · {layers}{batch}"


def _networks_table(results: Sequence[NetworkCost], exact: bool) -> Table:
    columns = [_left("network"), _right("params"), _right("mults"), _right("as standard", 2),
               _right("as separable", 1), _right(SAVES_VS_STANDARD, 4), _right(SEPARABLE_POTENTIAL, 3)]  # fmt: skip
    rows = []
    for r in results:
        saved = savings_vs_standard(r.total, r.standard).mults
        potential = separable_potential(r.standard, r.separable).mults
        rows.append(
            Row(
                [
                    r.network.name,
                    units.count(r.total.params, exact),
                    units.count(r.total.mults, exact),
                    units.count(r.standard.mults, exact),
                    units.count(r.separable.mults, exact),
                    _percent(saved),
                    _percent(potential),
                ]
            )
        )
    return Table(columns, rows)


def network_view(
    results: Sequence[NetworkCost],
    exact: bool = False,
    flops: bool = False,
    convention: Convention | None = None,
    settings: Settings | None = None,
    explain: bool = False,
) -> Document:
    """Per network: a heading, its title, the layer table (and a line on its separable pairs; ``explain``:
    which they are, and why a depthwise layer pairs with nothing), the what-if summary and the by-kind
    breakdown (with ``settings`` that show memory: the bytes and, with a device, the times); then,
    for several networks, a side-by-side summary."""
    from . import notes
    from .explain import pairs_explained, pairs_note

    blocks: list[Block] = []
    for result in results:
        memory = None
        if settings is not None and settings.show:
            memory = network_bytes(result, settings)
        blocks += [Text(result.network.name, "heading"), Text(network_title(result), "paragraph")]
        blocks += [Text(line, "paragraph") for line in notes.lines(result)]  # approximate, shared weights
        blocks.append(_layer_table(result, exact, flops, convention, memory))
        if explain:
            blocks.append(Text("\n".join(pairs_explained(result)), "code"))
        else:
            note = pairs_note(result)
            blocks += [Text(note, "paragraph")] if note else []
        blocks += [
            _summary_table(result, exact, memory),
            _kind_table(result, exact),
        ]
        if memory is not None:
            blocks.append(_memory_table(memory, exact))
            by_time = _time_kind_table(result, memory)
            blocks += [by_time] if by_time is not None else []
        if convention is not None and convention.tool == "torchinfo":
            from ..conventions import torchinfo_memory

            blocks.append(Text("\n".join(torchinfo_memory(result).lines()), "code"))
    if len(results) > 1:
        blocks += [Text("All networks", "heading"), _networks_table(results, exact)]
    return Document(blocks)


def network_grid(
    results: Sequence[NetworkCost],
    flops: bool = False,
    convention: Convention | None = None,
    settings: Settings | None = None,
) -> Grid:
    """One row per layer of every network, exact integers (with ``settings`` that show memory: bytes,
    and with a device, intensity, seconds and bound)."""
    show = settings is not None and settings.show
    device = settings is not None and settings.device is not None
    headers = ["network", "layer", "type", "input", "output", "params", "mults"]
    headers += ["flops"] if flops else []
    headers += ["standard_params", "standard_mults", "separable_params", "separable_mults", "non_trainable_params"]
    paired = any(r.pairing.pairs for r in results)  # columns only where some layers pair
    headers += ["pair", "pair_role"] if paired else []
    headers += ["as_tool", "as_params", "as_ops", "as_unit"] if convention else []
    train_only = any(r.training is not None for r in results)  # a column only where some layer is train-only
    headers += ["train_only"] if train_only else []
    headers += ["weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes"] if show else []
    headers += ["intensity", "seconds", "bound", "standard_seconds", "separable_seconds"] if device else []
    from .notes import approximate

    marked = any(approximate(r) for r in results)  # a column only where a network is approximate
    headers += ["approximate"] if marked else []
    rows: list[list[object]] = []
    for result in results:
        layer_reports = network_reports(result, convention)[0]
        memory = network_bytes(result, settings) if show else None
        for index, layer in enumerate(result.layers):
            row: list[object] = [result.network.name, layer.name, layer.type, ascii_shape(layer.input),
                                 ascii_shape(layer.output)]  # fmt: skip
            row += [layer.cost.params, layer.cost.mults] + ([layer.cost.flops] if flops else [])
            row += [layer.standard.params, layer.standard.mults, layer.separable.params, layer.separable.mults]
            row += [layer.bn_params]
            row += [layer.pair, layer.pair_role] if paired else []
            if layer_reports:
                r = layer_reports[index]
                row += [r.tool, r.params, "" if r.ops is None else r.ops, r.unit]
            row += [str(layer.train_only).lower()] if train_only else []
            if memory is not None:
                m = memory.layers[index]
                row += [m.weight_bytes, m.input_bytes, m.output_bytes, m.intermediate_bytes, m.live_bytes]
                if memory.roofline is not None:
                    t = memory.roofline.layers[index]
                    row += [_float(t.intensity), _float(t.seconds), t.bound, _float(t.standard_seconds),
                            _float(t.separable_seconds)]  # fmt: skip
            row += [str(approximate(result)).lower()] if marked else []
            rows.append(row)
    return Grid(headers, rows)


def _float(value: Fraction) -> str:
    """A fraction for CSV: ``repr`` of its float (the shortest text that reads back as it)."""
    return repr(units.to_float(value))


# ---------------------------------------------------------------- sweep


def sweep_view(variants: Sequence[Variant], exact: bool = False) -> Document:
    """One row per variant: width, resolution, params, mults, all-standard mults, savings vs standard;
    with memory, the weights' bytes and the peak activation memory; with a device, the time."""
    columns = [_left("network"), _right("width"), _right("resolution"), _right("params"), _right("mults"),
               _right("as standard", 1), _right(SAVES_VS_STANDARD, 2)]  # fmt: skip
    memory = any(v.memory is not None for v in variants)
    device = any(v.memory is not None and v.memory.roofline is not None for v in variants)
    columns += [_right("weights", 3), _right("peak memory", 3)] if memory else []
    columns += [_right("time", 3), _right("time as standard", 1)] if device else []
    rows = []
    for v in variants:
        row: list[CellValue] = [
            v.network,
            width_text(v.width),
            str(v.resolution),
            units.count(v.total.params, exact),
            units.count(v.total.mults, exact),
            units.count(v.standard.mults, exact),
            _percent(v.savings_vs_standard),
        ]
        if v.memory is not None:
            row += [units.byte_count(v.memory.weight_bytes, exact), units.byte_count(v.memory.peak_bytes, exact)]
            if v.memory.roofline is not None:
                row += [units.seconds(v.memory.roofline.seconds), units.seconds(v.memory.roofline.standard_seconds)]
        rows.append(Row(row))
    return Document([Table(columns, rows)])


def sweep_grid(variants: Sequence[Variant]) -> Grid:
    headers = ["network", "width", "resolution", "params", "mults", "standard_params", "standard_mults",
               "savings_vs_standard"]  # fmt: skip
    memory = any(v.memory is not None for v in variants)
    device = any(v.memory is not None and v.memory.roofline is not None for v in variants)
    headers += ["weight_bytes", "peak_bytes"] if memory else []
    headers += ["seconds", "standard_seconds", "separable_seconds"] if device else []
    rows: list[list[object]] = []
    for v in variants:
        row: list[object] = [v.network, width_text(v.width), v.resolution, v.total.params, v.total.mults,
                             v.standard.params, v.standard.mults, _six(v.savings_vs_standard)]  # fmt: skip
        if v.memory is not None:
            row += [v.memory.weight_bytes, v.memory.peak_bytes]
            r = v.memory.roofline
            if r is not None:
                row += [_float(r.seconds), _float(r.standard_seconds), _float(r.separable_seconds)]
        rows.append(row)
    return Grid(headers, rows)


# ---------------------------------------------------------------- conventions


def conventions_view(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]], exact: bool = True) -> Document:
    """Per subject, a row per tool: params, ops, unit, and what makes it differ from dsc-cost."""
    columns = [_left("tool"), _right("params"), _right("ops"), _left("unit", wrap=False),
               _left("differs from dsc-cost by")]  # fmt: skip
    blocks: list[Block] = []
    for subject, rows in subjects:
        table = [Row(["dsc-cost", units.count(subject.params, exact), units.count(subject.mults, exact), "MACs", "—"])]
        for row in rows:
            reasons = "; ".join(row.differences) or "the same"
            if row.reported.ops is None:
                ops, unit = "—", "—"
            else:
                ops, unit = units.count(row.reported.ops, exact), row.reported.unit
            table.append(Row([row.convention.title, units.count(row.reported.params, exact), ops, unit, reasons]))
        title = subject.name + (f" · batch {subject.batch}" if subject.batch != 1 else "")
        blocks += [Text(title, "title"), Table(columns, table)]
    return Document(blocks)


def conventions_grid(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]]) -> Grid:
    headers = ["subject", "tool", "params", "ops", "unit", "differences"]
    table: list[list[object]] = []
    for subject, rows in subjects:
        table.append([subject.name, "dsc-cost", subject.params, subject.mults, "MACs", ""])
        for row in rows:
            ops = "" if row.reported.ops is None else row.reported.ops
            table.append([subject.name, row.convention.tool, row.reported.params, ops, row.reported.unit,
                          "; ".join(row.differences)])  # fmt: skip
    return Grid(headers, table)


# ---------------------------------------------------------------- devices

_DTYPES = ("fp32", "fp16", "bf16", "int8")


def _rate(value: int | None, unit: str) -> str:
    return "—" if value is None else f"{units.short(value)}{unit}"


def devices_view(devices: Sequence[Device]) -> Document:
    """A row per device: kind, peak MACs/s per dtype, bandwidth, ridge at fp32 (or its first dtype), and
    under the table each device's source."""
    columns = [_left("device"), _left("kind", 3, False)]
    columns += [_right(f"{dtype} MACs/s", 5) for dtype in _DTYPES]
    columns += [_right("bandwidth"), _right("ridge", 4), _left("title", 1)]
    rows = []
    for device in devices:
        peaks = dict(device.peak)
        first = peaks.get("fp32", device.peak[0][1] if device.peak else 0)
        ridge = units.ratio(Fraction(first, device.bandwidth)) + " MACs/B" if device.bandwidth else "—"
        rows.append(
            Row(
                [
                    device.name,
                    device.kind,
                    *(_rate(peaks.get(d), "") for d in _DTYPES),
                    _rate(device.bandwidth, "B/s"),
                    ridge,
                    device.title,
                ]
            )
        )
    sources = "\n".join(f"{device.name}: {device.source}" for device in devices if device.source)
    blocks: list[Block] = [Table(columns, rows)]
    if sources:
        note = "Sources (each profile's note, in --format json, says how its numbers were derived):"
        blocks += [Text(note, "paragraph"), Text(sources, "code")]
    return Document(blocks)


def devices_grid(devices: Sequence[Device]) -> Grid:
    headers = ["device", "kind", *(f"{d}_macs_per_second" for d in _DTYPES), "bandwidth_bytes_per_second", "title",
               "source"]  # fmt: skip
    rows: list[list[object]] = []
    for device in devices:
        peaks = dict(device.peak)
        rows.append([device.name, device.kind, *(peaks.get(d, "") for d in _DTYPES), device.bandwidth, device.title,
                     device.source])  # fmt: skip
    return Grid(headers, rows)
