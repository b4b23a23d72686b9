"""Renderers: cost values in, strings out. Nothing here prints or reads files.

Formats: ``table`` (aligned plain text), ``markdown`` (GitHub-flavoured), ``json`` and
``csv``. JSON and CSV always carry exact integers; table and Markdown show short units
(``10.75M``) unless asked for exact digits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import units
from .formulas import Comparison, Conv, Cost, Shape, reduction_factor

if TYPE_CHECKING:
    from .conventions import Convention, Reported, Subject
    from .conventions import Row as ConventionRow

Row = Sequence[str]


# ---------------------------------------------------------------- generic tables


def text_table(headers: Row, rows: Sequence[Row], right: Sequence[bool], rules_before: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell, a rule under the header and before the rows
    whose index is in ``rules_before``; ``right[i]`` right-aligns column i."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]

    def line(cells: Row) -> str:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=False)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("─" * w for w in widths)
    out = [line(headers), rule]
    for index, row in enumerate(rows):
        if index in rules_before:
            out.append(rule)
        out.append(line(row))
    return "\n".join(out) + "\n"


def markdown_table(headers: Row, rows: Sequence[Row], right: Sequence[bool]) -> str:
    """A GitHub-flavoured Markdown table; ``|`` in cells is escaped."""

    def line(cells: Row) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    align = ["---:" if r else ":---" for r in right]
    return "\n".join([line(headers), "|" + "|".join(align) + "|", *(line(r) for r in rows)]) + "\n"


def csv_text(headers: Row, rows: Sequence[Sequence[object]]) -> str:
    """RFC 4180 CSV with ``\\n`` line ends."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


_INLINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def json_text(document: object, inline_depth: int = 4) -> str:
    """JSON for people and machines alike: keys in insertion order, non-ASCII kept, indented by
    two spaces, except that a list or mapping holding no other list or mapping, or nested
    ``inline_depth`` levels deep (one network layer), is written on one line.

    >>> print(json_text({"input": {"channels": 3}, "layers": [[1, 2]]}), end="")
    {
      "input": {"channels": 3},
      "layers": [
        [1, 2]
      ]
    }
    """
    out: list[str] = []
    _write_json(document, 0, inline_depth, out)
    return "".join(out) + "\n"


class RawJSON(str):
    """Text already encoded as one line of JSON; :func:`json_text` writes it as it is."""


def _write_json(value: object, depth: int, inline_depth: int, out: list[str]) -> None:
    if isinstance(value, RawJSON):
        out.append(value)
        return
    if isinstance(value, dict):
        items: list[tuple[str | None, object]] = list(value.items())
        opening, closing = "{", "}"
    elif isinstance(value, list):
        items = [(None, item) for item in value]
        opening, closing = "[", "]"
    else:
        out.append(_INLINE.encode(value))
        return
    if not items or depth >= inline_depth or not any(isinstance(v, dict | list | RawJSON) for _, v in items):
        out.append(_INLINE.encode(value))
        return
    pad = "  " * (depth + 1)
    out.append(opening + "\n")
    for index, (key, item) in enumerate(items):
        out.append(pad if key is None else f"{pad}{_INLINE.encode(key)}: ")
        _write_json(item, depth + 1, inline_depth, out)
        out.append(",\n" if index < len(items) - 1 else "\n")
    out.append("  " * depth + closing)


# ---------------------------------------------------------------- pieces


def pair_text(value: tuple[int, int] | str) -> str:
    """``(3, 3)`` → ``3``; ``(3, 5)`` → ``3×5``; ``same`` stays ``same``."""
    if isinstance(value, str):
        return value
    return str(value[0]) if value[0] == value[1] else f"{value[0]}×{value[1]}"


def shape_json(shape: Shape) -> dict[str, int]:
    return {"channels": shape.channels, "height": shape.height, "width": shape.width}


def cost_json(cost: Cost, flops: bool) -> dict[str, int]:
    document = {"params": cost.params, "mults": cost.mults}
    if flops:
        document["flops"] = cost.flops
    return document


def conv_json(conv: Conv) -> dict[str, Any]:
    def json_pair(value: tuple[int, int] | str) -> list[int] | str:
        return value if isinstance(value, str) else list(value)

    return {
        "in_channels": conv.in_channels,
        "out_channels": conv.out_channels,
        "kernel": json_pair(conv.kernel),
        "stride": json_pair(conv.stride),
        "padding": json_pair(conv.padding),
        "dilation": json_pair(conv.dilation),
        "groups": conv.groups,
        "multiplier": conv.multiplier,
        "bias": conv.bias,
    }


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


# ---------------------------------------------------------------- compare


def as_headers(convention: Convention | None) -> list[str]:
    """The two column titles of ``--as TOOL``: its params and its op count."""
    if convention is None:
        return []
    return [f"{convention.tool} params", f"{convention.tool} {convention.unit}"]


def as_cells(reported: Reported | None, exact: bool) -> list[str]:
    if reported is None:
        return []
    ops = "—" if reported.ops is None else units.count(reported.ops, exact)
    return [units.count(reported.params, exact), ops]


def as_json(reported: Reported) -> dict[str, Any]:
    """``{"tool", "params", "ops", "unit"}``: what the tool of ``--as`` reports."""
    return {"tool": reported.tool, "params": reported.params, "ops": reported.ops, "unit": reported.unit}


def _compare_reports(c: Comparison, convention: Convention | None) -> dict[str, Reported]:
    if convention is None:
        return {}
    from .conventions import compare_reports

    return compare_reports(c, convention)


def _compare_rows(
    c: Comparison, exact: bool, flops: bool, convention: Convention | None = None
) -> tuple[list[str], list[list[str]]]:
    kernel = pair_text(c.conv.kernel)
    kernel = f"{kernel}×{kernel}" if "×" not in kernel else kernel
    headers = ["", "params", "mults"] + (["FLOPs"] if flops else []) + as_headers(convention)
    reports = _compare_reports(c, convention)

    def cells(label: str, part: str, cost: Cost) -> list[str]:
        row = [label, units.count(cost.params, exact), units.count(cost.mults, exact)]
        return row + ([units.count(cost.flops, exact)] if flops else []) + as_cells(reports.get(part), exact)

    ratios = [c.params_ratio, c.mults_ratio] + ([c.mults_ratio] if flops else [])
    blank = [""] * len(as_headers(convention))
    ratio_rows = [
        ["separable / standard", *(units.ratio(r) for r in ratios), *blank],
        ["", *(units.fewer(r) for r in ratios), *blank],
    ]
    standard_label = f"standard {kernel} conv" + (f" (groups {c.conv.groups})" if c.conv.groups != 1 else "")
    rows = [
        cells(standard_label, "standard", c.standard),
        cells(f"  depthwise {kernel}", "depthwise", c.depthwise),
        cells("  pointwise 1×1", "pointwise", c.pointwise),
        cells("separable total", "separable", c.separable),
        *ratio_rows,
    ]
    return headers, rows


def _compare_title(c: Comparison) -> str:
    batch = f" · batch {c.batch}" if c.batch != 1 else ""
    return f"input {c.input} → output {c.output} · {describe_conv(c.conv)}{batch}"


def compare_table(c: Comparison, exact: bool = False, flops: bool = False, convention: Convention | None = None) -> str:
    """The side-by-side table of ``dsc-cost compare``."""
    headers, rows = _compare_rows(c, exact, flops, convention)
    right = [False] + [True] * (len(headers) - 1)
    return _compare_title(c) + "\n\n" + text_table(headers, rows, right, rules_before=(3, 4))


def compare_markdown(
    c: Comparison, exact: bool = False, flops: bool = False, convention: Convention | None = None
) -> str:
    """The same table as GitHub-flavoured Markdown, title in bold above it."""
    headers, rows = _compare_rows(c, exact, flops, convention)
    rows = [[row[0].strip(), *row[1:]] for row in rows]
    right = [False] + [True] * (len(headers) - 1)
    return f"**{_compare_title(c)}**\n\n" + markdown_table(headers, rows, right)


def compare_document(c: Comparison, flops: bool = False, convention: Convention | None = None) -> dict[str, Any]:
    """The JSON document of ``dsc-cost compare --format json`` as a dict; with a convention, every
    cost gains ``"as"``: what that tool reports for it."""
    kh, kw = c.conv.kernel
    reports = _compare_reports(c, convention)

    def cost(part: str, value: Cost) -> dict[str, Any]:
        document: dict[str, Any] = cost_json(value, flops)
        if part in reports:
            document["as"] = as_json(reports[part])
        return document

    return {
        "input": shape_json(c.input),
        "output": shape_json(c.output),
        "batch": c.batch,
        "conv": conv_json(c.conv),
        "standard": cost("standard", c.standard),
        "separable": {
            **cost("separable", c.separable),
            "depthwise": cost("depthwise", c.depthwise),
            "pointwise": cost("pointwise", c.pointwise),
        },
        "ratio": {"params": float(c.params_ratio), "mults": float(c.mults_ratio)},
        "fewer": {"params": float(1 / c.params_ratio), "mults": float(1 / c.mults_ratio)},
        "per_position": {
            "standard": kh * kw * c.conv.out_channels // c.conv.groups,
            "separable": c.conv.multiplier * (kh * kw + c.conv.out_channels),
        },
    }


def compare_json(
    c: Comparison, flops: bool = False, explain: str | None = None, convention: Convention | None = None
) -> str:
    document = compare_document(c, flops, convention)
    if explain is not None:
        document["explain"] = explain.splitlines()
    return json_text(document)


def compare_csv(c: Comparison, flops: bool = False, convention: Convention | None = None) -> str:
    """One row per part: standard, depthwise, pointwise, separable."""
    headers = ["part", "input", "output", "params", "mults"] + (["flops"] if flops else [])
    headers += ["as_tool", "as_params", "as_ops", "as_unit"] if convention else []
    reports = _compare_reports(c, convention)
    parts = [
        ("standard", c.standard),
        ("depthwise", c.depthwise),
        ("pointwise", c.pointwise),
        ("separable", c.separable),
    ]
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
        rows.append(row)
    return csv_text(headers, rows)


def ascii_shape(shape: Shape) -> str:
    """``3×7×7`` in ASCII for CSV: ``3x7x7``."""
    return f"{shape.channels}x{shape.height}x{shape.width}"


# ---------------------------------------------------------------- explain


def _product(symbols: list[str], values: list[int]) -> tuple[str, str, int]:
    result = 1
    for v in values:
        result *= v
    return " × ".join(symbols), " × ".join(str(v) for v in values), result


def explain(c: Comparison) -> str:
    """The derivation of every number of :func:`compare_table`, numbers substituted."""
    conv = c.conv
    C, O, M, g, N = conv.in_channels, conv.out_channels, conv.multiplier, conv.groups, c.batch
    (kh, kw), (ho, wo) = conv.kernel, (c.output.height, c.output.width)
    lines = ["output size:"]
    axes: tuple[tuple[str, int, int, int, int, int, int | str], ...] = (
        (
            "Ho",
            c.input.height,
            ho,
            kh,
            conv.stride[0],
            conv.dilation[0],
            conv.padding if isinstance(conv.padding, str) else conv.padding[0],
        ),
        (
            "Wo",
            c.input.width,
            wo,
            kw,
            conv.stride[1],
            conv.dilation[1],
            conv.padding if isinstance(conv.padding, str) else conv.padding[1],
        ),
    )
    if axes[0][1:] == axes[1][1:]:
        axes = (("Ho = Wo", *axes[0][1:]),)
    for axis, size, out, k, s, d, p in axes:
        if p == "same":
            lines.append(f"  {axis} = ceil(in / s) = ceil({size} / {s}) = {out}   (padding same)")
        else:
            pad = 0 if p == "valid" else p
            lines.append(
                f"  {axis} = floor((in + 2p − d(K − 1) − 1) / s) + 1 = "
                f"floor(({size} + 2×{pad} − {d}×({k} − 1) − 1) / {s}) + 1 = {out}"
            )

    def factors(*names: str) -> tuple[list[str], list[int]]:
        table = {"O": O, "C": C, "C/g": C // g, "M": M, "Kh": kh, "Kw": kw, "Ho": ho, "Wo": wo, "N": N}
        keep = [n for n in names if not ((n == "M" and M == 1) or (n == "N" and N == 1))]
        return keep, [table[n] for n in keep]

    def line(label: str, names: tuple[str, ...], bias: int = 0, bias_symbol: str = "") -> str:
        symbols, values = factors(*names)
        sym, val, result = _product(symbols, values)
        if bias:
            return f"  {label:<9} = {sym} + {bias_symbol} = {val} + {bias} = {units.exact(result + bias)}"
        return f"  {label:<9} = {sym} = {val} = {units.exact(result)}"

    std_c = "C/g" if g != 1 else "C"
    lines.append("mults (one multiply-accumulate per weight per output position):")
    lines.append(line("standard", ("O", std_c, "Kh", "Kw", "Ho", "Wo", "N")))
    lines.append(line("depthwise", ("C", "M", "Kh", "Kw", "Ho", "Wo", "N")))
    lines.append(line("pointwise", ("C", "M", "O", "Ho", "Wo", "N")))
    lines.append(
        f"  separable = depthwise + pointwise = {units.exact(c.depthwise.mults)} + "
        f"{units.exact(c.pointwise.mults)} = {units.exact(c.separable.mults)}"
    )
    lines.append("params:")
    has_bias = bool(conv.bias)
    lines.append(line("standard", ("O", std_c, "Kh", "Kw"), O if has_bias else 0, "O"))
    lines.append(
        line("depthwise", ("C", "M", "Kh", "Kw"), C * M if conv.bias == "both" else 0, "C × M" if M != 1 else "C")
    )
    lines.append(line("pointwise", ("C", "M", "O"), O if has_bias else 0, "O"))
    lines.append(
        f"  separable = depthwise + pointwise = {units.exact(c.depthwise.params)} + "
        f"{units.exact(c.pointwise.params)} = {units.exact(c.separable.params)}"
    )
    per_std, per_sep = kh * kw * O // g, M * (kh * kw + O)
    lines.append(
        f"per output position and input channel: standard Kh × Kw × O{'/g' if g != 1 else ''} = "
        f"{units.exact(per_std)}, separable {'M × ' if M != 1 else ''}(Kh × Kw + O) = {units.exact(per_sep)}"
    )
    prefix_sym = ("g × " if g != 1 else "") + ("M × " if M != 1 else "")
    prefix_val = (f"{g} × " if g != 1 else "") + (f"{M} × " if M != 1 else "")
    factor = reduction_factor(O, conv.kernel, M, g)
    lines.append(
        f"reduction factor = {prefix_sym}(1/O + 1/(Kh × Kw)) = {prefix_val}(1/{O} + 1/{kh * kw}) = "
        f"{factor} ≈ {units.ratio(factor)} ({units.fewer(factor)})"
        + ("" if not has_bias else "   (mults; bias adds params only)")
    )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- conventions


def _conventions_rows(subject: Subject, rows: Sequence[ConventionRow], exact: bool) -> list[list[str]]:
    table = [["dsc-cost", units.count(subject.params, exact), units.count(subject.mults, exact), "MACs", "—"]]
    for row in rows:
        reasons = "; ".join(row.differences) or "the same"
        if row.reported.ops is None:
            ops, unit = "—", "—"
        else:
            ops, unit = units.count(row.reported.ops, exact), row.reported.unit
        table.append([row.convention.title, units.count(row.reported.params, exact), ops, unit, reasons])
    return table


_CONVENTIONS_HEADERS = ["tool", "params", "ops", "unit", "differs from dsc-cost by"]
_CONVENTIONS_RIGHT = [False, True, True, False, False]


def _subject_title(subject: Subject) -> str:
    return subject.name + (f" · batch {subject.batch}" if subject.batch != 1 else "")


def conventions_table(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]], exact: bool = True) -> str:
    """Per subject, a row per tool: params, ops, unit, and what makes it differ from dsc-cost."""
    return "\n".join(
        f"{_subject_title(subject)}\n\n"
        + text_table(_CONVENTIONS_HEADERS, _conventions_rows(subject, rows, exact), _CONVENTIONS_RIGHT)
        for subject, rows in subjects
    )


def conventions_markdown(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]], exact: bool = True) -> str:
    return "\n".join(
        f"**{_subject_title(subject)}**\n\n"
        + markdown_table(_CONVENTIONS_HEADERS, _conventions_rows(subject, rows, exact), _CONVENTIONS_RIGHT)
        for subject, rows in subjects
    )


def conventions_json(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]]) -> str:
    """``{"conventions": [{"name", "batch", "dsc_cost": {"params", "mults"}, "tools": [...]}]}``."""
    return json_text(
        {
            "conventions": [
                {
                    "name": subject.name,
                    "batch": subject.batch,
                    "dsc_cost": {"params": subject.params, "mults": subject.mults},
                    "tools": [
                        {**as_json(row.reported), "title": row.convention.title, "differences": row.differences}
                        for row in rows
                    ],
                }
                for subject, rows in subjects
            ]
        },
        inline_depth=3,
    )


def conventions_csv(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]]) -> str:
    headers = ["subject", "tool", "params", "ops", "unit", "differences"]
    table: list[list[object]] = []
    for subject, rows in subjects:
        table.append([subject.name, "dsc-cost", subject.params, subject.mults, "MACs", ""])
        for row in rows:
            ops = "" if row.reported.ops is None else row.reported.ops
            table.append([subject.name, row.convention.tool, row.reported.params, ops, row.reported.unit,
                          "; ".join(row.differences)])  # fmt: skip
    return csv_text(headers, table)
