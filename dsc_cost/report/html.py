"""The HTML report of ``dsc-cost report``: one self-contained page, its data, script and style inline.

The page embeds the text of ``dsc-cost network --format json`` (the same writer's output, as it is)
in a ``<script type="application/json" id="dsc-cost-data">`` block, and the names of the outputs
each layer reads (:func:`layer_inputs`) in a second, ``dsc-cost-inputs``; the script beside it
(``assets/report.js``, a small SVG charting module of its own) draws every chart and table from
that data in the browser. Nothing is fetched: a Content-Security-Policy forbids any request.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .._version import __version__

if TYPE_CHECKING:
    from ..memory import Settings
    from ..network import NetworkCost

__all__ = ["embedded_json", "html_page", "layer_inputs", "report_html"]

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
    return _page(embedded_json(data), [str(network.get("name", "")) for network in data.get("networks", [])], inputs)


def report_html(
    results: Sequence[NetworkCost], files: Sequence[str] | None = None, settings: Settings | None = None
) -> str:
    """The page of ``dsc-cost report`` for ``results``: its data block is the text of
    ``dsc-cost network --format json`` itself (bytes at ``settings``' dtypes and, with its device, the
    roofline: fp32 and no device without), and its inputs block each layer's :func:`layer_inputs`."""
    from .documents import network_json

    text = network_json(results, files=files, settings=settings).replace("<", "\\u003c")
    return _page(text, [result.network.name for result in results], [layer_inputs(result) for result in results])


def _page(data: str, names: Sequence[str], inputs: list[list[list[str]]] | None) -> str:
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
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"
    )
