"""Deprecated: the renderers of the argparse command line, kept as thin wrappers over
:mod:`dsc_cost.report` (whose ``*_output`` functions the command line calls). Table output is
the rich table as plain text, 100 columns wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .formulas import Comparison
from .report import compare_output, conventions_output, to_text
from .report.documents import as_json, compare_document, compare_json, conv_json, cost_json, shape_json
from .report.explain import explain
from .report.jsontext import RawJSON, json_text
from .report.views import ascii_shape, describe_conv, pair_text

if TYPE_CHECKING:
    from .conventions import Convention, Subject
    from .conventions import Row as ConventionRow

__all__ = [
    "RawJSON", "as_json", "ascii_shape", "compare_csv", "compare_document", "compare_json", "compare_markdown",
    "compare_table", "conv_json", "conventions_csv", "conventions_json", "conventions_markdown",
    "conventions_table", "cost_json", "describe_conv", "explain", "json_text", "pair_text", "shape_json",
]  # fmt: skip

Subjects = Sequence[tuple["Subject", Sequence["ConventionRow"]]]


def _text(value: object) -> str:
    return to_text(value, 100)


def compare_table(c: Comparison, exact: bool = False, flops: bool = False, convention: Convention | None = None) -> str:
    return _text(compare_output(c, "table", exact=exact, flops=flops, convention=convention))


def compare_markdown(
    c: Comparison, exact: bool = False, flops: bool = False, convention: Convention | None = None
) -> str:
    return _text(compare_output(c, "markdown", exact=exact, flops=flops, convention=convention))


def compare_csv(c: Comparison, flops: bool = False, convention: Convention | None = None) -> str:
    return _text(compare_output(c, "csv", flops=flops, convention=convention))


def conventions_table(subjects: Subjects, exact: bool = True) -> str:
    return _text(conventions_output(subjects, "table"))


def conventions_markdown(subjects: Subjects, exact: bool = True) -> str:
    return _text(conventions_output(subjects, "markdown"))


def conventions_json(subjects: Subjects) -> str:
    return _text(conventions_output(subjects, "json"))


def conventions_csv(subjects: Subjects) -> str:
    return _text(conventions_output(subjects, "csv"))
