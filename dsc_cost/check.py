"""Cost budgets and baselines: what ``dsc-cost check`` decides, and its reports.

A network passes when its totals are within every limit that applies to it, and, given
a baseline, when its params and mults did not grow beyond the tolerance. Limits come
from the network's ``budget:`` block and from the command line; a flag overrides the
file for every network checked:

* ``max_params``, ``max_mults``, ``max_flops``: upper bounds on the totals (FLOPs = 2 × mults);
* ``min_savings_vs_standard``: a lower bound on the fraction of mults the network saves against
  its all-standard what-if, ``1 − mults / mults as standard``
  (:func:`~dsc_cost.savings.savings_vs_standard`); ``min_savings`` is its deprecated alias;
* ``max_weight_bytes``, ``max_peak_memory``: upper bounds on the weights' bytes and the peak
  activation memory (:func:`~dsc_cost.memory.network_memory`, at the dtypes asked for: fp32 by default);
* ``max_latency``: an upper bound on the roofline time on the device asked for (a device is needed).

A baseline is what ``dsc-cost network FILE... --format json`` prints; networks are matched
by name. Everything here is pure but :func:`load`, :func:`read_baseline` and
:func:`write_atomically`, which read and write files; nothing prints, and what a report says
is :func:`dsc_cost.report.check_output`'s business.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Literal

from . import units
from .errors import Located, SpecError
from .files import Terminated as Terminated  # re-exported: what a baseline write raises
from .files import read_at_most
from .formulas import Cost, DscCostError
from .memory import NetworkMemory, Settings
from .network import NetworkCost
from .readers.bounds import DEFAULT_BOUNDS, Bounds
from .readers.spec.costing import cost_specs
from .readers.spec.load import load_files
from .readers.spec.model import Spec
from .readers.yamltext import Positions, describe
from .savings import savings_vs_standard

LIMIT_KEYS = (
    "max_params", "max_mults", "max_flops", "min_savings_vs_standard", "max_weight_bytes", "max_peak_memory",
    "max_latency",
)  # fmt: skip
"""The keys of a ``budget:`` block, in the order limits are checked and reported."""

ALIASES = {"min_savings": "min_savings_vs_standard"}
"""Deprecated keys of a ``budget:`` block and the keys they stand for."""

Metric = Literal["params", "mults", "flops", "savings_vs_standard", "weight_bytes", "peak_memory", "latency"]
_METRIC: dict[str, Metric] = {
    "max_params": "params",
    "max_mults": "mults",
    "max_flops": "flops",
    "min_savings_vs_standard": "savings_vs_standard",
    "max_weight_bytes": "weight_bytes",
    "max_peak_memory": "peak_memory",
    "max_latency": "latency",
}
MEMORY_METRICS = ("weight_bytes", "peak_memory", "latency")
"""The metrics measured on :func:`~dsc_cost.memory.network_memory`."""


class BaselineError(DscCostError):
    """A baseline file that cannot be read, is not a baseline, or cannot be written."""


class CheckError(DscCostError):
    """Networks that cannot be checked as asked (two of one name against a baseline)."""


# ---------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """Upper bounds on the totals and a lower bound on the mults saved; ``None``: no limit."""

    max_params: int | None = None
    max_mults: int | None = None
    max_flops: int | None = None
    min_savings_vs_standard: Fraction | None = None
    max_weight_bytes: int | None = None
    max_peak_memory: int | None = None
    max_latency: Fraction | None = None


def parse_limit(key: str, raw: object) -> int | Fraction:
    """One value of a ``budget:`` block, as YAML or JSON delivers it (int, float or string).

    >>> parse_limit("max_mults", "600M"), parse_limit("max_params", 750_000), parse_limit("max_flops", 1.2e9)
    (600000000, 750000, 1200000000)
    >>> parse_limit("min_savings_vs_standard", 0.8)
    Fraction(4, 5)

    :raises units.NumberError: when the value is not a limit of its kind.
    """
    key = ALIASES.get(key, key)
    parsers: dict[str, Callable[[str], int | Fraction]] = {
        "min_savings_vs_standard": units.parse_fraction,
        "max_weight_bytes": units.parse_bytes,
        "max_peak_memory": units.parse_bytes,
        "max_latency": units.parse_seconds,
    }
    parse = parsers.get(key, units.parse_count)
    if isinstance(raw, float):
        text = _float_text(raw)
    elif isinstance(raw, int | str) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = ""  # true, null, a list: refused with the same message as any other non-number
    return parse(text)


_TRUSTED_DIGITS = 15
"""A float of at most this many significant digits is exactly the decimal it was written as."""


def _float_text(raw: float) -> str:
    """The decimal a YAML or JSON float was written as, in plain digits (``1e-05`` → ``0.00001``).

    Its shortest text (``repr``) is that decimal when it has at most 15 significant digits (any
    such decimal survives the trip through a float); one of more digits was rounded on the way in.

    :raises units.NumberError: for an infinite float or one that may not be what was written.
    """
    from decimal import Decimal

    if not math.isfinite(raw):
        raise units.NumberError(
            "a finite number", repr(raw), ' (too large for a float: write it as text, such as "1e999")'
        )
    value = Decimal(repr(raw))
    if len(value.as_tuple().digits) > _TRUSTED_DIGITS:
        raise units.NumberError(
            "a number that a float holds exactly",
            repr(raw),
            f" (a float of more than {_TRUSTED_DIGITS} significant digits is not the number written: "
            'write an integer, or text such as "12345678901234567890" or "1.2e19")',
        )
    plain = f"{value:f}"
    return plain if len(plain) <= 64 else repr(raw)  # 1e+300: a count in scientific notation


def parse_budget(budget: Mapping[Any, Any] | None) -> tuple[Limits, list[tuple[Any, str]]]:
    """The limits of a ``budget:`` block, and its problems as ``(key, message)``.

    ``min_savings`` stands for ``min_savings_vs_standard``; a budget with both is refused at the second.

    >>> parse_budget({"max_params": "4.5M", "max_peak_memory": "2MiB", "max_latency": "3ms"})[0]  # doctest: +ELLIPSIS
    Limits(max_params=4500000, ..., max_peak_memory=2097152, max_latency=Fraction(3, 1000))
    >>> for key, message in parse_budget({"max_mult": "600M", "max_params": "4.5"})[1]:
    ...     print(f"{key}: {message}")  # doctest: +ELLIPSIS
    max_mult: unknown key: expected one of max_params, max_mults, max_flops, min_savings_vs_standard, ...
    max_params: expected a whole count, found '4.5'
    """
    values: dict[str, Any] = {}
    given: dict[str, Any] = {}  # the key of the file each limit came from
    problems: list[tuple[Any, str]] = []
    for key, raw in (budget or {}).items():
        name = ALIASES.get(key, key) if isinstance(key, str) else key
        if name not in LIMIT_KEYS:
            problems.append((key, f"unknown key: expected one of {', '.join(LIMIT_KEYS)}"))
            continue
        if name in given:
            problems.append((key, f"duplicate limit: {key} is {given[name]} by another name; give one of them"))
            continue
        given[name] = key
        try:
            values[name] = parse_limit(name, raw)
        except units.NumberError as error:
            problems.append((key, f"expected {error.expected}, found {describe(raw)}{error.note}"))
    return Limits(**values), problems


# ---------------------------------------------------------------- networks to check


@dataclass(frozen=True)
class Target:
    """A network to check: its spec (with the text it was read from), what it costs (batch 1), its budget."""

    spec: Spec
    cost: NetworkCost
    budget: Limits

    @property
    def name(self) -> str:
        return self.spec.network.name


def load(
    paths: Iterable[str],
    stdin: Callable[[], bytes] | None = None,
    warn: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    onnx: Any = None,
    variants: Iterable[str] = (),
    params: Mapping[str, object] | None = None,
) -> list[Target]:
    """Every network of every spec file, costed, with its budget.

    :raises SpecError: listing every problem found, each at its file, line and column: first
        those that keep a file from being read as specs; else every bad budget value and every
        layer whose input does not fit it, together.
    """
    specs = load_files(paths, stdin, warn, bounds=bounds, onnx=onnx, variants=variants, params=params)
    budgets: list[Limits] = []
    problems: list[Located] = []
    for spec in specs:
        budget, bad = parse_budget(spec.budget)
        budgets.append(budget)
        for key, message in bad:
            unknown = message.startswith(("unknown key", "duplicate limit"))  # at the key, as the spec loader does
            positions = spec.positions or Positions(spec.text, spec.file)
            line, column = positions.at(spec.document, ("budget", key), at_key=unknown)
            problems.append(Located(spec.file, line, column, "", f"budget.{key}", message))
    try:
        costs = cost_specs(specs)
    except SpecError as error:
        files = list(dict.fromkeys(spec.file for spec in specs))
        problems = sorted(problems + error.problems, key=lambda p: (files.index(p.file), p.line, p.column))
        raise SpecError(problems) from None
    if problems:
        raise SpecError(problems)
    return [Target(spec, cost, budget) for spec, cost, budget in zip(specs, costs, budgets, strict=True)]


def measure(cost: NetworkCost, metric: Metric, memory: NetworkMemory | None = None) -> int | Fraction:
    """The total a limit bounds: params, mults, FLOPs (2 × mults), the fraction of mults
    saved against all-standard (``1 − mults / mults as standard``; 0 for a network without mults),
    or from ``memory``: the weights' bytes, the peak activation memory, the roofline seconds."""
    if metric == "savings_vs_standard":
        return savings_vs_standard(cost.total, cost.standard).mults
    if metric in MEMORY_METRICS:
        assert memory is not None
        if metric == "weight_bytes":
            return memory.weight_bytes
        if metric == "peak_memory":
            return memory.peak_bytes
        assert memory.roofline is not None
        return memory.roofline.seconds
    return {"params": cost.total.params, "mults": cost.total.mults, "flops": cost.total.flops}[metric]


# ---------------------------------------------------------------- baselines


@dataclass(frozen=True)
class Baseline:
    """The totals (one sample) of each network of a baseline file, by name."""

    file: str
    networks: Mapping[str, Cost]


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def baseline_from(document: object, file: str) -> Baseline:
    """The baseline in a parsed ``dsc-cost network --format json`` document.

    :raises BaselineError: when it is not one, naming what is wrong.
    """

    def bad(detail: str) -> BaselineError:
        return BaselineError(
            f"{file}: not a baseline: expected what 'dsc-cost network FILE... --format json' prints, {detail}"
        )

    networks = document.get("networks") if isinstance(document, dict) else None
    if not isinstance(networks, list):
        raise bad("found no list of networks")
    totals: dict[str, Cost] = {}
    for index, item in enumerate(networks):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            raise bad(f"but networks[{index}] has no name")
        where = f"networks[{index}] ({name})"
        counts = item.get("totals")
        if not (isinstance(counts, dict) and _whole(counts.get("params")) and _whole(counts.get("mults"))):
            raise bad(f"but {where} has no whole totals.params and totals.mults")
        if item.get("batch", 1) != 1:
            raise bad(f"but {where} was costed with batch {describe(item.get('batch'))}: write it without --batch")
        if name in totals:
            raise bad(f"but {where}: the name appears twice, and networks are matched by name")
        totals[name] = Cost(counts["params"], counts["mults"])
    return Baseline(file, totals)


BASELINE_MAX_BYTES = 32 * 1024 * 1024
"""The largest baseline file read (32 MB; 100,000 networks take about 15 MB)."""


def read_baseline(path: str, missing_ok: bool = False, max_bytes: int = BASELINE_MAX_BYTES) -> Baseline | None:
    """The baseline in the file ``path``; ``None`` when there is none and ``missing_ok``.

    :raises BaselineError: when the file cannot be read, is larger than ``max_bytes`` or is not a baseline.
    """
    try:
        with open(path, "rb") as file:
            data = read_at_most(file, max_bytes + 1)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise BaselineError(f"{path}: no such baseline file (write one with --update-baseline)") from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror or error}") from None
    return baseline_from(baseline_document(data, path, max_bytes), path)


def baseline_document(data: bytes, path: str, max_bytes: int = BASELINE_MAX_BYTES) -> object:
    """The parsed JSON of a baseline file's bytes (``data``, of the file named ``path``).

    :raises BaselineError: when it is larger than ``max_bytes`` or not JSON.
    """
    if len(data) > max_bytes:
        raise BaselineError(f"{path}: not a baseline: larger than {max_bytes:,} bytes")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        if "digits" in str(error) and not isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
            raise BaselineError(
                f"{path}: not a baseline: value too large: an integer of more than {units.max_digits():,} digits"
            ) from None
        raise BaselineError(f"{path}: not a baseline: not valid JSON ({error})") from None


def write_atomically(path: str, text: str) -> None:
    """Replace the baseline ``path`` (or create it) with ``text`` as one step
    (:func:`dsc_cost.files.write_atomically`): a reader sees the old baseline or the new one, never a
    part of one, and an interrupted or failed write leaves it as it was.

    :raises BaselineError: when the file cannot be written.
    :raises Terminated: on SIGTERM or SIGHUP while writing.
    """
    from .files import WriteError
    from .files import write_atomically as write

    try:
        write(path, text, "the baseline")
    except WriteError as error:
        raise BaselineError(str(error)) from None


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class Where:
    """A network (by name, file and document) and the node of its spec a message points at
    (``("budget", "max_mults")``; ``()`` is the network's first line)."""

    network: str
    file: str
    document: int = 0
    path: tuple[str | int, ...] = ()

    @property
    def whole(self) -> Where:
        """The network itself, whatever this points at inside it."""
        return replace(self, path=()) if self.path else self


@dataclass(frozen=True)
class LimitCheck:
    """One total of one network against one limit. ``source`` is ``budget`` or the flag that set it."""

    where: Where
    key: str
    value: int | Fraction
    limit: int | Fraction
    source: str = "budget"

    @property
    def metric(self) -> Metric:
        return _METRIC[self.key]

    @property
    def ok(self) -> bool:
        return self.value >= self.limit if self.key == "min_savings_vs_standard" else self.value <= self.limit

    @property
    def margin(self) -> Fraction:
        """Positive: room left; negative: by how much the limit is missed. A fraction of the
        limit for counts; for savings, the difference of the two fractions (points / 100)."""
        if self.key == "min_savings_vs_standard":
            return Fraction(self.value - self.limit)
        return Fraction(self.limit - self.value, self.limit)


@dataclass(frozen=True)
class BaselineCheck:
    """One total of one network against the baseline: ``after`` may exceed ``before`` by at
    most ``tolerance`` (a fraction of ``before``)."""

    where: Where
    metric: Literal["params", "mults"]
    before: int
    after: int
    tolerance: Fraction = Fraction(0)

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def growth(self) -> Fraction | None:
        """``delta / before``; ``None`` when ``before`` is 0."""
        return Fraction(self.delta, self.before) if self.before else None

    @property
    def ok(self) -> bool:
        return self.delta <= self.before * self.tolerance


@dataclass(frozen=True)
class MissingCheck:
    """A network that the baseline does not have: it fails, rather than passing unnoticed."""

    where: Where
    baseline: str

    @property
    def ok(self) -> bool:
        return False


Check = LimitCheck | BaselineCheck | MissingCheck


@dataclass(frozen=True)
class Report:
    """Every check of every network, in order. ``update``: the baseline is being rewritten, so
    baseline checks are shown but do not fail; it is written only when nothing failed."""

    networks: tuple[Where, ...]
    checks: tuple[Check, ...]
    baseline: str | None = None
    tolerance: Fraction = Fraction(0)
    update: bool = False
    texts: Mapping[str, str] = field(default_factory=dict)  # spec text by file, to locate annotations

    def failed(self, check: Check) -> bool:
        return not check.ok and not self.accepted(check)

    def accepted(self, check: Check) -> bool:
        """A baseline check that fails but is accepted because the baseline is being updated."""
        return self.update and not check.ok and not isinstance(check, LimitCheck)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if self.failed(c)]

    @property
    def exit_code(self) -> int:
        """0 when every check passed, 1 when one failed."""
        return 1 if self.failures else 0

    @property
    def writes_baseline(self) -> bool:
        return self.update and self.baseline is not None and not self.failures

    def unchecked(self) -> list[Where]:
        """The networks that no check applies to (no limit, no baseline)."""
        checked = {c.where.whole for c in self.checks}
        return [w for w in self.networks if w not in checked]


def evaluate(
    targets: Sequence[Target],
    flags: Limits | None = None,
    baseline: Baseline | None = None,
    tolerance: Fraction = Fraction(0),
    baseline_file: str | None = None,
    update: bool = False,
    settings: Settings | None = None,
) -> Report:
    """Check every network against its limits (a flag overrides its budget) and the baseline.

    ``baseline_file`` names the baseline even when there is none yet (``update`` writes it).
    ``settings``: the dtypes and the device of the memory and latency limits (fp32, no device without).

    :raises CheckError: two networks of one name, when there is a baseline to match them by name, or a
        latency limit without a device.
    """
    flags = flags or Limits()
    baseline_file = baseline_file or (baseline.file if baseline is not None else None)
    if baseline_file is not None:
        _unique_names(targets)
    networks: list[Where] = []
    checks: list[Check] = []
    for target in targets:
        where = Where(target.name, target.spec.file, target.spec.document)
        networks.append(where)
        memory: NetworkMemory | None = None
        for key in LIMIT_KEYS:
            flag = getattr(flags, key)
            limit = flag if flag is not None else getattr(target.budget, key)
            if limit is None:
                continue
            # point at the limit in the file (for a flag: the value it overrides), else at the
            # budget: block, else at the network's first line
            budget = target.spec.budget or {}
            written = next((k for k in budget if k == key or ALIASES.get(k) == key), None)
            path: tuple[str | int, ...] = ("budget", written) if written is not None else ("budget",) if budget else ()
            source = "budget" if flag is None else "--" + key.replace("_", "-")
            if key == "max_latency" and (settings is None or settings.device is None):
                raise CheckError(
                    f"{target.spec.file}: {target.name}: max_latency needs a device to estimate time: give --device"
                    " NAME ('dsc-cost devices' lists them) or --device peak=N,bandwidth=N"
                )
            if _METRIC[key] in MEMORY_METRICS and memory is None:
                memory = _memory(target, settings)
            value = measure(target.cost, _METRIC[key], memory)
            checks.append(LimitCheck(replace(where, path=path), key, value, limit, source))
        if baseline is None:
            continue
        before = baseline.networks.get(target.name)
        if before is None:
            checks.append(MissingCheck(where, baseline.file))
            continue
        checks.append(BaselineCheck(where, "params", before.params, target.cost.total.params, tolerance))
        checks.append(BaselineCheck(where, "mults", before.mults, target.cost.total.mults, tolerance))
    texts = {t.spec.file: t.spec.text for t in targets}
    return Report(tuple(networks), tuple(checks), baseline_file, tolerance, update, texts)


def _memory(target: Target, settings: Settings | None) -> NetworkMemory:
    from .analysis import analyze

    return analyze(target.cost, settings).memory


def _unique_names(targets: Sequence[Target]) -> None:
    seen: dict[str, Target] = {}
    for target in targets:
        first = seen.setdefault(target.name, target)
        if first is not target:
            files = (
                f"twice in {first.spec.file}"
                if first.spec.file == target.spec.file
                else (f"in {first.spec.file} and {target.spec.file}")
            )
            raise CheckError(
                f"two networks are named {target.name!r} ({files}): a baseline matches networks by name, "
                "so give them distinct names"
            )
