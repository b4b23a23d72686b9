"""What ``dsc-cost check`` says: a phrase per check, the report as a document (a table of
checks and a verdict) and as GitHub Actions annotations."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from .. import units
from ..check import BaselineCheck, Check, LimitCheck, Metric, Report
from .model import Cell, Column, Document, Row, Table, Text, Tone, visible

_NAMES: dict[Metric, str] = {
    "params": "params",
    "mults": "mults",
    "flops": "FLOPs",
    "savings_vs_standard": "savings vs standard",
    "weight_bytes": "weight bytes",
    "peak_memory": "peak memory",
    "latency": "latency",
}

NO_LIMITS = (
    "no limits: no budget: block, no --max-params, --max-mults, --max-flops, --min-savings-vs-standard,"
    " --max-weight-bytes, --max-peak-memory or --max-latency"
)


def _tenths(fraction: Fraction) -> str:
    """``|fraction|`` as a percentage with one decimal, rounded half up; ``<0.1`` when it rounds to 0."""
    if abs(fraction) >= units.SCIENTIFIC_FROM:
        return units.scientific(abs(fraction) * 100, 4)
    tenths = int((abs(fraction) * 1000 * 2 + 1) // 2)
    if tenths == 0 and fraction:
        return "<0.1"
    return f"{tenths // 10}.{tenths % 10}"


def _pair(value: int, limit: int) -> tuple[str, str]:
    """Short forms of a count and its limit; exact digits where a short form would hide a difference."""
    short_value, short_limit = units.short(value), units.short(limit)
    try:
        limit_shown = units.parse_count(short_limit)
    except units.NumberError:  # 1e1000: more than a count people write
        limit_shown = None
    if (short_value == short_limit and value != limit) or limit_shown != limit:
        return units.exact(value), units.exact(limit)
    return short_value, short_limit


def _limit_phrase(check: LimitCheck) -> str:
    margin = check.margin
    if check.metric == "savings_vs_standard":
        value, limit = units.percent_of(Fraction(check.value)), units.percent_of(Fraction(check.limit))
        room = "at the limit" if margin == 0 else f"{_tenths(margin)} points {'headroom' if margin > 0 else 'short'}"
        return f"{_NAMES[check.metric]} {value} / min {limit} ({room})"
    room = "at the limit" if margin == 0 else f"{_tenths(margin)}% {'headroom' if margin > 0 else 'over'}"
    if check.metric == "latency":
        value, limit = units.seconds(Fraction(check.value)), units.seconds(Fraction(check.limit))
    elif check.metric in ("weight_bytes", "peak_memory"):
        value, limit = units.byte_count(int(check.value)), units.byte_count(int(check.limit))
        if value == limit and check.value != check.limit:
            value, limit = units.byte_count(int(check.value), True), units.byte_count(int(check.limit), True)
    else:
        value, limit = _pair(int(check.value), int(check.limit))
    return f"{_NAMES[check.metric]} {value} / {limit} ({room})"


def _growth(growth: Fraction | None) -> str:
    if growth is None:
        return "from 0"
    text = units.percent_of(abs(growth))
    text = "<0.01%" if text == "0%" and growth else text
    return ("+" if growth >= 0 else "-") + text


def _baseline_phrase(check: BaselineCheck) -> str:
    before, after = units.exact(check.before), units.exact(check.after)
    if check.delta == 0:
        return f"{check.metric} unchanged at {after}"
    if check.delta < 0:
        return f"{check.metric} fell {before} → {after} (-{units.exact(-check.delta)}, {_growth(check.growth)})"
    tolerance = units.percent_of(check.tolerance)
    delta = f"+{units.exact(check.delta)}, {_growth(check.growth)}; tolerance {tolerance}"
    return f"{check.metric} grew {before} → {after} ({delta})"


def phrase(check: Check, update: bool = False) -> str:
    """What one check found, e.g. ``mults 568.7M / 600M (5.2% headroom)``."""
    if isinstance(check, LimitCheck):
        return _limit_phrase(check)
    if isinstance(check, BaselineCheck):
        return _baseline_phrase(check)
    if update:
        return f"not in the baseline {check.baseline}: added"
    return f"not in the baseline {check.baseline} (add it with --update-baseline)"


def title(check: Check) -> str:
    """A failure's title, e.g. ``mults over budget``."""
    if isinstance(check, LimitCheck):
        name = _NAMES[check.metric]
        return f"{name} below budget" if check.metric == "savings_vs_standard" else f"{name} over budget"
    if isinstance(check, BaselineCheck):
        return f"{check.metric} grew beyond the baseline"
    return "not in the baseline"


def _status(report: Report, check: Check) -> str:
    return "FAIL" if report.failed(check) else "accept" if report.accepted(check) else "ok"


def rows(report: Report) -> list[tuple[str, str, str, Check | None]]:
    """``(status, network, what was found, check)``: failures first, then passes, then networks
    without checks (``skip``, no check)."""
    ordered = [c for c in report.checks if report.failed(c)] + [c for c in report.checks if not report.failed(c)]
    lines: list[tuple[str, str, str, Check | None]] = [
        (_status(report, c), c.where.network, phrase(c, report.update), c) for c in ordered
    ]
    return lines + [("skip", w.network, NO_LIMITS, None) for w in report.unchecked()]


def summary(report: Report) -> str:
    """The verdict: ``FAIL: 1 network, 3 checks: 2 passed, 1 failed``, and what became of the baseline."""
    failed = len(report.failures)
    accepted = sum(report.accepted(c) for c in report.checks)
    count = len(report.networks)
    parts = [f"{len(report.checks) - failed - accepted} passed"]
    parts += [f"{failed} failed"] if failed else []
    parts += [f"{accepted} accepted"] if accepted else []
    unchecked = len(report.unchecked())
    parts += [f"{unchecked} network{'s' * (unchecked != 1)} without limits"] if unchecked else []
    checks = len(report.checks)
    text = f"{'FAIL' if failed else 'ok'}: {count} network{'s' * (count != 1)}, {checks} check{'s' * (checks != 1)}: "
    text += ", ".join(parts)
    if report.update and report.baseline is not None:
        baseline = visible(report.baseline)
        if report.writes_baseline:
            text += f"\nbaseline {baseline} updated ({count} network{'s' * (count != 1)})"
        else:
            text += f"\nbaseline {baseline} not updated: a limit is exceeded"
    return text


def check_view(report: Report) -> Document:
    """A row per check, failures first (status, network, what was found), then the verdict."""
    columns = [Column("status"), Column("network", wrap=True), Column("found", wrap=True)]
    tones: dict[str, Tone] = {"FAIL": "bad", "ok": "good", "accept": "neutral", "skip": "neutral"}
    body = [Row([Cell(status, tone=tones[status]), name, text]) for status, name, text, _ in rows(report)]
    table = Table(columns, body, header=False)
    verdict = Text(summary(report), "status", ok=not report.failures)
    return Document([table, verdict] if report.checks or report.networks else [verdict])


def _escape(text: str, property_: bool = False) -> str:
    """Escape a GitHub Actions workflow command's message, or (``property_``) a property value."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_ else text


def _plain_lines(report: Report, annotate: Callable[[Check], str]) -> list[str]:
    all_rows = rows(report)
    shown = [row for row in all_rows if row[3] is None or not report.failed(row[3])]
    status_width = max((len(row[0]) for row in shown), default=0)
    name_width = max((len(visible(row[1])) for row in shown), default=0)
    lines = []
    for status, name, text, check in all_rows:
        if check is not None and report.failed(check):
            lines.append(annotate(check))
        else:
            lines.append(f"{status:<{status_width}}  {visible(name):<{name_width}}  {visible(text)}".rstrip())
    return [*lines, "", summary(report)]


def github_text(report: Report) -> str:
    """Each failure as a GitHub Actions ``::error`` workflow command that points at the limit's
    line of the spec (a flag's limit: the ``budget:`` block, or the network's first line), so that
    it annotates the pull request; the rest of the report as plain lines."""
    from ..readers.yamltext import Positions

    files: dict[str, Positions] = {}  # each file's text is read for positions once, when first needed

    def annotate(check: Check) -> str:
        where = check.where
        properties = []
        if where.file in report.texts and where.file != "-":
            if where.file not in files:
                files[where.file] = Positions(report.texts[where.file], where.file)
            line, column = files[where.file].at(where.document, where.path)
            properties += [f"file={_escape(where.file, True)}", f"line={line}", f"col={column}"]
        properties.append(f"title={_escape(f'{where.network}: {title(check)}', True)}")
        return f"::error {','.join(properties)}::{_escape(f'{where.network}: {phrase(check, report.update)}')}"

    return "\n".join(_plain_lines(report, annotate)) + "\n"


# ---------------------------------------------------------------- a job summary


def _margin_text(check: LimitCheck) -> str:
    margin = check.margin
    if margin == 0:
        return "at the limit"
    if check.metric == "savings_vs_standard":
        return f"{_tenths(margin)} points {'headroom' if margin > 0 else 'short'}"
    return f"{_tenths(margin)}% {'headroom' if margin > 0 else 'over'}"


def _limit_values(check: LimitCheck) -> tuple[str, str]:
    if check.metric == "savings_vs_standard":
        return units.percent_of(Fraction(check.value)), f"min {units.percent_of(Fraction(check.limit))}"
    return _pair(int(check.value), int(check.limit))


def summary_markdown(report: Report) -> str:
    """The report as Markdown for a GitHub job summary (``$GITHUB_STEP_SUMMARY``): the verdict, a table of
    the limits (total, limit, margin left and where the limit came from) and one of the changes against the
    baseline (before, after, change, tolerance)."""
    from ..check import MissingCheck
    from .markdown import cell_text, table_text

    status = {check: _status(report, check) for check in report.checks}
    limits = [c for c in report.checks if isinstance(c, LimitCheck)]
    baseline = [c for c in report.checks if not isinstance(c, LimitCheck)]
    verdict = "FAIL" if report.failures else "ok"
    lines = [cell_text(line) for line in summary(report).split("\n")]
    parts = [f"### dsc-cost check: {verdict}\n", "  \n".join(lines)]
    if limits:
        columns = [Column("status"), Column("network"), Column("limit"), Column("total", "right"),
                   Column("limit", "right"), Column("margin", "right"), Column("from")]  # fmt: skip
        rows = []
        for limit_check in limits:
            value, limit = _limit_values(limit_check)
            margin = _margin_text(limit_check)
            name = _NAMES[limit_check.metric]
            rows.append(Row([status[limit_check], limit_check.where.network, name, value, limit, margin,
                             limit_check.source]))  # fmt: skip
        parts += ["", "**Budgets**", "", table_text(Table(columns, rows)).rstrip("\n")]
    if baseline:
        columns = [Column("status"), Column("network"), Column("total"), Column("before", "right"),
                   Column("after", "right"), Column("change", "right")]  # fmt: skip
        rows = []
        for c in baseline:
            if isinstance(c, MissingCheck):
                rows.append(Row([status[c], c.where.network, "—", "—", "—", "not in the baseline"]))
                continue
            assert isinstance(c, BaselineCheck)
            change = "0" if c.delta == 0 else f"{'+' if c.delta > 0 else '-'}{units.exact(abs(c.delta))}"
            change += f" ({_growth(c.growth)})" if c.delta else ""
            rows.append(
                Row([status[c], c.where.network, c.metric, units.exact(c.before), units.exact(c.after), change])
            )
        tolerance = units.percent_of(report.tolerance)
        title = f"**Baseline** {cell_text(report.baseline or '')} (tolerance {tolerance})"
        parts += ["", title, "", table_text(Table(columns, rows)).rstrip("\n")]
    unchecked = report.unchecked()
    if unchecked:
        names = ", ".join(cell_text(w.network) for w in unchecked)
        parts += ["", f"Without limits: {names}."]
    return "\n".join(parts) + "\n\n"
