"""Every command's output, in every format: one entry point per command.

``fmt`` is ``table``, ``json``, ``csv`` or ``markdown`` (``check``: ``text``, ``json`` or
``github``). ``table`` and ``text`` give a rich renderable for a :class:`rich.console.Console` to
print (it fits the width it is printed at: see :mod:`~dsc_cost.report.rich_writer`); every other
format gives the exact text to write. The domain values come in; nothing here prints, reads
files or decides anything. Modules are imported inside the functions, so that ``--format json``
imports neither rich nor the Markdown or CSV writers.

The layers: :mod:`.model` (a format-neutral document: text blocks and tables of columns, rows
and rules), :mod:`.views` and :mod:`.checks` (each command's document), and one writer per
format: :mod:`.rich_writer`, :mod:`.markdown`, :mod:`.csvtext`, :mod:`.jsontext` (with the JSON
documents of :mod:`.documents`) and :func:`.checks.github_text` (GitHub Actions annotations).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..check import Report
    from ..comparison import Comparison
    from ..conventions import Convention, Subject
    from ..conventions import Row as ConventionRow
    from ..devices import Device
    from ..memory import Settings
    from ..network import NetworkCost
    from ..runtime.measure import Measured
    from ..variants import Variant
    from .model import Document

__all__ = [
    "CHECK_FORMATS",
    "FORMATS",
    "check_output",
    "compare_output",
    "conventions_output",
    "devices_output",
    "network_output",
    "sweep_output",
    "to_text",
]

FORMATS = ("table", "json", "csv", "markdown")
"""The formats of every command that prints costs."""
CHECK_FORMATS = ("text", "json", "github")
"""The formats of ``check``."""


def _unknown(fmt: str, formats: Sequence[str]) -> ValueError:
    return ValueError(f"unknown format {fmt!r}: expected one of {', '.join(formats)}")


def _drawn(document: Document, fmt: str) -> str | RenderableType:
    if fmt == "markdown":
        from .markdown import markdown

        return markdown(document)
    from .rich_writer import renderable

    return renderable(document)


def compare_output(
    result: Comparison,
    fmt: str,
    *,
    exact: bool = False,
    flops: bool = False,
    convention: Convention | None = None,
    explain: bool = False,
    settings: Settings | None = None,
) -> str | RenderableType:
    """``dsc-cost compare``: the table (with ``explain``, the derivation below it), or the JSON
    document (``explain``: with an ``"explain"`` list of lines), or CSV (no derivation: a
    :class:`ValueError`)."""
    if fmt == "json":
        from .documents import compare_json

        derivation = None
        if explain:
            from .explain import explain as derive

            derivation = derive(result)
        return compare_json(result, flops, derivation, convention, settings)
    if fmt == "csv":
        if explain:
            raise ValueError("--explain: not available with --format csv (use table, markdown or json)")
        from .csvtext import csv_text
        from .views import compare_grid

        return csv_text(compare_grid(result, flops, convention, settings))
    if fmt not in FORMATS:
        raise _unknown(fmt, FORMATS)
    from .views import compare_view

    return _drawn(compare_view(result, exact, flops, convention, explain, settings), fmt)


def network_output(
    results: Sequence[NetworkCost],
    fmt: str,
    *,
    exact: bool = False,
    flops: bool = False,
    convention: Convention | None = None,
    files: Sequence[str] | None = None,
    settings: Settings | None = None,
    explain: bool = False,
    columns: Sequence[str] | None = None,
) -> str | RenderableType:
    """``dsc-cost network``: per network the layer table, the what-if summary and the by-kind
    table, then a summary of all networks; JSON names each network's ``files`` entry. ``columns``: the
    per-layer columns of the table, Markdown and CSV, by name (:mod:`.columns`; JSON keeps them all). JSON always
    has every layer's bytes and the peak activation memory (at ``settings``' dtypes); the other formats
    show them when ``settings`` say so; with a device, the roofline times too. ``explain``: which layers
    make separable pairs and why a depthwise layer makes none (JSON: an ``"explain"`` list of lines per
    network; CSV: a :class:`ValueError`)."""
    if fmt == "json":
        from .documents import network_json

        return network_json(results, flops, files, convention, settings, explain)
    if fmt == "csv":
        if explain:
            raise ValueError("--explain: not available with --format csv (use table, markdown or json)")
        from .csvtext import csv_text
        from .views import network_grid

        return csv_text(network_grid(results, flops, convention, settings, columns))
    if fmt not in FORMATS:
        raise _unknown(fmt, FORMATS)
    from .views import network_view

    return _drawn(network_view(results, exact, flops, convention, settings, explain, columns), fmt)


def sweep_output(variants: Sequence[Variant], fmt: str, *, exact: bool = False) -> str | RenderableType:
    """``dsc-cost sweep``: a row per variant."""
    if fmt == "json":
        from .documents import sweep_json

        return sweep_json(variants)
    if fmt == "csv":
        from .csvtext import csv_text
        from .views import sweep_grid

        return csv_text(sweep_grid(variants))
    if fmt not in FORMATS:
        raise _unknown(fmt, FORMATS)
    from .views import sweep_view

    return _drawn(sweep_view(variants, exact), fmt)


def conventions_output(table: Sequence[tuple[Subject, Sequence[ConventionRow]]], fmt: str) -> str | RenderableType:
    """``dsc-cost conventions``: per subject, a row per tool (exact digits in table and Markdown)."""
    if fmt == "json":
        from .documents import conventions_json

        return conventions_json(table)
    if fmt == "csv":
        from .csvtext import csv_text
        from .views import conventions_grid

        return csv_text(conventions_grid(table))
    if fmt not in FORMATS:
        raise _unknown(fmt, FORMATS)
    from .views import conventions_view

    return _drawn(conventions_view(table), fmt)


def devices_output(devices: Sequence[Device], fmt: str) -> str | RenderableType:
    """``dsc-cost devices``: a row per device profile."""
    if fmt == "json":
        from .documents import devices_json

        return devices_json(devices)
    if fmt == "csv":
        from .csvtext import csv_text
        from .views import devices_grid

        return csv_text(devices_grid(devices))
    if fmt not in FORMATS:
        raise _unknown(fmt, FORMATS)
    from .views import devices_view

    return _drawn(devices_view(devices), fmt)


def measure_output(results: Sequence[Measured], fmt: str) -> str | RenderableType:
    """``dsc-cost measure``: measured beside predicted, per network and per layer (:mod:`.measured`)."""
    from .measured import measure_grid, measure_json, measure_view

    if fmt == "json":
        return measure_json(results)
    if fmt == "csv":
        from .csvtext import csv_text

        return csv_text(measure_grid(results))
    if fmt not in FORMATS:
        raise _unknown(fmt, FORMATS)
    return _drawn(measure_view(results), fmt)


def check_output(report: Report, fmt: str) -> str | RenderableType:
    """``dsc-cost check``: ``text`` (a table of checks and the verdict), ``json`` or ``github``
    (failures as GitHub Actions ``::error`` commands, the rest as plain lines)."""
    if fmt == "json":
        from .documents import check_json

        return check_json(report)
    if fmt == "github":
        from .checks import github_text

        return github_text(report)
    if fmt != "text":
        raise _unknown(fmt, CHECK_FORMATS)
    from .checks import check_view
    from .rich_writer import renderable

    return renderable(check_view(report))


def to_text(renderable: Any, width: int = 100) -> str:
    """A renderable (or a string, returned as it is) as plain text ``width`` columns wide, with no
    colour and no escape codes: for tests and docs."""
    if isinstance(renderable, str):
        return renderable
    from .rich_writer import to_text as plain

    return plain(renderable, width)
