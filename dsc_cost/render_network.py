"""Renderers for costed networks: ``dsc-cost network`` in table, Markdown, JSON and CSV."""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from . import units
from .formulas import Cost, Shape
from .network import KIND_TITLES, LayerCost, NetworkCost
from .render import (
    RawJSON,
    as_cells,
    as_headers,
    as_json,
    ascii_shape,
    cost_json,
    csv_text,
    json_text,
    markdown_table,
    shape_json,
    text_table,
)

if TYPE_CHECKING:
    from .conventions import Convention, Reported
    from .variants import Variant


def reports(result: NetworkCost, convention: Convention | None) -> tuple[list[Reported], Reported | None]:
    """What ``convention``'s tool reports for every layer and for the whole network."""
    if convention is None:
        return [], None
    from .conventions import layer_elements, report, sum_elements

    elements = layer_elements(result)
    rows = [
        report(convention, layer.cost.params, layer.cost.mults, layer.bn_params, e, result.batch)
        for layer, e in zip(result.layers, elements, strict=True)
    ]
    total = report(
        convention, result.total.params, result.total.mults, result.bn_params, sum_elements(elements), result.batch
    )
    return rows, total


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(part: int, largest: int, width: int = 8) -> str:
    """A bar of ``width`` cells for ``part`` out of ``largest``, in eighths of a cell."""
    if largest <= 0 or part <= 0:
        return ""
    eighths = max(1, (part * width * 8 + largest // 2) // largest)
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def savings(after: int, before: int) -> Fraction:
    """The fraction saved going from ``before`` to ``after``: 1 − after/before."""
    return Fraction(0) if before == 0 else 1 - Fraction(after, before)


def _layer_rows(
    result: NetworkCost, exact: bool, flops: bool, markdown: bool, convention: Convention | None = None
) -> tuple[list[str], list[list[str]]]:
    headers = ["layer", "type", "input → output", "params", "mults"]
    headers += ["FLOPs"] if flops else []
    headers += ["share", "as standard", "as separable", *as_headers(convention)]
    largest = max((layer.cost.mults for layer in result.layers), default=0)
    layer_reports, total_report = reports(result, convention)
    rows = []
    for index, layer in enumerate(result.layers):
        share = units.percent(layer.cost.mults, result.total.mults)
        shown = share if markdown else f"{share:>7} {bar(layer.cost.mults, largest)}"
        row = [layer.name, layer.type, f"{layer.input} → {layer.output}"]
        row += [units.count(layer.cost.params, exact), units.count(layer.cost.mults, exact)]
        row += [units.count(layer.cost.flops, exact)] if flops else []
        row += [shown, units.count(layer.standard.mults, exact), units.count(layer.separable.mults, exact)]
        row += as_cells(layer_reports[index] if layer_reports else None, exact)
        rows.append(row)
    total = ["total", "", f"{result.network.input} → {result.output}"]
    total += [units.count(result.total.params, exact), units.count(result.total.mults, exact)]
    total += [units.count(result.total.flops, exact)] if flops else []
    total += ["100.00%", units.count(result.standard.mults, exact), units.count(result.separable.mults, exact)]
    total += as_cells(total_report, exact)
    rows.append(total)
    return headers, rows


def _right(headers: Sequence[str]) -> list[bool]:
    return [h not in ("layer", "type", "input → output", "share", "kind", "network", "") for h in headers]


def _batchnorm_rows(result: NetworkCost, exact: bool) -> list[list[str]]:
    if not result.bn_params:
        return []
    return [
        ["  of which batch-norm", units.count(result.bn_params, exact), ""],
        ["  without batch-norm", units.count(result.total.params - result.bn_params, exact), ""],
        ["  + running statistics", units.count(result.bn_params, exact), "(non-trainable)"],
    ]


def _summary_rows(result: NetworkCost, exact: bool) -> tuple[list[str], list[list[str]]]:
    def row(label: str, cost: Cost) -> list[str]:
        return [label, units.count(cost.params, exact), units.count(cost.mults, exact)]

    saved_params = savings(result.separable.params, result.standard.params)
    saved_mults = savings(result.separable.mults, result.standard.mults)
    rows = [
        row("this network", result.total),
        *_batchnorm_rows(result, exact),
        row("as standard", result.standard),
        row("as separable", result.separable),
        ["separable saves", units.percent(saved_params.numerator, saved_params.denominator),
         units.percent(saved_mults.numerator, saved_mults.denominator)],
    ]  # fmt: skip
    return ["", "params", "mults"], rows


def _kind_rows(result: NetworkCost, exact: bool) -> tuple[list[str], list[list[str]]]:
    rows = []
    for kind, cost in result.by_kind.items():
        if cost.params == cost.mults == 0:
            continue
        rows.append(
            [
                KIND_TITLES[kind],
                units.count(cost.params, exact),
                units.percent(cost.params, result.total.params),
                units.count(cost.mults, exact),
                units.percent(cost.mults, result.total.mults),
            ]
        )
    return ["kind", "params", "share", "mults", "share"], rows


def _title(result: NetworkCost) -> str:
    batch = f" · batch {result.batch}" if result.batch != 1 else ""
    count = len(result.layers)
    layers = f"{count} layer{'s' * (count != 1)}"
    return f"{result.network.name} · input {result.network.input} → output {result.output} · {layers}{batch}"


def network_table(
    results: Sequence[NetworkCost], exact: bool = False, flops: bool = False, convention: Convention | None = None
) -> str:
    """Per network: the layer table, the what-if summary and the by-kind breakdown; then, for
    several networks, a side-by-side summary."""
    return _network_report(results, exact, flops, convention, markdown=False)


def network_markdown(
    results: Sequence[NetworkCost], exact: bool = False, flops: bool = False, convention: Convention | None = None
) -> str:
    """The same tables as GitHub-flavoured Markdown, one section per network."""
    return _network_report(results, exact, flops, convention, markdown=True)


def _network_report(
    results: Sequence[NetworkCost], exact: bool, flops: bool, convention: Convention | None, markdown: bool
) -> str:
    def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], rule: bool) -> str:
        if markdown:
            return markdown_table(headers, rows, right)
        return text_table(headers, rows, right, rules_before=(len(rows) - 1,) if rule else ())

    parts = []
    for result in results:
        heading = f"### {result.network.name}\n\n{_title(result)}" if markdown else _title(result)
        headers, rows = _layer_rows(result, exact, flops, markdown, convention)
        parts.append(f"{heading}\n\n" + table(headers, rows, _right(headers), True))
        headers, rows = _summary_rows(result, exact)
        parts.append(table(headers, rows, [False, True, True], True))
        headers, rows = _kind_rows(result, exact)
        parts.append(table(headers, rows, [False, True, True, True, True], False))
    if len(results) > 1:
        headers, rows = _networks_rows(results, exact)
        heading = "### All networks" if markdown else "all networks"
        parts.append(f"{heading}\n\n" + table(headers, rows, _right(headers), False))
    return "\n".join(parts)


def _networks_rows(results: Sequence[NetworkCost], exact: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["network", "params", "mults", "as standard", "as separable", "separable saves"]
    rows = []
    for r in results:
        saved = savings(r.separable.mults, r.standard.mults)
        rows.append(
            [
                r.network.name,
                units.count(r.total.params, exact),
                units.count(r.total.mults, exact),
                units.count(r.standard.mults, exact),
                units.count(r.separable.mults, exact),
                units.percent(saved.numerator, saved.denominator),
            ]
        )
    return headers, rows


def network_document(
    result: NetworkCost,
    flops: bool = False,
    file: str | None = None,
    layers: bool = True,
    convention: Convention | None = None,
    computed: tuple[list[Reported], Reported | None] | None = None,
) -> dict[str, Any]:
    """One network of ``dsc-cost network --format json`` as a dict (``layers=False``: without
    the per-layer list). With a convention, every layer and the totals gain ``"as"``
    (``computed``: :func:`reports` already at hand)."""
    layer_reports, total_report = computed if computed is not None else reports(result, convention)
    rows = [
        {
            "name": layer.name,
            "type": layer.type,
            "input": shape_json(layer.input),
            "output": shape_json(layer.output),
            **cost_json(layer.cost, flops),
            "trainable_params": layer.cost.params,
            "non_trainable_params": layer.bn_params,
            "standard": cost_json(layer.standard, flops),
            "separable": cost_json(layer.separable, flops),
            **({"as": as_json(layer_reports[index])} if layer_reports else {}),
        }
        for index, layer in enumerate(result.layers)
        if layers
    ]
    document: dict[str, Any] = {"name": result.network.name}
    if file is not None:
        document["file"] = file
    document.update(
        {
            "input": shape_json(result.network.input),
            "output": shape_json(result.output),
            "batch": result.batch,
            "layers": rows,
            "totals": {
                **cost_json(result.total, flops),
                "trainable_params": result.total.params,
                "non_trainable_params": result.bn_params,
                "batchnorm_params": result.bn_params,
                "standard": cost_json(result.standard, flops),
                "separable": cost_json(result.separable, flops),
                **({"as": as_json(total_report)} if total_report else {}),
            },
            "savings": {
                "params": float(savings(result.separable.params, result.standard.params)),
                "mults": float(savings(result.separable.mults, result.standard.mults)),
            },
            "by_kind": {kind: cost_json(cost, flops) for kind, cost in result.by_kind.items()},
        }
    )
    return document


def network_json(
    results: Sequence[NetworkCost],
    flops: bool = False,
    files: Sequence[str] | None = None,
    convention: Convention | None = None,
) -> str:
    """``{"networks": [...]}`` with exact integers: :func:`network_document` of each network, with
    each layer written on one line (straight from the values: a network may have 100,000 layers)."""
    names = files if files is not None else [None] * len(results)
    documents = []
    for result, file in zip(results, names, strict=True):
        computed = reports(result, convention)
        document = network_document(result, flops, file, False, convention, computed)
        layer_reports: list[Reported | None] = [*computed[0]] or [None] * len(result.layers)
        document["layers"] = [
            _layer_line(layer, flops, r) for layer, r in zip(result.layers, layer_reports, strict=True)
        ]
        documents.append(document)
    return json_text({"networks": documents})


_encode_string = json.encoder.encode_basestring


def _layer_line(layer: LayerCost, flops: bool, reported: Reported | None = None) -> RawJSON:
    """One layer of :func:`network_document`, encoded as the JSON encoder would, only faster."""

    def cost(c: Cost) -> str:
        return f'"params": {c.params}, "mults": {c.mults}' + (f', "flops": {2 * c.mults}' if flops else "")

    def shape(s: Shape) -> str:
        return f'{{"channels": {s.channels}, "height": {s.height}, "width": {s.width}}}'

    tail = "" if reported is None else ", " + _encode_as(reported)
    return RawJSON(
        f'{{"name": {_encode_string(layer.name)}, "type": {_encode_string(layer.type)}, '
        f'"input": {shape(layer.input)}, "output": {shape(layer.output)}, {cost(layer.cost)}, '
        f'"trainable_params": {layer.cost.params}, "non_trainable_params": {layer.bn_params}, '
        f'"standard": {{{cost(layer.standard)}}}, "separable": {{{cost(layer.separable)}}}{tail}}}'
    )


def _encode_as(reported: Reported) -> str:
    return '"as": ' + json.dumps(as_json(reported), ensure_ascii=False, separators=(", ", ": "))


def network_csv(results: Sequence[NetworkCost], flops: bool = False, convention: Convention | None = None) -> str:
    """One row per layer of every network, exact integers."""
    headers = ["network", "layer", "type", "input", "output", "params", "mults"]
    headers += ["flops"] if flops else []
    headers += ["standard_params", "standard_mults", "separable_params", "separable_mults", "non_trainable_params"]
    headers += ["as_tool", "as_params", "as_ops", "as_unit"] if convention else []
    rows: list[list[object]] = []
    for result in results:
        layer_reports = reports(result, convention)[0]
        for index, layer in enumerate(result.layers):
            row: list[object] = [
                result.network.name,
                layer.name,
                layer.type,
                ascii_shape(layer.input),
                ascii_shape(layer.output),
            ]
            row += [layer.cost.params, layer.cost.mults] + ([layer.cost.flops] if flops else [])
            row += [layer.standard.params, layer.standard.mults, layer.separable.params, layer.separable.mults]
            row += [layer.bn_params]
            if layer_reports:
                r = layer_reports[index]
                row += [r.tool, r.params, "" if r.ops is None else r.ops, r.unit]
            rows.append(row)
    return csv_text(headers, rows)


# ---------------------------------------------------------------- sweep


def width_text(width: Fraction) -> str:
    """``Fraction(3, 4)`` → ``0.75``; ``Fraction(1)`` → ``1``; at most six decimals."""
    text = f"{float(width):.6f}".rstrip("0").rstrip(".")
    return text


def _sweep_rows(variants: Sequence[Variant], exact: bool) -> tuple[list[str], list[list[str]]]:
    headers = ["network", "width", "resolution", "params", "mults", "as standard", "savings"]
    rows = [
        [
            v.network,
            width_text(v.width),
            str(v.resolution),
            units.count(v.total.params, exact),
            units.count(v.total.mults, exact),
            units.count(v.standard.mults, exact),
            units.percent(v.savings.numerator, v.savings.denominator),
        ]
        for v in variants
    ]
    return headers, rows


_SWEEP_RIGHT = [False, True, True, True, True, True, True]


def sweep_table(variants: Sequence[Variant], exact: bool = False) -> str:
    """One row per variant: width, resolution, params, mults, all-standard mults, savings."""
    headers, rows = _sweep_rows(variants, exact)
    return text_table(headers, rows, _SWEEP_RIGHT)


def sweep_markdown(variants: Sequence[Variant], exact: bool = False) -> str:
    headers, rows = _sweep_rows(variants, exact)
    return markdown_table(headers, rows, _SWEEP_RIGHT)


def sweep_json(variants: Sequence[Variant]) -> str:
    """``{"variants": [...]}`` with exact integers; width and savings as numbers."""
    return json_text(
        {
            "variants": [
                {
                    "network": v.network,
                    "width": float(v.width),
                    "resolution": v.resolution,
                    "params": v.total.params,
                    "mults": v.total.mults,
                    "standard": {"params": v.standard.params, "mults": v.standard.mults},
                    "savings": float(v.savings),
                }
                for v in variants
            ]
        },
        inline_depth=2,
    )


def sweep_csv(variants: Sequence[Variant]) -> str:
    headers = ["network", "width", "resolution", "params", "mults", "standard_params", "standard_mults", "savings"]
    rows: list[list[object]] = [
        [v.network, width_text(v.width), v.resolution, v.total.params, v.total.mults,
         v.standard.params, v.standard.mults, f"{float(v.savings):.6f}"]
        for v in variants
    ]  # fmt: skip
    return csv_text(headers, rows)
