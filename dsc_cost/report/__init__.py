"""What each command prints, in the format asked for.

Every function returns either a ``str`` (written to standard output as it is) or a rich
renderable (printed with a :class:`rich.console.Console`); the command line handles both.
Today every format is text made by :mod:`dsc_cost.render`, :mod:`dsc_cost.render_network`
and :func:`dsc_cost.check.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..check import Report
    from ..conventions import Convention, Subject
    from ..conventions import Row as ConventionRow
    from ..formulas import Comparison
    from ..network import NetworkCost
    from ..variants import Variant

__all__ = ["check_output", "compare_output", "conventions_output", "network_output", "sweep_output"]


def compare_output(
    result: Comparison, fmt: str, *, exact: bool, flops: bool, convention: Convention | None, explain: bool
) -> object:
    """``dsc-cost compare``: one convolution, standard versus separable (``explain``: with the derivation)."""
    from .. import render

    explanation = render.explain(result) if explain else None
    if fmt == "json":
        return render.compare_json(result, flops, explanation, convention)
    if fmt == "csv":
        return render.compare_csv(result, flops, convention)
    if fmt == "markdown":
        text = render.compare_markdown(result, exact, flops, convention)
        return text + (f"\n```text\n{explanation}```\n" if explanation else "")
    text = render.compare_table(result, exact, flops, convention)
    return text + ("\n" + explanation if explanation else "")


def network_output(
    results: Sequence[NetworkCost],
    fmt: str,
    *,
    exact: bool,
    flops: bool,
    convention: Convention | None,
    files: Sequence[str],
) -> object:
    """``dsc-cost network``: every layer of every network (``files``: where each network was read from)."""
    from .. import render_network as render

    if fmt == "json":
        return render.network_json(results, flops, list(files), convention)
    if fmt == "csv":
        return render.network_csv(results, flops, convention)
    if fmt == "markdown":
        return render.network_markdown(results, exact, flops, convention)
    return render.network_table(results, exact, flops, convention)


def sweep_output(variants: Sequence[Variant], fmt: str, *, exact: bool) -> object:
    """``dsc-cost sweep``: one row per width × resolution variant."""
    from .. import render_network as render

    if fmt == "json":
        return render.sweep_json(variants)
    if fmt == "csv":
        return render.sweep_csv(variants)
    return (render.sweep_markdown if fmt == "markdown" else render.sweep_table)(variants, exact)


def conventions_output(table: Sequence[tuple[Subject, Sequence[ConventionRow]]], fmt: str) -> object:
    """``dsc-cost conventions``: a row per tool for each subject."""
    from .. import render

    if fmt == "json":
        return render.conventions_json(table)
    if fmt == "csv":
        return render.conventions_csv(table)
    return (render.conventions_markdown if fmt == "markdown" else render.conventions_table)(table)


def check_output(report: Report, fmt: str) -> object:
    """``dsc-cost check``: the verdict of every limit, as text, JSON or GitHub annotations."""
    from .. import check

    return check.render(report, fmt)
