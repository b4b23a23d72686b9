"""The Markdown writer: a :class:`~dsc_cost.report.model.Document` as GitHub-flavoured Markdown."""

from __future__ import annotations

import re

from .model import Block, Cell, CellValue, Document, Table, Text, visible

_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def cell_text(cell: CellValue) -> str:
    """A cell's text, safe inside a table row: ``\\`` and ``|`` escaped (a name cannot end a cell),
    line breaks turned into spaces (a name cannot end a row) and other control characters into
    escapes (:func:`~dsc_cost.report.model.visible`). An indent is not shown."""
    text = cell.text if isinstance(cell, Cell) else str(cell)
    text = visible(_BREAKS.sub(" ", text))
    if "|" in text:
        text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text


def table_text(table: Table) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    align = ["---:" if column.align == "right" else ":---" for column in table.columns]
    out = []
    if table.title:
        out += [f"**{_BREAKS.sub(' ', table.title)}**", ""]
    out += [line([cell_text(c.title) for c in table.columns]), "|" + "|".join(align) + "|"]
    out += [line([cell_text(cell) for cell in row.cells]) for row in table.rows]
    if table.caption:
        out += ["", _BREAKS.sub(" ", table.caption)]
    return "\n".join(out) + "\n"


def block_text(block: Block) -> str:
    if isinstance(block, Table):
        return table_text(block)
    return _text(block)


def _text(block: Text) -> str:
    if block.role in ("heading", "title"):
        text = visible(_BREAKS.sub(" ", block.text))
    else:
        text = "\n".join(visible(line) for line in block.text.rstrip("\n").split("\n"))
    if block.role == "code":
        return f"```text\n{text}\n```\n"
    if block.role == "heading":
        return f"### {text}\n"
    if block.role == "title":
        return f"**{text}**\n"
    return text.rstrip("\n") + "\n"


def markdown(document: Document) -> str:
    """Every block, a blank line between two."""
    return "\n".join(block_text(block) for block in document.blocks)
