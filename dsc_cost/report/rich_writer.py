"""The terminal writer: a :class:`~dsc_cost.report.model.Document` as a rich renderable.

It prints nothing: :func:`renderable` returns a :class:`rich.console.Group` for a
:class:`rich.console.Console` to print. Each table is a :class:`FittedTable`, which learns the
width it has **when it is printed** (``options.max_width`` in ``__rich_console__``: the console's
width, or less inside a narrower container) and builds its :class:`rich.table.Table` for it:
when the table's natural width exceeds that, it abbreviates the cells that have shorter forms
(shapes), then drops the columns of lowest priority first (never those of priority 0) and says
under the table which it hid, then lets the columns of text that may wrap (names) fold; numbers
never wrap. Colours and bold are rich styles, so the console decides whether to draw them
(``NO_COLOR``, ``FORCE_COLOR``, ``TERM=dumb``, output piped to a file). Every cell is a
:class:`rich.text.Text`: names are never read as console markup.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text as RichText

from . import model
from .model import visible

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


def _pieces(cell: model.CellValue) -> list[tuple[str, str]]:
    """A cell as pieces of text and their style."""
    if not isinstance(cell, model.Cell):
        return [(visible(cell), "")]
    if cell.largest is not None:
        return [(f"{visible(cell.text):>7} ", ""), (bar(cell.part or 0, cell.largest), "cyan")]
    return [("  " * cell.indent + visible(cell.text), _TONES[cell.tone] if cell.tone else "")]


@functools.cache
def _style(name: str) -> Style:
    return Style.parse(name)


def _plain(cell: model.CellValue) -> str:
    return visible(cell) if isinstance(cell, str) else "".join(text for text, _ in _pieces(cell))


def _cell(cell: model.CellValue) -> RichText:
    if isinstance(cell, str):
        return RichText(visible(cell))
    return RichText.assemble(*_pieces(cell))


def _at(cell: model.CellValue, level: int) -> model.CellValue:
    """``cell`` abbreviated to ``level`` (0: as it is; beyond its last abbreviation, its last)."""
    if not level or not isinstance(cell, model.Cell) or not cell.short:
        return cell
    return dataclasses.replace(cell, text=cell.short[min(level, len(cell.short)) - 1], short=())


def _title(column: model.Column, level: int) -> str:
    """``column``'s title abbreviated to ``level``."""
    return column.short[min(level, len(column.short)) - 1] if level and column.short else column.title


class FittedTable:
    """A :class:`~dsc_cost.report.model.Table` that fits the width it is printed at."""

    FAST_ROWS = 300
    """Beyond this many rows, a table that fits without folding is drawn line by line, as the rich
    table would draw it, only faster (rich lays out every cell: about a millisecond a row)."""

    def __init__(self, table: model.Table) -> None:
        self.table = table
        self.plain = [[_plain(cell) for cell in row.cells] for row in table.rows]
        self.lengths = [[cell_len(text) for text in row] for row in self.plain]
        self.natural = [
            max(
                [
                    cell_len(column.title) if table.header else 0,
                    *(row[index] for row in self.lengths if index < len(row)),
                ]
            )
            for index, column in enumerate(table.columns)
        ]
        # the columns that abbreviate (their title or some cell) and how many times at most
        short = {i: len(c.short) for i, c in enumerate(table.columns) if c.short}
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                if isinstance(cell, model.Cell) and cell.short:
                    short[i] = max(short.get(i, 0), len(cell.short))
        self.short = sorted(short)
        self.levels = max(short.values(), default=0)
        self.naturals = {0: self.natural}

    def natural_at(self, level: int) -> list[int]:
        """The natural widths of the columns with their cells abbreviated to ``level``."""
        if level not in self.naturals:
            natural = self.natural.copy()
            for i in self.short:
                column = self.table.columns[i]
                cells = (row.cells[i] for row in self.table.rows if i < len(row.cells))
                natural[i] = max(
                    [
                        cell_len(_title(column, level)) if self.table.header else 0,
                        *(cell_len(_plain(_at(cell, level))) for cell in cells),
                    ]
                )
            self.naturals[level] = natural
        return self.naturals[level]

    def fit(self, width: int) -> tuple[list[int], int]:
        """The indices of the columns shown at ``width`` and how far their cells are abbreviated: all
        of them as they are, unless the table's natural width exceeds ``width``; then abbreviated
        (:attr:`~dsc_cost.report.model.Cell.short`), and if that is not enough the columns of lowest
        priority go (later ones first among equals), each set of columns abbreviated no more than it
        needs, until it fits or only columns of priority 0 are left."""
        keep = list(range(len(self.table.columns)))
        droppable = sorted(
            (i for i, c in enumerate(self.table.columns) if c.priority > 0),
            key=lambda i: (self.table.columns[i].priority, -i),
        )
        while True:
            for level in range(self.levels + 1):
                if self.width_of(keep, level) <= width:
                    return keep, level
            if not droppable:
                return keep, self.levels
            keep.remove(droppable.pop(0))

    def kept(self, width: int) -> list[int]:
        """The indices of the columns shown at ``width`` (:meth:`fit`)."""
        return self.fit(width)[0]

    def hidden(self, width: int) -> list[str]:
        """The titles of the columns dropped at ``width``, each once, in the table's order."""
        keep = set(self.kept(width))
        titles = [c.title for i, c in enumerate(self.table.columns) if i not in keep]
        return list(dict.fromkeys(titles))

    def note(self, width: int) -> str | None:
        """The line under a table that dropped columns at ``width``: which, and how to see them."""
        hidden = self.hidden(width)
        if not hidden:
            return None
        picker = f", {self.table.picker} picks them" if self.table.picker else ""
        return f"hidden at {width} columns: {', '.join(hidden)} — --wide shows every column{picker}"

    def width_of(self, columns: Sequence[int], level: int = 0) -> int:
        natural = self.natural_at(level)
        return sum(natural[i] for i in columns) + _GAP * max(0, len(columns) - 1)

    def build(self, width: int) -> RichTable:
        """The rich table of the columns kept at ``width``, abbreviated as far as they need."""
        keep, level = self.fit(width)
        table = RichTable(
            box=_BOX,
            show_edge=False,
            pad_edge=False,
            padding=(0, 0, 0, 1),
            header_style="bold",
            title=RichText(visible(self.table.title), style="bold") if self.table.title else None,
            caption=RichText(visible(self.table.caption)) if self.table.caption else None,
            collapse_padding=False,
            show_header=self.table.header,
        )
        for index in keep:
            column = self.table.columns[index]
            table.add_column(
                RichText(visible(_title(column, level))),
                justify=column.align,
                no_wrap=not column.wrap,
                overflow="fold" if column.wrap else "ellipsis",
            )
        rules = set(self.table.rules_before)
        for number, row in enumerate(self.table.rows):
            table.add_row(
                *(_cell(_at(row.cells[i], level)) for i in keep if i < len(row.cells)),
                style="bold" if row.total else None,
                end_section=number + 1 in rules,
            )
        return table

    def lines(self, keep: Sequence[int], level: int = 0) -> Iterable[Segment]:
        """The table of the columns ``keep`` at their natural widths, abbreviated to ``level``, line
        by line: what :meth:`build` draws when nothing folds (no edges, two blanks between columns,
        the left one a cell's padding, which a rule covers)."""
        columns = [self.table.columns[i] for i in keep]
        natural = self.natural_at(level)
        widths = [natural[i] for i in keep]
        right = [column.align == "right" for column in columns]
        bold = Style(bold=True)

        def line(cells: Sequence[model.CellValue], lengths: Sequence[int], style: Style | None) -> Iterable[Segment]:
            # consecutive text of one style becomes one segment: a row is a few segments, not one per cell
            parts: list[str] = []
            for number, index in enumerate(keep):
                if number:
                    parts.append("  ")
                cell = cells[index] if index < len(cells) else ""
                cell = visible(cell) if isinstance(cell, str) else cell
                blank = " " * (widths[number] - (lengths[index] if index < len(lengths) else 0))
                if right[number]:
                    parts.append(blank)
                if isinstance(cell, str):
                    parts.append(cell)
                else:
                    for text, name in _pieces(cell):
                        if name and text:
                            yield Segment("".join(parts), style)
                            parts = []
                            yield Segment(text, style + _style(name) if style else _style(name))
                        else:
                            parts.append(text)
                if not right[number]:
                    parts.append(blank)
            yield Segment("".join(parts), style)
            yield Segment.line()

        def rule() -> Iterable[Segment]:
            for number, width in enumerate(widths):
                yield from (Segment(" "), Segment("─" * (width + 1))) if number else (Segment("─" * width),)
            yield Segment.line()

        if self.table.header:
            titles = [_title(c, level) for c in self.table.columns]
            yield from line(titles, [cell_len(t) for t in titles], bold)
            yield from rule()
        rules = set(self.table.rules_before)
        for number, row in enumerate(self.table.rows):
            if number in rules and number:
                yield from rule()
            cells, lengths = row.cells, self.lengths[number]
            if level and self.short:
                cells, lengths = [_at(cell, level) for cell in cells], lengths.copy()
                for i in self.short:
                    if i < len(cells):
                        lengths[i] = cell_len(_plain(cells[i]))
            yield from line(cells, lengths, bold if row.total else None)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        keep, level = self.fit(width)
        plain = not (self.table.title or self.table.caption)
        if plain and len(self.table.rows) > self.FAST_ROWS and self.width_of(keep, level) <= width:
            yield from self.lines(keep, level)
        else:
            yield self.build(width)
        note = self.note(width)
        if note is not None:
            yield RichText(note, style="dim")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.build(options.max_width))


def _text(block: model.Text) -> RenderableType:
    text = block.text.rstrip("\n")
    text = "\n".join(visible(line) for line in text.split("\n"))  # no escape code reaches the terminal
    if block.role == "heading":  # a section: its name, underlined on a terminal
        return RichText(text, style="bold underline")
    if block.role == "title":
        return RichText(text, style="bold")
    if block.role == "status":
        return RichText(text, style="bold green" if block.ok else "bold red" if block.ok is False else "bold")
    return RichText(text)


def _repeated(heading: model.Block, following: model.Block | None) -> bool:
    """A heading whose next block starts with its words (a network's name, then its title line)."""
    return (
        isinstance(heading, model.Text)
        and heading.role == "heading"
        and isinstance(following, model.Text)
        and following.text.startswith(heading.text + " · ")
    )


def blocks(document: model.Document) -> Iterable[RenderableType]:
    """The blocks to draw, a blank line between two; on a terminal a heading that the next line
    repeats is drawn once (Markdown keeps it: it is the section's anchor)."""
    shown = [
        block
        for block, following in zip(document.blocks, [*document.blocks[1:], None], strict=True)
        if not _repeated(block, following)
    ]
    for index, block in enumerate(shown):
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
