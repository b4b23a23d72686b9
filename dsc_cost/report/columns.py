"""The per-layer columns of ``dsc-cost network``, each declared once: its name (the CSV header, the word of
``--columns``), its header in a table, its unit, what it says, where its value is read from a layer's row
(:class:`LayerRow`), where it sits in a layer's JSON, when it applies, and how soon a narrow table gives it up.

Every format takes its per-layer columns from here: the table and Markdown (:mod:`.views`), CSV (:mod:`.views`),
the JSON lines of each layer (:mod:`.documents`) and the report's table (:mod:`.html`, which embeds
:func:`report_columns` for its script). :data:`LAYOUTS` says which columns each format shows unless
``--columns`` picks others, and in what order. Light on purpose: nothing of rich, csv or json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .. import units
from ..analysis import LayerReport
from .model import Align, Cell, CellValue

if TYPE_CHECKING:
    from ..conventions import Convention
    from ..formulas import Shape

Unit = Literal["text", "shape", "count", "share", "bytes", "seconds", "intensity", "flag"]
"""How a value is written: ``count`` (params, mults: ``10.84M``, or exact), ``share`` (of the network's mults:
``5.15%``), ``bytes`` (``13.82 kB``), ``seconds`` (``12.35 µs``), ``intensity`` (mults per byte moved), ``shape``
(``3×224×224``), ``flag`` (true or false), ``text``."""

Need = Literal["", "flops", "pairs", "as", "train_only", "memory", "device", "approximate"]
"""When a column is shown without being asked for: always (``""``), with ``--flops``, where some layers make
separable pairs, with ``--as``, where some layer is train-only, with ``--memory`` (or a device), with ``--device``,
where some network is approximate (a model file's ops costed as nothing)."""

Format = Literal["table", "csv", "json", "report"]
"""Where a column may be shown: ``table`` is the terminal's table and Markdown's."""

ASKED: dict[Need, str] = {"as": "--as TOOL", "device": "--device"}
"""The needs that no column can do without, and the option that meets each: the others can always be worked out."""


LayerRow = LayerReport
"""One layer and the figures beside it (:class:`~dsc_cost.analysis.LayerReport`), which a column's
:attr:`LayerColumn.path` reads. The totals row of a table is a row of the same form, its layer the network's totals
(:meth:`~dsc_cost.analysis.NetworkReport.totals`)."""


class Context(NamedTuple):
    """What a cell may need beyond its row: the network's mults and largest layer (a share and its bar), the
    peak activation memory (its marker), the totals row (written as totals), the tool of ``--as`` (headers)."""

    total_mults: int = 0
    largest: int = 0
    peak_bytes: int | None = None
    totals: LayerRow | None = None
    convention: Convention | None = None


Special = Callable[[Any, LayerRow, Context, bool], CellValue]
"""A table cell written otherwise than its unit writes it: (value, row, context, exact) → cell."""


@dataclass(frozen=True)
class LayerColumn:
    """One per-layer column.

    ``path``: the attributes read from a :class:`LayerRow` (``layer.cost.mults``). ``json``: its keys in a layer's
    JSON object (``("standard", "mults")``; ``()``: not in JSON), and ``json_when_set``: the key is written only
    when the value is set (a pair's names, train-only). ``needs``: when it is shown unasked (:data:`Need`).
    ``priority``: how long a table too wide for its page keeps it: 0 never drops it, the lowest goes first
    (:class:`~dsc_cost.report.model.Column`). ``total``: the totals row shows the network's figure (else blank).
    ``cell`` and ``raw``: a table cell, a CSV value written otherwise than the unit writes them; ``reads``: what
    else of the row ``cell`` reads besides the value (paths like ``path``), so that a cell is written once for each
    value and these (a layer's totals row excepted). ``short``: its header abbreviated along with its cells, which a
    narrow table abbreviates before it drops a column (:class:`~dsc_cost.report.model.Column`).
    """

    name: str
    header: str
    unit: Unit
    description: str
    path: str
    json: tuple[str, ...] = ()
    json_when_set: bool = False
    needs: Need = ""
    priority: int = 0
    total: bool = False
    align: Align | None = None
    wrap: bool = False
    cell: Special | None = None
    reads: tuple[str, ...] = ()
    raw: Callable[[Any, LayerRow, Context], object] | None = None
    short: tuple[str, ...] = ()

    @property
    def alignment(self) -> Align:
        return self.align or ("left" if self.unit in ("text", "shape", "flag") else "right")

    @property
    def formats(self) -> tuple[Format, ...]:
        """The formats that show it unless ``--columns`` picks others (JSON: wherever it applies)."""
        return tuple(f for f, names in LAYOUTS.items() if self.name in names)

    def title(self, context: Context) -> str:
        """Its header in a table (``--as``'s columns name the tool and its unit)."""
        convention = context.convention
        if convention is None or "{" not in self.header:
            return self.header
        return self.header.format(tool=convention.tool, unit=convention.unit)


# ---------------------------------------------------------------- special cells


def ascii_shape(shape: Sequence[int]) -> str:
    """``3×7×7`` in ASCII for CSV: ``3x7x7`` (1-D: ``40x98``, 3-D: ``3x16x112x112``)."""
    return "x".join(units.integer(n) for n in shape)


def _shapes(shape: Shape, row: LayerRow, context: Context, exact: bool) -> CellValue:
    """``3×224×224 → 32×112×112``; a narrow table abbreviates it to ``3×224×224→32×112×112``, then to the
    output alone (its header :attr:`LayerColumn.short`)."""
    output = str(row.layer.output)
    return Cell(f"{shape} → {output}", short=(f"{shape}→{output}", output))


def _shapes_raw(shape: Shape, row: LayerRow, context: Context) -> object:
    return f"{ascii_shape(shape)} -> {ascii_shape(row.layer.output)}"


def _type(kind: str, row: LayerRow, context: Context, exact: bool) -> CellValue:
    return f"{kind} (train only)" if row.layer.train_only else kind


def _share(mults: int, row: LayerRow, context: Context, exact: bool) -> CellValue:
    """A layer's share of the mults, with a bar against the largest layer; no bar where the share shows as
    0.00% (a bar there would claim a share the number denies)."""
    if row is context.totals:
        return "100.00%"
    text = units.percent(mults, context.total_mults)
    return Cell(text, part=0 if text == "0.00%" else mults, largest=context.largest)


def _share_raw(mults: int, row: LayerRow, context: Context) -> object:
    return repr(mults / context.total_mults) if context.total_mults else "0.0"


def _as_standard(mults: int, row: LayerRow, context: Context, exact: bool) -> CellValue:
    """A separable pair's partner is absorbed into its depthwise layer as standard: ``in NAME``."""
    return f"in {row.layer.pair}" if row.layer.pair_role == "partner" else units.count(mults, exact)


def _live(live: int, row: LayerRow, context: Context, exact: bool) -> CellValue:
    text = units.byte_count(live, exact)
    return text + " ◀ peak" if live == context.peak_bytes and row is not context.totals else text


def _as_ops(ops: int | None, row: LayerRow, context: Context, exact: bool) -> CellValue:
    return "—" if ops is None else units.count(ops, exact)


# ---------------------------------------------------------------- the registry


def _column(*args: Any, **kwargs: Any) -> LayerColumn:
    return LayerColumn(*args, **kwargs)


COLUMNS: tuple[LayerColumn, ...] = (
    _column("network", "network", "text", "the network's name", "network", wrap=True),
    _column("layer", "layer", "text", "the layer's name", "layer.name", ("name",), total=True,
            wrap=True),
    _column("type", "type", "text", "its type (a table adds `(train only)` to a train-only layer's)", "layer.type",
            ("type",), priority=10, wrap=True, cell=_type, reads=("layer.train_only",)),
    _column("pair", "pair", "text", "in a separable pair: the other layer's name", "layer.pair", ("pair",),
            json_when_set=True, needs="pairs", priority=1),
    _column("pair_role", "pair role", "text", "in a separable pair: `depthwise`, or `partner` (absorbed into its "
            "depthwise layer as standard)", "layer.pair_role", ("pair_role",), json_when_set=True, needs="pairs",
            priority=1),
    _column("shape", "input → output", "shape", "its input and output shapes (a narrow table: `3×224×224→32×112×112`"
            ", then the output alone)", "layer.input", priority=11, total=True, wrap=True, cell=_shapes,
            reads=("layer.output",), raw=_shapes_raw, short=("input→output", "output")),
    _column("input", "input", "shape", "its input shape (of one sample)", "layer.input", ("input",), priority=11,
            total=True),
    _column("output", "output", "shape", "its output shape (of one sample)", "layer.output", ("output",),
            priority=11, total=True),
    _column("params", "params", "count", "its learnable parameters", "layer.cost.params", ("params",), total=True),
    _column("mults", "mults", "count", "its multiply-accumulates, for the batch", "layer.cost.mults", ("mults",),
            total=True),
    _column("flops", "FLOPs", "count", "2 × mults", "layer.cost.flops", ("flops",), needs="flops", priority=7,
            total=True),
    _column("share", "share", "share", "its part of the network's mults", "layer.cost.mults", priority=6,
            total=True, align="left", cell=_share, raw=_share_raw),
    _column("other_ops", "other ops", "count", "its other operations: element-wise work not in mults (pools, "
            "additions, activations, norms), for the batch", "layer.other_ops", ("other_ops",), priority=1,
            total=True),
    _column("trainable_params", "trainable params", "count", "its learnable parameters (params)",
            "layer.cost.params", ("trainable_params",), priority=1, total=True),
    _column("non_trainable_params", "non-trainable params", "count", "the running statistics of its batch-norm",
            "layer.bn_params", ("non_trainable_params",), priority=1, total=True),
    _column("standard_params", "params as standard", "count", "its params with every conv standard",
            "layer.standard.params", ("standard", "params"), priority=1, total=True),
    _column("standard_mults", "as standard", "count", "its mults with every conv standard (`in NAME` in a table: "
            "a pair's partner, absorbed into its depthwise layer)", "layer.standard.mults", ("standard", "mults"),
            priority=2, total=True, cell=_as_standard, reads=("layer.pair_role", "layer.pair")),
    _column("standard_flops", "FLOPs as standard", "count", "its FLOPs with every conv standard",
            "layer.standard.flops", ("standard", "flops"), needs="flops", priority=1, total=True),
    _column("separable_params", "params as separable", "count", "its params with every conv depthwise separable",
            "layer.separable.params", ("separable", "params"), priority=1, total=True),
    _column("separable_mults", "as separable", "count", "its mults with every conv depthwise separable",
            "layer.separable.mults", ("separable", "mults"), priority=1, total=True),
    _column("separable_flops", "FLOPs as separable", "count", "its FLOPs with every conv depthwise separable",
            "layer.separable.flops", ("separable", "flops"), needs="flops", priority=1, total=True),
    _column("as_tool", "tool", "text", "the tool of `--as`", "reported.tool", ("as", "tool"), needs="as",
            priority=8),
    _column("as_params", "{tool} params", "count", "the params that tool reports", "reported.params",
            ("as", "params"), needs="as", priority=8, total=True),
    _column("as_ops", "{tool} {unit}", "count", "the ops that tool reports, in its unit (none: blank, `—` in a "
            "table)", "reported.ops", ("as", "ops"), needs="as", priority=9, total=True, cell=_as_ops),
    _column("as_unit", "unit", "text", "that tool's unit of ops", "reported.unit", ("as", "unit"), needs="as",
            priority=8),
    _column("train_only", "train only", "flag", "whether it runs in training only (left out of the totals)",
            "layer.train_only", ("train_only",), json_when_set=True, needs="train_only", priority=1),
    _column("weight_bytes", "weights", "bytes", "its weights' bytes", "memory.weight_bytes",
            ("memory", "weight_bytes"), needs="memory", priority=8, total=True),
    _column("input_bytes", "input bytes", "bytes", "the bytes of everything it reads", "memory.input_bytes",
            ("memory", "input_bytes"), needs="memory", priority=5),
    _column("output_bytes", "output bytes", "bytes", "its output's bytes (totals: every layer's)",
            "memory.output_bytes", ("memory", "output_bytes"), needs="memory", priority=8, total=True),
    _column("intermediate_bytes", "intermediate bytes", "bytes", "a separable layer's depthwise output (0 for "
            "every other layer)", "memory.intermediate_bytes", ("memory", "intermediate_bytes"), needs="memory",
            priority=5),
    _column("live_bytes", "live", "bytes", "the activation bytes alive at its step (`◀ peak` in a table at the "
            "peak; totals: the peak)", "memory.live_bytes", ("memory", "live_bytes"), needs="memory", priority=8,
            total=True, cell=_live),
    _column("intensity", "intensity", "intensity", "mults per byte moved, on the device", "time.intensity",
            ("roofline", "intensity"), needs="device", priority=5),
    _column("seconds", "time", "seconds", "its estimated time on the device", "time.seconds",
            ("roofline", "seconds"), needs="device", priority=9, total=True),
    _column("bound", "bound", "text", "`compute` or `memory`: what bounds its time", "time.bound",
            ("roofline", "bound"), needs="device", priority=8),
    _column("standard_seconds", "time as standard", "seconds", "its time with every conv standard",
            "time.standard_seconds", ("roofline", "standard_seconds"), needs="device", priority=8, total=True),
    _column("separable_seconds", "time as separable", "seconds", "its time with every conv depthwise separable",
            "time.separable_seconds", ("roofline", "separable_seconds"), needs="device", priority=8, total=True),
    _column("approximate", "approximate", "flag", "whether its network's figures count only the ops understood "
            "(ops of a model file costed as nothing, `--allow-unknown`)", "approximate", needs="approximate",
            priority=1),
)  # fmt: skip
"""Every per-layer column, in the order of ``--help`` and the docs."""

BY_NAME: dict[str, LayerColumn] = {column.name: column for column in COLUMNS}

LAYOUTS: dict[Format, tuple[str, ...]] = {
    "table": ("layer", "type", "shape", "params", "mults", "flops", "share", "standard_mults", "separable_mults",
              "other_ops", "intensity", "seconds", "bound", "standard_seconds", "separable_seconds", "as_params",
              "as_ops", "weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes"),
    "csv": ("network", "layer", "type", "input", "output", "params", "mults", "flops", "other_ops",
            "standard_params", "standard_mults", "separable_params", "separable_mults", "non_trainable_params",
            "pair", "pair_role", "as_tool", "as_params", "as_ops", "as_unit", "train_only", "weight_bytes",
            "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes", "intensity", "seconds", "bound",
            "standard_seconds", "separable_seconds", "approximate"),
    "json": ("layer", "type", "pair", "pair_role", "input", "output", "params", "mults", "flops", "other_ops",
             "trainable_params", "non_trainable_params", "standard_params", "standard_mults", "standard_flops",
             "separable_params", "separable_mults", "separable_flops", "as_tool", "as_params", "as_ops", "as_unit",
             "train_only", "weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes",
             "intensity", "seconds", "bound", "standard_seconds", "separable_seconds"),
    "report": ("layer", "type", "shape", "params", "mults", "share", "standard_mults", "separable_mults",
               "other_ops", "weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes",
               "intensity", "seconds", "bound", "standard_seconds", "separable_seconds"),
}  # fmt: skip
"""The columns each format shows unless ``--columns`` picks others, in order, where they apply (:data:`Need`):
``table`` for the terminal and Markdown, ``csv``, ``json`` (every key of a layer's object, in order; JSON keeps
them all) and ``report`` (the table of ``dsc-cost report``)."""


def columns_of(fmt: Format, present: Iterable[Need]) -> list[LayerColumn]:
    """The columns ``fmt`` shows by default where the needs ``present`` are met."""
    met = {"", *present}
    return [BY_NAME[name] for name in LAYOUTS[fmt] if BY_NAME[name].needs in met]


def pick(names: Sequence[str]) -> list[LayerColumn]:
    """The columns named, in that order: a :class:`ValueError` for an unknown name, listing the known ones."""
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        listed = ", ".join(column.name for column in COLUMNS)
        raise ValueError(f"unknown column{'s' * (len(unknown) > 1)} {', '.join(unknown)}: expected some of {listed}")
    return [BY_NAME[name] for name in names]


def parse_names(text: str) -> list[str]:
    """``"layer, mults,params"`` → ``["layer", "mults", "params"]`` (blanks and empty names ignored)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def unmet(columns: Iterable[LayerColumn], present: Iterable[Need]) -> list[tuple[LayerColumn, str]]:
    """The columns asked for that need an option not given (:data:`ASKED`), each with that option."""
    met = set(present)
    return [(c, ASKED[c.needs]) for c in columns if c.needs in ASKED and c.needs not in met]


def getter(columns: Sequence[LayerColumn]) -> Callable[[LayerRow], tuple[Any, ...]]:
    """A function of a row that reads every column's value at once (a tuple, even of one)."""
    if not columns:
        return lambda row: ()
    get = attrgetter(*(column.path for column in columns))
    if len(columns) == 1:
        return lambda row: (get(row),)
    return get


# ---------------------------------------------------------------- writing values


def cell_writer(column: LayerColumn) -> Callable[[Any, bool], str]:
    """How a table writes a value of ``column``'s unit (exact digits or short)."""
    unit = column.unit
    if unit == "count":
        return units.count
    if unit == "bytes":
        return units.byte_count
    if unit == "seconds":
        return lambda value, exact: units.seconds(value)
    if unit == "intensity":
        return lambda value, exact: units.ratio(value)
    if unit == "flag":
        return lambda value, exact: str(value).lower()
    return lambda value, exact: str(value)


def csv_value(value: Any, unit: Unit) -> object:
    """A value as CSV writes it: exact integers, shapes in ASCII, fractions as the float that reads back as it."""
    if value is None:
        return ""
    if unit in ("seconds", "intensity"):
        return repr(units.to_float(value))
    if unit == "shape":
        return ascii_shape(value)
    if unit == "flag":
        return str(value).lower()
    return value


_FLOAT_WHAT = {"seconds": "a time", "intensity": "an intensity"}


def json_value(value: Any, unit: Unit) -> object:
    """A value as a layer's JSON object holds it: shapes as :func:`shape_json`, fractions as floats."""
    if unit == "shape":
        return shape_json(value)
    if unit in _FLOAT_WHAT:
        return units.to_float(value, _FLOAT_WHAT[unit])
    return value


def shape_json(shape: Sequence[int]) -> dict[str, int] | list[int]:
    """``{"channels", "height", "width"}`` of a 2-D map; a 1-D or 3-D map as the list its spec's ``input:``
    writes: ``[channels, length]``, ``[channels, depth, height, width]``."""
    if len(shape) != 3:
        return list(shape)
    return {"channels": shape[0], "height": shape[1], "width": shape[2]}


def report_columns(names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The columns of the report's layer table (:data:`LAYOUTS`' ``report``, or ``names``) for its script: each
    one's name, header, unit and keys in a layer's JSON (the page leaves out those its data lacks)."""
    columns = pick(names) if names is not None else [BY_NAME[name] for name in LAYOUTS["report"]]
    return [{"key": c.name, "title": c.header, "unit": c.unit, "path": list(c.json)} for c in columns]


def markdown_table() -> str:
    """Every column as a Markdown table (for the docs): name, header, unit, the formats that show it, its priority,
    what it is."""
    lines = ["| column | header | unit | shown in | priority | what it is |", "|---|---|---|---|---:|---|"]
    for c in COLUMNS:
        shown = ", ".join(c.formats) or "—"
        when = {"": "", "flops": " (`--flops`)", "pairs": " (where layers pair)", "as": " (`--as`)",
                "train_only": " (where a layer is train-only)", "device": " (`--device`)",
                "memory": " (`--memory`, `--device`; JSON, report: always)",
                "approximate": " (where a network is approximate)"}[c.needs]  # fmt: skip
        header = c.header.replace("{tool}", "TOOL").replace("{unit}", "UNIT")
        lines.append(f"| `{c.name}` | {header} | {c.unit} | {shown}{when} | {c.priority} | {c.description} |")
    return "\n".join(lines) + "\n"
