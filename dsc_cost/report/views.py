"""What each command shows, as format-neutral :class:`~dsc_cost.report.model.Document` values
(for the terminal and Markdown) and :class:`~dsc_cost.report.model.Grid` values (for CSV).

Table and Markdown show short units (``10.75M``) unless asked for exact digits; CSV carries exact
integers. Nothing here knows how a document is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from .. import units
from ..analysis import NetworkReport, analyses, compare_memory, compare_reports
from ..comparison import Comparison, Conv
from ..formulas import Cost, Shape
from ..savings import savings_vs_standard, separable_potential
from .columns import (
    Context,
    LayerColumn,
    LayerRow,
    Need,
    ascii_shape,
    cell_writer,
    columns_of,
    csv_value,
    getter,
    pick,
)
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
    if times and times["standard"] and settings is not None and settings.device is not None:
        if settings.device.calibration is not None:
            phrase = speed_phrase(c.mults_ratio, times["separable"] / times["standard"])
            blocks.append(Text(f"separable vs standard on {settings.device.name}: {phrase}", "paragraph"))
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


def _needs(flops: bool, convention: Convention | None, memory: NetworkMemory | None) -> list[Need]:
    """The needs of :mod:`.columns` that the options meet: what a table shows unasked."""
    present: list[Need] = ["flops"] if flops else []
    present += ["as"] if convention is not None else []
    present += ["memory"] if memory is not None else []
    present += ["device"] if memory is not None and memory.roofline is not None else []
    return present


def _writer(column: LayerColumn, context: Context, exact: bool) -> Callable[[Any, LayerRow], CellValue]:
    """How the table writes a value of ``column`` in a row: its special cell, or as its unit writes it."""
    special, write = column.cell, cell_writer(column)
    if special is not None:
        return lambda value, row: special(value, row, context, exact)
    return lambda value, row: write(value, exact)


def _layer_table(analysis: NetworkReport, exact: bool, memory: bool, columns: Sequence[LayerColumn]) -> Table:
    """A row per layer, then the totals: the ``columns`` (with ``memory``: bytes and, with a device, times)."""
    result = analysis.cost
    largest = max((layer.cost.mults for layer in result.layers), default=0)
    totals = analysis.totals(memory)
    peak = analysis.memory.peak_bytes if memory else None
    context = Context(result.total.mults, largest, peak, totals, analysis.convention)
    # A row's cells are written once for every row with the same values and what else they read (a block's layers
    # repeat them), but for its plain text (names), written as it is; and a cell once for each value and reads.
    plain = [i for i, c in enumerate(columns) if c.unit == "text" and c.cell is None]
    rest = [c for c in columns if c.unit != "text" or c.cell is not None]
    get_plain, get_rest = getter([columns[i] for i in plain]), getter(rest)
    reads = sorted({path for c in rest for path in c.reads})
    get_reads = attrgetter(*reads) if reads else (lambda row: ())
    writers: list[tuple[Callable[[Any, LayerRow], CellValue], Callable[[LayerRow], Any] | None, dict[Any, CellValue]]]
    writers = [(_writer(c, context, exact), attrgetter(*c.reads) if c.reads else None, {}) for c in rest]
    at = [i for i in range(len(columns)) if i not in plain]
    known: dict[tuple[object, object], list[CellValue]] = {}
    blank: list[CellValue] = [""] * len(columns)
    rows = []
    for row in analysis.layers(memory):
        values = get_rest(row)
        key = (values, get_reads(row))
        cells = known.get(key)
        if cells is None:
            cells = known[key] = blank.copy()
            for index, value, (write, read, memo) in zip(at, values, writers, strict=True):
                cell_key = value if read is None else (value, read(row))
                cell = memo.get(cell_key)
                if cell is None:
                    cell = memo[cell_key] = write(value, row)
                cells[index] = cell
        if plain:
            cells = cells.copy()
            for index, value in zip(plain, get_plain(row), strict=True):
                cells[index] = value
        rows.append(Row(cells))
    get = getter(columns)
    total: list[CellValue] = []
    for column, value in zip(columns, get(totals), strict=True):
        total.append(_writer(column, context, exact)(value, totals) if column.total else "")
    rows.append(Row(total, total=True))
    titles = [Column(c.title(context), c.alignment, c.priority, c.wrap, c.short) for c in columns]
    return Table(titles, rows, rules_before=(len(rows) - 1,), picker="--columns")


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


def _time_what_if(result: NetworkCost, memory: NetworkMemory | None) -> str | None:
    """On a calibrated device, the all-separable what-if in mults and in time, as a user says it."""
    roofline = memory.roofline if memory is not None else None
    if roofline is None or roofline.device.calibration is None or not roofline.standard_seconds:
        return None
    mults = Fraction(result.separable.mults, result.standard.mults) if result.standard.mults else Fraction(1)
    phrase = speed_phrase(mults, roofline.separable_seconds / roofline.standard_seconds)
    return f"as separable vs as standard on {roofline.device.name}: {phrase}"


def speed_phrase(mults: Fraction, seconds: Fraction) -> str:
    """The what-if in mults and in time, as a user says it: ``8.41× fewer mults, 2.1× faster``.

    >>> speed_phrase(Fraction(1, 8), Fraction(1, 2)), speed_phrase(Fraction(1, 8), Fraction(3, 2))
    ('8.00× fewer mults, 2× faster', '8.00× fewer mults, 1.5× slower')
    """
    fewer = f"{units.fewer(mults)} mults" if mults != 1 else "as many mults"
    if not seconds or seconds == 1:
        return f"{fewer}, as fast" if seconds else fewer
    speed = f"{float(1 / seconds):.3g}× faster" if seconds < 1 else f"{float(seconds):.3g}× slower"
    return f"{fewer}, {speed}"


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
    results: Sequence[NetworkCost | NetworkReport],
    exact: bool = False,
    flops: bool = False,
    convention: Convention | None = None,
    settings: Settings | None = None,
    explain: bool = False,
    columns: Sequence[str] | None = None,
) -> Document:
    """Per network: a heading, its title, the layer table (and a line on its separable pairs; ``explain``:
    which they are, and why a depthwise layer pairs with nothing), the what-if summary and the by-kind
    breakdown (with ``settings`` that show memory: the bytes and, with a device, the times); then,
    for several networks, a side-by-side summary. ``columns``: the layer table's, by name (:mod:`.columns`)."""
    from . import notes
    from .explain import defaults_explained, pairs_explained, pairs_note

    picked = pick(columns) if columns is not None else None
    blocks: list[Block] = []
    analyzed = analyses(results, settings, convention)
    for analysis in analyzed:
        result = analysis.cost
        memory = analysis.memory if analysis.shows_memory else None
        shown = picked if picked is not None else columns_of("table", _needs(flops, analysis.convention, memory))
        # the bytes (and times) are shown with --memory, or asked for by name without it
        figures = memory is not None or any(c.needs in ("memory", "device") for c in shown)
        blocks += [Text(result.network.name, "heading"), Text(network_title(result), "paragraph")]
        blocks += [Text(line, "paragraph") for line in notes.lines(result)]  # approximate, shared weights
        blocks.append(_layer_table(analysis, exact, figures, shown))
        if explain:
            blocks.append(Text("\n".join(pairs_explained(result) + defaults_explained(result)), "code"))
        else:
            note = pairs_note(result)
            blocks += [Text(note, "paragraph")] if note else []
        blocks.append(_summary_table(result, exact, memory))
        in_time = _time_what_if(result, memory)
        blocks += [Text(in_time, "paragraph")] if in_time else []
        blocks.append(_kind_table(result, exact))
        if memory is not None:
            blocks.append(_memory_table(memory, exact))
            by_time = _time_kind_table(result, memory)
            blocks += [by_time] if by_time is not None else []
        if analysis.convention is not None and analysis.convention.tool == "torchinfo":
            blocks.append(Text("\n".join(analysis.torchinfo_memory.lines()), "code"))
    if len(results) > 1:
        blocks += [Text("All networks", "heading"), _networks_table([a.cost for a in analyzed], exact)]
    return Document(blocks)


def network_grid(
    results: Sequence[NetworkCost | NetworkReport],
    flops: bool = False,
    convention: Convention | None = None,
    settings: Settings | None = None,
    columns: Sequence[str] | None = None,
) -> Grid:
    """One row per layer of every network, exact integers (with ``settings`` that show memory: bytes,
    and with a device, intensity, seconds and bound); ``columns``: those, by name (:mod:`.columns`)."""
    analyzed = analyses(results, settings, convention)
    costs = [analysis.cost for analysis in analyzed]
    show = settings is not None and settings.show
    if columns is not None:
        shown = pick(columns)
    else:
        present: list[Need] = ["flops"] if flops else []
        present += ["pairs"] if any(r.pairing.pairs for r in costs) else []  # only where some layers pair
        present += ["as"] if convention else []
        present += ["train_only"] if any(r.training is not None for r in costs) else []
        present += ["memory"] if show else []
        present += ["device"] if settings is not None and settings.device is not None else []
        present += ["approximate"] if any(analysis.approximate for analysis in analyzed) else []
        shown = columns_of("csv", present)
    bytes_needed = show or any(c.needs in ("memory", "device") for c in shown)
    get = getter(shown)
    shapes: dict[object, object] = {}
    converted: list[
        tuple[int, LayerColumn, dict[object, object] | None]
    ] = []  # the columns whose values CSV writes otherwise than Python holds them
    for index, column in enumerate(shown):
        if column.raw is not None:
            converted.append((index, column, None))
        elif column.unit == "shape":
            converted.append((index, column, shapes))
        elif column.unit in ("seconds", "intensity", "flag") or column.path.startswith("reported."):
            converted.append((index, column, None))
    rows: list[list[object]] = []
    for analysis in analyzed:
        result = analysis.cost
        context = Context(result.total.mults)
        for row in analysis.layers(bytes_needed):
            values = list(get(row))
            for index, column, memo in converted:
                value = values[index]
                if column.raw is not None:
                    values[index] = column.raw(value, row, context)
                elif memo is not None:
                    text = memo.get(value)
                    values[index] = text if text is not None else memo.setdefault(value, csv_value(value, "shape"))
                else:
                    values[index] = csv_value(value, column.unit)
            rows.append(values)
    return Grid([column.name for column in shown], rows)


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
