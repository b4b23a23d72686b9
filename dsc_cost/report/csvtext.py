"""The CSV writer: a :class:`~dsc_cost.report.model.Grid` as RFC 4180 CSV (the csv module)."""

from __future__ import annotations

import csv
import io
import re

from .. import units
from .model import Grid

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """A cell that a spreadsheet will not run: text beginning with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return gets a leading ``'`` (OWASP's advice against CSV injection). Numbers, and
    text that is a plain decimal number such as ``-0.25``, are left alone.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-conv"), safe_cell("-0.25"), safe_cell(-3), safe_cell("a=b")
    ("'=HYPERLINK(1)", "'-conv", '-0.25', -3, 'a=b')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(grid: Grid) -> str:
    """The header and every row, ``\\n`` line ends."""
    for row in grid.rows:
        for header, cell in zip(grid.headers, row, strict=False):
            if isinstance(cell, int) and not isinstance(cell, bool) and not units.writable(cell):
                raise units.TooLarge(
                    f"value too large: {header} has more than {units.max_digits():,} digits, the most CSV is"
                    " written with (counts there are exact)"
                )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in grid.headers])
    writer.writerows([safe_cell(cell) for cell in row] for row in grid.rows)
    return buffer.getvalue()
