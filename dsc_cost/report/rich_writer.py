"""The terminal writer: a :class:`~dsc_cost.report.model.Document` as a rich renderable.

It prints nothing: :func:`renderable` returns a :class:`rich.console.Group` for a
:class:`rich.console.Console` to print. Each table is a :class:`FittedTable`, which learns the
width it has **when it is printed** (``options.max_width`` in ``__rich_console__``: the console's
width, or less inside a narrower container) and builds its :class:`rich.table.Table` for it:
when the table's natural width exceeds that, it drops the columns of lowest priority first
(never those of priority 0), then lets the columns of text that may wrap (names) fold; numbers
never wrap. Colours and bold are rich styles, so the console decides whether to draw them
(``NO_COLOR``, ``FORCE_COLOR``, ``TERM=dumb``, output piped to a file). Every cell is a
:class:`rich.text.Text`: names are never read as console markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table as RichTable
from rich.text import Text as RichText

from . import model

# no edges; a blank between columns; a rule under the header and before a set-apart row
_BOX = box.Box("    \n    \n ─  \n    \n ─  \n ─  \n    \n    \n")
_GAP = 2  # columns apart: one blank of the box's divider, one of the cell's left padding

_EIGHTHS = " ▏▎▍▌▋▊▉"

_TONES = {"good": "green", "bad": "bold red", "neutral": "yellow"}


def bar(part: int, largest: int, width: int = 8) -> str:
    """A bar of ``width`` cells for ``part`` out of ``largest``, in eighths of a cell; none for 0."""
    if largest <= 0 or part <= 0:
        return ""
    eighths = max(1, (part * width * 8 + largest // 2) // largest)
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def _cell(cell: model.CellValue) -> RichText:
    if not isinstance(cell, model.Cell):
        return RichText(cell)
    if cell.largest is not None:
        drawn = bar(cell.part or 0, cell.largest)
        return RichText.assemble(f"{cell.text:>7} ", (drawn, "cyan"))
    return RichText("  " * cell.indent + cell.text, style=_TONES[cell.tone] if cell.tone else "")


class FittedTable:
    """A :class:`~dsc_cost.report.model.Table` that fits the width it is printed at."""

    def __init__(self, table: model.Table) -> None:
        self.table = table
        texts = [[_cell(cell) for cell in row.cells] for row in table.rows]
        self.cells = texts
        self.natural = [
            max(
                [
                    cell_len(column.title) if table.header else 0,
                    *(cell_len(row[index].plain) for row in texts if index < len(row)),
                ]
            )
            for index, column in enumerate(table.columns)
        ]

    def kept(self, width: int) -> list[int]:
        """The indices of the columns shown at ``width``: all of them, unless the table's natural
        width exceeds ``width``; then the columns of lowest priority (later ones first among
        equals) go until it fits or only columns of priority 0 are left."""
        keep = list(range(len(self.table.columns)))
        droppable = sorted(
            (i for i, c in enumerate(self.table.columns) if c.priority > 0),
            key=lambda i: (self.table.columns[i].priority, -i),
        )
        while droppable and self.width_of(keep) > width:
            keep.remove(droppable.pop(0))
        return keep

    def width_of(self, columns: Sequence[int]) -> int:
        return sum(self.natural[i] for i in columns) + _GAP * max(0, len(columns) - 1)

    def build(self, width: int) -> RichTable:
        """The rich table of the columns kept at ``width``."""
        keep = self.kept(width)
        table = RichTable(
            box=_BOX,
            show_edge=False,
            pad_edge=False,
            padding=(0, 0, 0, 1),
            header_style="bold",
            title=RichText(self.table.title, style="bold") if self.table.title else None,
            caption=RichText(self.table.caption) if self.table.caption else None,
            collapse_padding=False,
            show_header=self.table.header,
        )
        for index in keep:
            column = self.table.columns[index]
            table.add_column(
                RichText(column.title),
                justify=column.align,
                no_wrap=not column.wrap,
                overflow="fold" if column.wrap else "ellipsis",
            )
        rules = set(self.table.rules_before)
        for number, (row, cells) in enumerate(zip(self.table.rows, self.cells, strict=True)):
            table.add_row(
                *(cells[i] for i in keep if i < len(cells)),
                style="bold" if row.total else None,
                end_section=number + 1 in rules,
            )
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.build(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.build(options.max_width))


def _text(block: model.Text) -> RenderableType:
    text = block.text.rstrip("\n")
    if block.role == "heading":  # a section: a rule with its name, as wide as the page
        from rich.rule import Rule

        return Rule(RichText(text, style="bold"), align="left", style="dim")
    if block.role == "title":
        return RichText(text, style="bold")
    if block.role == "status":
        return RichText(text, style="bold green" if block.ok else "bold red" if block.ok is False else "bold")
    return RichText(text)


def blocks(document: model.Document) -> Iterable[RenderableType]:
    for index, block in enumerate(document.blocks):
        if index:
            yield RichText("")
        yield FittedTable(block) if isinstance(block, model.Table) else _text(block)


def renderable(document: model.Document) -> Group:
    """The document for a console to print: its blocks, a blank line between two."""
    return Group(*blocks(document))


def to_text(renderable: RenderableType, width: int = 100) -> str:
    """``renderable`` as plain text ``width`` columns wide: no colour, no escape codes, no
    trailing blanks; for tests and docs."""
    import io

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=False,
        color_system=None,
        no_color=True,
        legacy_windows=False,
        emoji=False,
        highlight=False,
        markup=False,
    )
    console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
