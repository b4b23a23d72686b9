"""The format-neutral report: what a command shows, not how.

A :class:`Document` is a sequence of blocks: :class:`Text` (a heading, a title, a paragraph, a
block of preformatted lines) and :class:`Table`. A table has :class:`Column` values (title,
alignment, how important the column is when space runs short, whether its cells may wrap) and
rows of cells; a rule may set rows apart (the totals). A cell is a string, or a :class:`Cell`
that says more (an indent, a share drawn as a bar). Writers turn a document into one format:
:mod:`~dsc_cost.report.rich_writer` (a terminal), :mod:`~dsc_cost.report.markdown`; the CSV
writer takes a :class:`Table` of raw values. Nothing here knows about formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "right"]
Role = Literal["heading", "title", "paragraph", "code", "status"]
Tone = Literal["good", "bad", "neutral"]


@dataclass(frozen=True)
class Column:
    """A column: its title, its alignment, and how it behaves when space runs short.

    ``priority``: 0 for a column that is never dropped; otherwise, when a table is too wide for
    its page, the columns of lowest priority go first. ``wrap``: its cells are text that may fold
    onto several lines (names); ``False`` for numbers and anything else that must stay on one line.
    ``short``: its title abbreviated, shorter and shorter, for a table that abbreviates its cells
    (:attr:`Cell.short`) before it drops a column.
    """

    title: str
    align: Align = "left"
    priority: int = 0
    wrap: bool = False
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A cell that says more than its text: ``indent`` levels (flat in Markdown), or a share of a
    whole (``part`` of ``largest``) that a terminal draws as a bar after the text, or a verdict's
    ``tone`` (good, bad or neutral) that a terminal may colour. ``short``: the text abbreviated, shorter
    and shorter (``3×224×224→32×112×112``, then ``32×112×112``), which a table too wide for its page
    shows before it drops a column."""

    text: str
    indent: int = 0
    part: int | None = None
    largest: int | None = None
    tone: Tone | None = None
    short: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text


CellValue = str | Cell


@dataclass(frozen=True)
class Row:
    """A row of cells, one per column; ``total``: a row of totals (set apart from the rows above)."""

    cells: Sequence[CellValue]
    total: bool = False


@dataclass(frozen=True)
class Table:
    """A table; a rule is drawn before the rows whose index is in ``rules_before``. ``header``:
    whether the column titles are shown (a list of verdicts reads well without). ``picker``: the
    option that picks its columns, if one does (``--columns``), which a table too wide for its page
    names under it beside the columns it hid."""

    columns: Sequence[Column]
    rows: Sequence[Row]
    rules_before: Sequence[int] = ()
    title: str | None = None
    caption: str | None = None
    header: bool = True
    picker: str | None = None


@dataclass(frozen=True)
class Text:
    """A block of text: a ``heading`` (a section), a ``title`` (what a table is of), a ``paragraph``,
    ``code`` (preformatted lines, kept as they are) or a ``status`` line (a verdict)."""

    text: str
    role: Role = "paragraph"
    ok: bool | None = None  # of a status: passed or failed


Block = Table | Text


@dataclass(frozen=True)
class Document:
    """What a command shows, block after block."""

    blocks: Sequence[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    """Raw values for a CSV file: a header and rows of strings and numbers."""

    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} | {
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\x0a``): a name
    shown on a terminal or in a log cannot colour it, move its cursor or start a line of its own.

    >>> visible("x\\x1b[31mRED"), visible("a\\n::error::b")
    ('x\\\\x1b[31mRED', 'a\\\\x0a::error::b')
    """
    return text.translate(_CONTROLS) if not text.isprintable() else text
