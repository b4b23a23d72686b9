"""The Markdown writer: a :class:`~dsc_cost.report.model.Document` as GitHub-flavoured Markdown.

Every text is escaped (:func:`escape`): a name from a spec (``<script>``, ``</details>``, ``[x](url)``,
``![](url)``) is shown as it is written, never read as HTML, a link, an image or emphasis, in a pull-request
comment or a job summary as anywhere.
"""

from __future__ import annotations

import re

from .model import Block, Cell, CellValue, Document, Table, Text, visible

_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_SPECIAL = re.compile(r"[\\`*\[\]<>&|~#]|(?<![^\W_])_|_(?![^\W_])")
"""What Markdown (or HTML in it) would read as syntax: HTML tags and entities, links and images, code,
emphasis, cells' ends, a heading's closing marks; ``_`` but between letters or digits (``conv_dw`` stays)."""


def escape(text: str) -> str:
    """``text`` as Markdown that shows it as it is: each character Markdown could read as syntax escaped
    with a backslash (CommonMark's escapes of ASCII punctuation).

    >>> escape("<img src=x onerror=alert(1)>"), escape("[a](b) conv_dw x_")
    ('\\\\<img src=x onerror=alert(1)\\\\>', '\\\\[a\\\\](b) conv_dw x\\\\_')
    """
    return _SPECIAL.sub(lambda match: "\\" + match.group(), text)


def cell_text(cell: CellValue) -> str:
    """A cell's text, safe inside a table row and shown as it is: line breaks turned into spaces (a name
    cannot end a row), other control characters into escapes (:func:`~dsc_cost.report.model.visible`),
    then Markdown's syntax escaped (:func:`escape`; a name cannot end a cell nor be HTML). An indent is not
    shown."""
    text = cell.text if isinstance(cell, Cell) else str(cell)
    return escape(visible(_BREAKS.sub(" ", text)))


def table_text(table: Table) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    align = ["---:" if column.align == "right" else ":---" for column in table.columns]
    out = []
    if table.title:
        out += [f"**{cell_text(table.title)}**", ""]
    out += [line([cell_text(c.title) for c in table.columns]), "|" + "|".join(align) + "|"]
    out += [line([cell_text(cell) for cell in row.cells]) for row in table.rows]
    if table.caption:
        out += ["", cell_text(table.caption)]
    return "\n".join(out) + "\n"


def block_text(block: Block) -> str:
    if isinstance(block, Table):
        return table_text(block)
    return _text(block)


def _text(block: Text) -> str:
    if block.role == "code":  # as it is, in a fence no line of it can close
        text = "\n".join(visible(line) for line in block.text.rstrip("\n").split("\n"))
        longest = max((len(run) for run in re.findall("`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}text\n{text}\n{fence}\n"
    if block.role in ("heading", "title"):
        text = cell_text(block.text)
    else:
        text = "\n".join(escape(visible(line)) for line in block.text.rstrip("\n").split("\n"))
    if block.role == "heading":
        return f"### {text}\n"
    if block.role == "title":
        return f"**{text}**\n"
    return text.rstrip("\n") + "\n"


def markdown(document: Document) -> str:
    """Every block, a blank line between two."""
    return "\n".join(block_text(block) for block in document.blocks)
