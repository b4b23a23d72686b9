"""Device profiles for the roofline estimate: peak multiply-accumulates per second for each dtype,
memory bandwidth in bytes per second, and where each number comes from.

dsc-cost ships profiles in ``devices.yaml`` beside this module; users add their own in a YAML file
of the same form (``--devices FILE``), or give one inline (``--device peak=2T,bandwidth=50G``).
A profile file maps names to profiles::

    my-board:
      title: My board (what it is)
      kind: cpu                     # mcu, cpu, gpu or npu (optional)
      peak: {fp32: 2G, int8: 8G}    # MACs per second for each dtype (or one number for every dtype)
      bandwidth: 10G                # bytes per second
      source: https://...           # where the numbers come from
      note: how they were derived   # optional

A profile made by ``dsc-cost calibrate`` has a ``calibration`` too: a cost model fitted to micro-benchmarks,
per kind of step (conv, depthwise, pointwise, linear, other), that replaces the roofline's two numbers::

      calibration:
        run: 3.0e-05                # seconds a run of a network costs besides its steps (once per network)
        overhead: 4.1e-06           # seconds every step costs
        overheads: {conv: 9.0e-06}  # a kind's own, where it differs (a conv's kernel starts up)
        block: 16                   # channels a conv's are padded to a multiple of (the blocked layout)
        fused: 0.1                  # share of its time an activation, norm or add pays fused into a conv
        cache: 16M                  # bytes a step moves at its kind's bandwidth; beyond them,
        dram: 9G                    # at this bandwidth (bytes per second)
        rates: {conv: 41G, conv k3 s2: 30G, depthwise: 3.2G, depthwise k5 s2: 2G, pointwise: 38G}
                                    # MACs per second, per kind, or per kind and shape (kernel, stride, grouped)
        bandwidths: {other: 20G, other layernorm: 4G}
                                    # bytes per second (per kind, or one for every kind: other's; a step of no
                                    # mults, per layer type or activation function: other layernorm, other silu)
        runtime: onnxruntime 1.23.2  # provenance: the runtime, threads, CPU and date,
        threads: 2                   # and how well the model fits its benchmarks
        cpu: AMD EPYC
        date: 2026-12-05
        residuals: {median: 0.08, p90: 0.21, benchmarks: 96}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from . import units
from .errors import DscCostError
from .files import read_at_most

KINDS = ("mcu", "cpu", "gpu", "npu")
DTYPES = ("fp32", "fp16", "bf16", "int8")
FIELDS = ("title", "kind", "peak", "bandwidth", "source", "note", "calibration")
STEP_KINDS = ("conv", "depthwise", "pointwise", "linear", "other")
"""The kinds of step a calibration gives a rate and a bandwidth for (:data:`dsc_cost.layers.base.KINDS`)."""
CALIBRATION_FIELDS = (
    "run",
    "overhead",
    "overheads",
    "block",
    "fused",
    "rates",
    "bandwidths",
    "cache",
    "dram",
    "runtime",
    "threads",
    "cpu",
    "date",
    "residuals",
)


class DeviceError(DscCostError):
    """A device that is not known, or a profile that is not one: every problem, one line each."""


SHAPE_WORD = r"(k\d+|s\d+|grouped|plain)"
"""A word of a step's shape (:func:`dsc_cost.memory.step_shape`): its kernel, its stride, whether it is grouped,
whether it takes the runtime's plain path (:func:`dsc_cost.memory.blockable`)."""


class Calibration(NamedTuple):
    """A cost model fitted on this machine by ``dsc-cost calibrate``: a step of kind K and shape S takes
    ``overhead + max(mults ÷ rate[K S], bytes ÷ bandwidth[K])`` seconds, and a network's run ``run`` seconds
    besides its steps; and where it comes from."""

    overhead: Fraction
    rates: tuple[tuple[str, int], ...]
    bandwidths: tuple[tuple[str, int], ...]
    runtime: str = ""
    threads: int = 0
    cpu: str = ""
    date: str = ""
    residuals: tuple[tuple[str, float], ...] = ()
    run: Fraction = Fraction(0)
    fused: Fraction = Fraction(1)
    """The share of its own time an element-wise layer pays when it is fused into the conv before it
    (:func:`dsc_cost.memory.fused_layers`)."""
    cache: int = 0
    """The bytes a step moves at its kind's bandwidth; those beyond, at ``dram`` (0: every byte at its kind's)."""
    dram: int = 0
    """Bytes per second of what a step moves beyond ``cache``."""
    overheads: tuple[tuple[str, Fraction], ...] = ()
    """The overhead of a step of a kind, where it differs from ``overhead`` (a conv's kernel starts up)."""
    block: int = 0
    """The channels of a block of the runtime's blocked layout, to which a conv step's channels are padded (0:
    none; :func:`dsc_cost.memory.padded`)."""

    def step_overhead(self, kind: str) -> Fraction:
        """The seconds a step of ``kind`` costs beside its work: its kind's overhead, else ``overhead``.

        >>> Calibration(Fraction(1), (), (), overheads=(("conv", Fraction(3)),)).step_overhead("conv")
        Fraction(3, 1)
        """
        return next((value for key, value in self.overheads if key == kind), self.overhead)

    def rate(self, kind: str, shape: str = "") -> int:
        """MACs per second of a step of ``kind`` and ``shape`` (such as ``k3 s2``): the rate of the kind and the
        whole shape, else of the kind and one word of it (the last first: the stride before the kernel), else of the
        kind, else the conv rate.

        >>> c = Calibration(Fraction(0), (("conv", 10), ("conv s2", 20), ("conv k3 s2", 30)), (("other", 1),))
        >>> c.rate("conv", "k3 s2"), c.rate("conv", "k5 s2"), c.rate("conv", "k3 s1"), c.rate("depthwise", "k3 s1")
        (30, 20, 10, 10)
        """
        rates = dict(self.rates)
        words = shape.split()
        for key in (f"{kind} {shape}", *(f"{kind} {word}" for word in reversed(words)), kind, "conv"):
            if key in rates:
                return rates[key]
        return max(rates.values(), default=1)

    @property
    def reorders(self) -> bool:
        """Whether the model times layout reorders (:func:`dsc_cost.memory.reorders`): it has their bandwidth."""
        return any(key == "other reorder" for key, _ in self.bandwidths)

    def bandwidth(self, kind: str, shape: str = "") -> int:
        """Bytes per second of a step of ``kind`` and ``shape``: of the kind and shape (``other layernorm``: a step
        of no mults, by its layer's type or function), else of the kind, else ``other``'s.

        >>> c = Calibration(Fraction(0), (), (("other", 10), ("other layernorm", 2), ("depthwise", 5)))
        >>> c.bandwidth("other", "layernorm"), c.bandwidth("other", "relu"), c.bandwidth("pointwise", "k1 s1")
        (2, 10, 10)
        """
        values = dict(self.bandwidths)
        return (
            values.get(f"{kind} {shape}") or values.get(kind) or values.get("other") or max(values.values(), default=1)
        )


class Device(NamedTuple):
    """A device profile. ``peak``: (dtype, MACs per second) pairs; ``bandwidth``: bytes per second;
    ``calibration``: a fitted cost model (``dsc-cost calibrate``), used in place of the plain roofline."""

    name: str
    title: str
    kind: str
    peak: tuple[tuple[str, int], ...]
    bandwidth: int
    source: str = ""
    note: str = ""
    calibration: Calibration | None = None

    def peak_for(self, dtype: str) -> int:
        """MACs per second in ``dtype``.

        :raises DeviceError: when the profile has no peak for it.
        """
        for name, value in self.peak:
            if name == dtype:
                return value
        have = ", ".join(name for name, _ in self.peak)
        raise DeviceError(
            f"device {self.name}: no peak for {dtype} (it has {have}): choose another --dtype, or add it to a profile"
        )


def _text(value: object) -> str:
    """What was found, short and escaped whatever it is (a list that aliases share, many times over, too)."""
    from .readers.yamltext import describe

    return describe(value)


def _rate(value: object) -> int:
    """A rate as YAML gives it: an integer, a float (written as a decimal) or text such as ``2T``."""
    if isinstance(value, bool):
        raise units.NumberError(f"a count such as {units.COUNT_EXAMPLES}", str(value))
    if isinstance(value, float):
        text = repr(value).removesuffix(".0")
    elif isinstance(value, int | str):
        text = str(value)
    else:
        raise units.NumberError(f"a count such as {units.COUNT_EXAMPLES}", _text(value))
    return units.parse_count(text)


def _profile(name: str, data: object) -> tuple[Device | None, list[tuple[tuple[str, ...], str]]]:
    """A profile from its YAML value, and its problems as (path under the name, message)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(data, dict):
        return None, [((), f"expected a mapping of {', '.join(FIELDS)}, found {_text(data)}")]
    for key in data:
        if key not in FIELDS:
            problems.append(((str(key),), f"unknown field: expected one of {', '.join(FIELDS)}"))
    for key in ("peak", "bandwidth"):
        if key not in data:
            problems.append(((), f"missing field {key}"))
    peak: list[tuple[str, int]] = []
    raw = data.get("peak")
    if isinstance(raw, dict):
        for dtype, value in raw.items():
            if dtype not in DTYPES:
                problems.append((("peak", str(dtype)), f"unknown dtype: expected one of {', '.join(DTYPES)}"))
                continue
            try:
                peak.append((dtype, _rate(value)))
            except units.NumberError as error:
                problems.append((("peak", dtype), f"expected MACs per second, {error.expected}, found {_text(value)}"))
        if not raw:
            problems.append((("peak",), "expected at least one dtype: fp32, fp16, bf16 or int8"))
    elif raw is not None:
        try:
            peak = [(dtype, _rate(raw)) for dtype in DTYPES]
        except units.NumberError as error:
            problems.append((("peak",), f"expected MACs per second or a mapping of dtypes to them, {error.expected}, "
                                        f"found {_text(raw)}"))  # fmt: skip
    bandwidth = 0
    if "bandwidth" in data:
        try:
            bandwidth = _rate(data["bandwidth"])
        except units.NumberError as error:
            problems.append((("bandwidth",), f"expected bytes per second, {error.expected}, "
                                             f"found {_text(data['bandwidth'])}"))  # fmt: skip
    kind = data.get("kind", "")
    if kind and kind not in KINDS:
        problems.append((("kind",), f"expected one of {', '.join(KINDS)}, found {_text(kind)}"))
    for key in ("title", "source", "note"):
        if key in data and not isinstance(data[key], str):
            problems.append(((key,), f"expected text, found {_text(data[key])}"))
    calibration = None
    if "calibration" in data:
        calibration = _calibration(data["calibration"], problems)
    if problems:
        return None, problems
    title, source, note = (str(data.get(key, "")).strip() for key in ("title", "source", "note"))
    return Device(name, title or name, str(kind), tuple(peak), bandwidth, source, note, calibration), []


def _calibration(data: object, problems: list[tuple[tuple[str, ...], str]]) -> Calibration | None:
    """A profile's ``calibration`` (its problems added to ``problems``, at paths under the profile)."""
    at = ("calibration",)
    if not isinstance(data, dict):
        problems.append((at, f"expected a mapping of {', '.join(CALIBRATION_FIELDS)}, found {_text(data)}"))
        return None
    count = len(problems)
    for key in data:
        if key not in CALIBRATION_FIELDS:
            problems.append(((*at, str(key)), f"unknown field: expected one of {', '.join(CALIBRATION_FIELDS)}"))
    for key in ("overhead", "rates", "bandwidths"):
        if key not in data:
            problems.append((at, f"missing field {key}"))
    seconds: dict[str, Fraction] = {}
    for key in ("overhead", "run", "fused"):
        raw = data.get(key, 0 if key != "fused" else 1)
        if (
            isinstance(raw, bool)
            or not isinstance(raw, int | float)
            or not 0 <= raw <= (1 if key == "fused" else 0.999)
        ):
            expected = "a share from 0 to 1, such as 0.25" if key == "fused" else "seconds from 0 to 1, such as 4.1e-06"
            problems.append(((*at, key), f"expected {expected}, found {_text(raw)}"))
        else:
            seconds[key] = Fraction(repr(raw)) if isinstance(raw, float) else Fraction(raw)
    overheads: list[tuple[str, Fraction]] = []
    raw_overheads = data.get("overheads", {})
    if not isinstance(raw_overheads, dict):
        problems.append(
            ((*at, "overheads"), f"expected a mapping of step kinds to seconds, found {_text(raw_overheads)}")
        )
        raw_overheads = {}
    for kind, raw in raw_overheads.items():
        if kind not in STEP_KINDS:
            problems.append(((*at, "overheads", str(kind)), f"unknown kind: expected one of {', '.join(STEP_KINDS)}"))
        elif isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 0.999:
            problems.append(
                ((*at, "overheads", kind), f"expected seconds from 0 to 1, such as 4.1e-06, found {_text(raw)}")
            )
        else:
            overheads.append((kind, Fraction(repr(raw)) if isinstance(raw, float) else Fraction(raw)))
    tables: dict[str, tuple[tuple[str, int], ...]] = {}
    for key, what in (("rates", "MACs per second"), ("bandwidths", "bytes per second")):
        raw = data.get(key, {})
        if not isinstance(raw, dict) or not raw:
            found = "an empty mapping" if raw == {} else _text(raw)
            problems.append(((*at, key), f"expected a mapping of step kinds ({', '.join(STEP_KINDS)}) to {what}, "
                                         f"found {found}"))  # fmt: skip
            continue
        values = []
        for kind, value in raw.items():
            if not _step_key(kind, key == "rates"):
                expected = f"one of {', '.join(STEP_KINDS)}" + (
                    ", then words such as k3 s2" if key == "rates" else ", or other and a layer type such as layernorm"
                )
                problems.append(((*at, key, str(kind)), f"unknown kind: expected {expected}"))
                continue
            try:
                number = _rate(value)
            except units.NumberError as error:
                problems.append(((*at, key, kind), f"expected {what}, {error.expected}, found {_text(value)}"))
                continue
            if number < 1:
                problems.append(((*at, key, kind), f"expected {what} of at least 1, found {_text(value)}"))
                continue
            values.append((str(kind), number))
        tables[key] = tuple(values)
    sizes: dict[str, int] = {}
    for key, what in (("cache", "bytes"), ("dram", "bytes per second")):
        try:
            sizes[key] = _rate(data[key]) if key in data else 0
        except units.NumberError as error:
            problems.append(((*at, key), f"expected {what}, {error.expected}, found {_text(data.get(key))}"))
    block = data.get("block", 0)
    if isinstance(block, bool) or not isinstance(block, int) or not 0 <= block <= 64:
        problems.append(((*at, "block"), f"expected a whole number of channels from 0 to 64, found {_text(block)}"))
    if sizes.get("cache") and not sizes.get("dram", 1):
        problems.append(((*at, "cache"), "a cache needs the dram bandwidth beyond it: add dram"))
    threads = data.get("threads", 0)
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        problems.append(((*at, "threads"), f"expected a whole number ≥ 0, found {_text(threads)}"))
    for key in ("runtime", "cpu", "date"):
        if key in data and isinstance(data[key], dict | list):
            problems.append(((*at, key), f"expected text, found {_text(data[key])}"))
    residuals = data.get("residuals", {})
    pairs: list[tuple[str, float]] = []
    if not isinstance(residuals, dict):
        problems.append(((*at, "residuals"), f"expected a mapping of names to numbers, found {_text(residuals)}"))
    else:
        for key, value in residuals.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(((*at, "residuals", str(key)), f"expected a number, found {_text(value)}"))
            else:
                pairs.append((str(key), value if isinstance(value, int) else float(value)))
    if len(problems) > count:
        return None
    return Calibration(
        seconds["overhead"], tables["rates"], tables["bandwidths"], str(data.get("runtime", "")), int(threads),
        str(data.get("cpu", "")), str(data.get("date", "")), tuple(pairs), seconds["run"],
        seconds["fused"], sizes["cache"], sizes["dram"], tuple(overheads), block,
    )  # fmt: skip


def _step_key(key: object, shaped: bool) -> bool:
    """Whether ``key`` names a kind of step (with ``shaped``, a kind and words of its shape: ``conv k3 s2``)."""
    import re

    if not isinstance(key, str):
        return False
    kind, _, shape = key.partition(" ")
    if kind == "other" and shape and not shaped:  # a bandwidth of steps of no mults of one layer type or function
        return re.fullmatch(r"[a-z][a-z0-9_]*", shape) is not None
    return kind in STEP_KINDS and (
        not shape or (shaped and re.fullmatch(rf"{SHAPE_WORD}( {SHAPE_WORD})*", shape) is not None)
    )


def _mark(
    node: Any, path: Sequence[str], at_key: bool = False, index: dict[int, dict[str, Any]] | None = None
) -> tuple[int, int]:
    """(line, column), from 1, of the value at ``path`` in a composed YAML node (``at_key``: of its key);
    the deepest node found when the path goes no further. ``index`` keeps each mapping's keys, found once
    (so that a problem at each of many keys is not a walk of every key for each)."""
    import yaml

    index = {} if index is None else index
    for step in path:
        if not isinstance(node, yaml.MappingNode):
            break
        keys = index.get(id(node))
        if keys is None:
            keys = index[id(node)] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    keys[key.value] = (key, value)  # a key given twice: the last, whose value is in effect
        pair = keys.get(step)
        if pair is None:
            break
        node = pair[0] if at_key and step == path[-1] else pair[1]
    return node.start_mark.line + 1, node.start_mark.column + 1


def parse_profiles(text: str, file: str) -> dict[str, Device]:
    """The profiles of a devices file's ``text``, read as a spec is (:func:`dsc_cost.readers.yamltext.load_yaml`'s way:
    aliases shared, never copied; nesting, control characters and keys given twice refused, located).

    :raises DeviceError: with every problem, each at ``file:line:col``.
    """
    from .errors import SpecError
    from .readers.yamltext import _compose, _duplicate_problem, _parse

    roots: list[Any] = []  # each document's composed node, kept as it is built: its marks place the problems
    try:
        documents, duplicates = _parse(
            text, file if file.endswith(".json") else "", None, lambda _, __, node: roots.append(node)
        )
    except SpecError as error:
        raise DeviceError(
            "\n".join(str(p._replace(file=file, message=_yaml(p.message))) for p in error.problems)
        ) from None
    if len(documents) > 1:
        raise DeviceError(
            f"{file}:1:1: expected one document (a mapping of device names to profiles), found {len(documents)}"
        )
    data = documents[0] if documents else None
    if not isinstance(data, dict) or not data:
        raise DeviceError(f"{file}:1:1: expected a mapping of device names to profiles, found {_text(data)}")
    root = roots[0] if roots and roots[0] is not None else next(_compose(text), None)
    index: dict[int, dict[str, Any]] = {}
    devices: dict[str, Device] = {}
    lines = [(p.line, p.column, str(p)) for p in (_duplicate_problem(file, documents, d) for d in duplicates)]
    for name, value in data.items():
        device, problems = _profile(str(name), value)
        for path, message in problems:
            line, column = _mark(root, (str(name), *path), message.startswith("unknown"), index)
            field = units.shorten(".".join((str(name), *path)))
            lines.append((line, column, f"{file}:{line}:{column}: {field}: {message}"))
        if device is not None:
            devices[device.name] = device
    if lines:
        raise DeviceError("\n".join(text for _, _, text in sorted(lines)))
    return devices


def _yaml(message: str) -> str:
    """A spec reader's message as a devices file's: ``not YAML``, not a network spec."""
    return message.replace("not valid YAML", "not YAML").replace(": not a network spec", "")


def shipped() -> dict[str, Device]:
    """The profiles dsc-cost ships (``devices.yaml`` of the package)."""
    from importlib.resources import files

    return parse_profiles(files("dsc_cost").joinpath("devices.yaml").read_text(encoding="utf-8"), "devices.yaml")


def read_profiles(paths: Iterable[str]) -> dict[str, Device]:
    """The profiles of the files at ``paths``, in order (a later name replaces an earlier one).

    :raises DeviceError: for a file that cannot be read, and every problem of those that can.
    """
    devices: dict[str, Device] = {}
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = read_at_most(handle, 4 * units_limit + 1)  # a character is at most 4 bytes
            text = data.decode("utf-8") if len(data) <= 4 * units_limit else ""
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or error
            raise DeviceError(f"{path}: cannot read the devices file: {reason}") from None
        if len(data) > 4 * units_limit or len(text) > units_limit:
            raise DeviceError(f"{path}: a devices file of more than {units_limit:,} characters")
        devices.update(parse_profiles(text, path))
    return devices


units_limit = 1_000_000
"""The most characters a devices file may have."""

INLINE_KEYS = ("peak", "bandwidth", "name")


def inline(text: str) -> Device:
    """A device written inline: ``peak=2T,bandwidth=50G`` (MACs per second for every dtype, bytes
    per second), and optionally ``name=...``.

    >>> device = inline("peak=2T,bandwidth=50G")
    >>> device.peak_for("fp16"), device.bandwidth
    (2000000000000, 50000000000)
    """
    values: dict[str, str] = {}
    for part in text.split(","):
        key, equals, value = part.partition("=")
        key = key.strip().lower()
        if not equals or key not in INLINE_KEYS:
            raise DeviceError(f"--device {text!r}: expected peak=N,bandwidth=N (and name=...), found {part!r}")
        values[key] = value.strip()
    missing = [key for key in ("peak", "bandwidth") if key not in values]
    if missing:
        raise DeviceError(f"--device {text!r}: missing {' and '.join(missing)} (such as peak=2T,bandwidth=50G)")
    try:
        peak = units.parse_count(values["peak"])
        bandwidth = units.parse_count(values["bandwidth"].removesuffix("/s").removesuffix("B"))
    except units.NumberError as error:
        raise DeviceError(f"--device {text!r}: {error}") from None
    name = values.get("name") or text
    return Device(name, name, "", tuple((dtype, peak) for dtype in DTYPES), bandwidth)


def resolve(spec: str, files: Sequence[str] = ()) -> Device:
    """The device ``spec`` names: inline (``peak=...``), or a profile of ``files`` or of those shipped.

    :raises DeviceError: for an unknown name (listing the known ones) or a bad profile.
    """
    if "=" in spec:
        return inline(spec)
    if spec.lower().endswith((".yaml", ".yml", ".json")):  # a devices file of one profile (dsc-cost calibrate's)
        found = read_profiles([spec])
        if len(found) != 1:
            names = ", ".join(found)
            raise DeviceError(
                f"--device {spec!r}: a devices file of {len(found)} profiles ({names}): give it with --devices and"
                " name one with --device"
            )
        return next(iter(found.values()))
    known = {**shipped(), **read_profiles(files)}
    if spec in known:
        return known[spec]
    raise DeviceError(
        f"--device {spec!r}: unknown device: expected one of {', '.join(known)}, or peak=N,bandwidth=N"
        " ('dsc-cost devices' lists them)"
    )


def all_devices(files: Sequence[str] = ()) -> dict[str, Device]:
    """The shipped profiles and those of ``files``."""
    return {**shipped(), **read_profiles(files)}
