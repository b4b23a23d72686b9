"""Results in a notebook: the HTML writer of a :class:`~dsc_cost.report.model.Document`, and how a costed network
shows itself in Jupyter (:func:`network_html`, an HTML table in the report's styles, no script) and in a terminal
(:func:`network_rich`, the table of ``dsc-cost network``).

The document is the one ``dsc-cost network`` prints (:func:`~dsc_cost.report.views.network_view`): the same
columns (:mod:`.columns`), rows and what-ifs; only the writer differs. The styles are the HTML report's own
(``assets/report.css``): its colours, light and dark, and its ``table.data`` rules, each scoped to the output's
``div.dsc-cost`` so that nothing else of the notebook's page changes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from .model import Block, Cell, CellValue, Document, Table, Text, visible

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..network import NetworkCost

KEPT = ("table.data", ".num", ".muted", ".note", ".share")
"""The report's rules a notebook's table uses: selectors that start with these (each scoped to ``.dsc-cost``)."""

BAR = 60
"""The width of a whole share's bar, in pixels."""
_NUM = ' class="num"'
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _scoped(css: str) -> str:
    """The rules of ``css`` (its top level and its colour-scheme ``@media`` block; not ``print``) that the tables
    use, each selector scoped to ``.dsc-cost``; ``:root``'s colours set on ``.dsc-cost`` itself."""
    out = []
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{(.*?)\}\s*\}", css, re.S)
    top = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", css)
    for selectors, body in _RULE.findall(re.sub(r"/\*.*?\*/", "", top, flags=re.S)):
        names = [s.strip() for s in selectors.split(",")]
        if names == [":root"]:
            out.append(f".dsc-cost {{{body}}}")
        elif all(name.startswith(KEPT) for name in names):
            out.append(", ".join(f".dsc-cost {name}" for name in names) + f" {{{body}}}")
    if dark is not None:
        for selectors, body in _RULE.findall(dark.group(1) + "}"):
            if selectors.strip() == ":root":
                out.append(f"@media (prefers-color-scheme: dark) {{ .dsc-cost {{{body}}} }}")
    return "\n".join(out)


@cache
def styles() -> str:
    """The CSS of a notebook's table: the report's (:func:`_scoped`), and a heading's and a note's sizes."""
    from .html import _asset

    own = (
        ".dsc-cost { color: var(--fg); }\n"
        ".dsc-cost .heading { font-weight: 600; font-size: 15px; margin: 10px 0 4px; }\n"
        ".dsc-cost .title { font-weight: 600; margin: 10px 0 4px; }\n"
        ".dsc-cost pre { font-size: 12px; }\n"
        ".dsc-cost table.data { width: auto; margin: 0 0 14px; }\n"  # each table as wide as its columns
        ".dsc-cost table.data td.total { font-weight: 600; }"
    )
    return _scoped(_asset("report.css")) + "\n" + own


def _escaped(text: str) -> str:
    return html.escape(visible(text), quote=True)


def _cell(cell: CellValue, column_align: str, total: bool) -> str:
    text = cell.text if isinstance(cell, Cell) else str(cell)
    classes = ["num"] if column_align == "right" else []
    classes += ["total"] if total else []
    attributes = f' class="{" ".join(classes)}"' if classes else ""
    indent = cell.indent if isinstance(cell, Cell) else 0
    style = f' style="padding-left: {8 + 12 * indent}px"' if indent else ""
    bar = ""
    if isinstance(cell, Cell) and cell.part is not None and cell.largest:  # a share, drawn as the terminal draws it
        bar = f' <span class="share" style="width: {round(BAR * cell.part / cell.largest)}px"></span>'
    return f"<td{attributes}{style}>{_escaped(text)}{bar}</td>"


def table_html(table: Table) -> str:
    """A table as ``table.data``: its title above it, a header of its column titles (``header``), a rule (a
    top border) before the rows of ``rules_before``, its caption below."""
    out = []
    if table.title:
        out.append(f'<div class="title">{_escaped(table.title)}</div>')
    out.append('<table class="data">')
    if table.header:
        titles = "".join(f"<th{_NUM if c.align == 'right' else ''}>{_escaped(c.title)}</th>" for c in table.columns)
        out.append(f"<thead><tr>{titles}</tr></thead>")
    out.append("<tbody>")
    rules = set(table.rules_before)
    for index, row in enumerate(table.rows):
        rule = ' style="border-top: 2px solid var(--line)"' if index in rules else ""
        cells = "".join(_cell(cell, c.align, row.total) for cell, c in zip(row.cells, table.columns, strict=False))
        out.append(f"<tr{rule}>{cells}</tr>")
    out.append("</tbody></table>")
    if table.caption:
        out.append(f'<div class="note">{_escaped(table.caption)}</div>')
    return "\n".join(out)


def _text(block: Text) -> str:
    if block.role == "code":
        return f"<pre>{_escaped(block.text.rstrip(chr(10)))}</pre>"
    if block.role in ("heading", "title"):
        return f'<div class="{block.role}">{_escaped(block.text)}</div>'
    lines = "<br>".join(_escaped(line) for line in block.text.rstrip("\n").split("\n"))
    return f'<p class="note">{lines}</p>'


def block_html(block: Block) -> str:
    return table_html(block) if isinstance(block, Table) else _text(block)


def document_html(document: Document) -> str:
    """``document`` as an HTML fragment for a notebook's output: a ``div.dsc-cost`` with its own styles, every
    text escaped, no script."""
    body = "\n".join(block_html(block) for block in document.blocks)
    return f'<div class="dsc-cost">\n<style>\n{styles()}\n</style>\n{body}\n</div>'


def network_html(results: Sequence[NetworkCost]) -> str:
    """The tables of ``dsc-cost network`` for ``results``, as HTML (:func:`document_html`)."""
    from .views import network_view

    return document_html(network_view(results))


def network_rich(results: Sequence[NetworkCost]) -> RenderableType:
    """The table of ``dsc-cost network`` for ``results``, for a :class:`rich.console.Console` to print."""
    from . import network_output

    return network_output(results, "table")
