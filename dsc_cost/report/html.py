"""The HTML report of ``dsc-cost report``: one self-contained page, its data, script and style inline.

The page embeds the text of ``dsc-cost network --format json`` (the same writer's output, as it is)
in a ``<script type="application/json" id="dsc-cost-data">`` block, the names of the outputs
each layer reads (:func:`layer_inputs`) in a second, ``dsc-cost-inputs``, and the short forms of its
numbers as the table writes them (:func:`number_text`) in a third, ``dsc-cost-text``, and the columns of its
layer table (:func:`~dsc_cost.report.columns.report_columns`, from dsc-cost's column registry) in a fourth,
``dsc-cost-columns``; the script beside
it (``assets/report.js``, a small SVG charting module of its own) draws every chart and table from
that data in the browser, reading every integer exactly (beyond 2^53, as a BigInt). Nothing is
fetched: a Content-Security-Policy forbids any request.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .. import units
from .._version import __version__

if TYPE_CHECKING:
    from ..memory import Settings
    from ..network import NetworkCost

__all__ = ["embedded_json", "html_page", "layer_inputs", "number_text", "report_html"]

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
"""What the page may load: its own inline script and style, and nothing from anywhere."""


def layer_inputs(result: NetworkCost) -> list[list[str]]:
    """The names of the outputs each layer of ``result`` reads, in order: its ``inputs`` (or
    ``from``) as the spec gave them, else the layer before it (``input`` for the first layer).

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.network import AddLayer, ConvLayer, Network, Node, cost_network
    >>> net = Network("r", Shape(8, 4, 4), (
    ...     Node("a", "conv", ConvLayer(8, (3, 3), padding=(1, 1))),
    ...     Node("b", "conv", ConvLayer(8, (3, 3), padding=(1, 1))),
    ...     Node("sum", "add", AddLayer(), ("a", "b")),
    ... ))
    >>> layer_inputs(cost_network(net))
    [['input'], ['a'], ['a', 'b']]
    """
    names: list[list[str]] = []
    previous = "input"
    for node in result.network.nodes:
        names.append(list(node.inputs) if node.inputs else [previous])
        previous = node.name
    return names


_COSTS = ("params", "mults")
_BYTES = ("weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes")
_TOTAL_BYTES = ("weight_bytes", "activation_bytes", "peak_bytes")


def number_text(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The short forms of the numbers the page of ``data`` shows short, made here by :mod:`dsc_cost.units`
    as the table and Markdown make them, each keyed by its integer's digits: ``"counts"`` (:func:`units.short
    <dsc_cost.units.short>`: the totals' params and mults, each layer's mults, the device's peak) and
    ``"bytes"`` (:func:`units.byte_count <dsc_cost.units.byte_count>`, decimal units: every byte figure, a
    layer's input plus output where the document has no live bytes, the device's bandwidth). The script
    writes exact digits itself; only axis ticks, round values, are labelled without this.

    >>> number_text({"networks": [{"totals": {"params": 3504872, "mults": 300774272,
    ...     "memory": {"peak_bytes": 6322000}}, "layers": [{"mults": 10838016, "memory": {"input_bytes": 600,
    ...     "output_bytes": 700}}]}]})  # doctest: +NORMALIZE_WHITESPACE
    {'counts': {'3504872': '3.505M', '300774272': '300.8M', '10838016': '10.84M'},
     'bytes': {'6322000': '6.322 MB', '600': '600 B', '700': '700 B', '0': '0 B', '1300': '1.3 kB'}}
    """
    counts: dict[str, str] = {}
    sizes: dict[str, str] = {}

    def count(value: object) -> None:
        if type(value) is int and str(value) not in counts:
            counts[str(value)] = units.short(value)

    def size(value: object) -> None:
        if type(value) is int and value >= 0 and str(value) not in sizes:
            sizes[str(value)] = units.byte_count(value)

    def part(mapping: object, key: str) -> dict[str, Any]:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value if isinstance(value, dict) else {}

    networks = data.get("networks")
    for network in networks if isinstance(networks, list) else []:
        totals = part(network, "totals")
        for costs in (totals, part(totals, "standard"), part(totals, "separable")):
            for key in _COSTS:
                count(costs.get(key))
        memory = part(totals, "memory")
        for key in _TOTAL_BYTES:
            size(memory.get(key))
        roofline = part(totals, "roofline")
        count(roofline.get("peak_macs_per_second"))
        size(roofline.get("bandwidth_bytes_per_second"))
        layers = network.get("layers") if isinstance(network, dict) else None
        for layer in layers if isinstance(layers, list) else []:
            count(layer.get("mults") if isinstance(layer, dict) else None)
            memory = part(layer, "memory")
            if memory:
                for key in _BYTES:
                    size(memory.get(key, 0 if key == "intermediate_bytes" else None))
                inputs, outputs = memory.get("input_bytes"), memory.get("output_bytes")
                if "live_bytes" not in memory and type(inputs) is int and type(outputs) is int:
                    size(inputs + outputs)  # what the page shows alive at a layer of an older document
    return {"counts": counts, "bytes": sizes}


@cache
def _asset(name: str) -> str:
    return resources.files("dsc_cost.report").joinpath("assets", name).read_text(encoding="utf-8")


def embedded_json(data: object) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element: every ``<`` (only ever inside a
    string) written as ``\\u003c``, so that no ``</script>`` or ``<!--`` can end or alter it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def html_page(data: dict[str, Any], inputs: list[list[list[str]]] | None = None) -> str:
    """The page of ``data``, a document of the form of ``dsc-cost network --format json`` (layers and
    totals may also carry ``"memory"`` and ``"roofline"``, which the page then draws), with
    ``inputs``: for each network, the names each layer reads (:func:`layer_inputs`; without them,
    each layer's own ``"inputs"``, else the layer before it)."""
    names = [str(network.get("name", "")) for network in data.get("networks", [])]
    return _page(embedded_json(data), names, inputs, number_text(data))


def report_html(
    results: Sequence[NetworkCost], files: Sequence[str] | None = None, settings: Settings | None = None
) -> str:
    """The page of ``dsc-cost report`` for ``results``: its data block is the text of
    ``dsc-cost network --format json`` itself (bytes at ``settings``' dtypes and, with its device, the
    roofline: fp32 and no device without), and its inputs block each layer's :func:`layer_inputs`."""
    from .documents import network_json

    text = network_json(results, files=files, settings=settings)
    numbers = number_text(json.loads(text))
    names = [result.network.name for result in results]
    return _page(text.replace("<", "\\u003c"), names, [layer_inputs(result) for result in results], numbers)


def _page(
    data: str, names: Sequence[str], inputs: list[list[list[str]]] | None, numbers: dict[str, dict[str, str]]
) -> str:
    from .columns import report_columns

    title = "dsc-cost report: " + ", ".join(names) if names else "dsc-cost report"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="dsc-cost {html.escape(__version__)}">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n"
        '<main id="report"><noscript>This report draws its charts and tables with JavaScript; '
        "its data is in the page's dsc-cost-data block.</noscript></main>\n"
        f'<script type="application/json" id="dsc-cost-data">\n{data}</script>\n'
        f'<script type="application/json" id="dsc-cost-inputs">{embedded_json(inputs)}</script>\n'
        f'<script type="application/json" id="dsc-cost-text">{embedded_json(numbers)}</script>\n'
        f'<script type="application/json" id="dsc-cost-columns">{embedded_json(report_columns())}</script>\n'
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"
    )
