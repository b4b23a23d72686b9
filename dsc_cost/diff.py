"""What changed between two versions of networks: ``dsc-cost diff OLD NEW``.

Each side is read into :class:`Figures` per network (a spec costed at batch 1, or a baseline that
``dsc-cost network FILE... --format json`` wrote: the same document either way), then
:func:`diff` pairs them:

* networks by name (and the only network of each side with the other, whatever their names);
* layers by name; a layer the spec left unnamed (its name is its type and a number, ``conv3``, as
  the spec names it) is paired by position: the k-th unnamed layer of a type in OLD with the k-th
  unnamed layer of that type in NEW. What is left is removed (in OLD only) or added (in NEW only).

For each pair, every figure before and after: params and mults, and bytes when both sides have
memory figures (``"memory"`` in the JSON: per layer the bytes it moves, weights, input and output;
in total the weight bytes and the peak activation bytes). Everything here is pure but
:func:`read_side`, which reads files and runs ``git show``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, NamedTuple

from .check import BaselineError, baseline_document, baseline_from
from .errors import Located, SpecError
from .formulas import DscCostError
from .readers.bounds import DEFAULT_BOUNDS, Bounds
from .readers.includes import Includes, Refused, quoted
from .readers.spec.costing import cost_specs
from .readers.spec.load import load_files, load_text
from .readers.spec.text import read_text
from .readers.yamltext import describe

Status = Literal["added", "removed", "changed", "unchanged"]
STATUSES: tuple[Status, ...] = ("changed", "added", "removed", "unchanged")
"""What can become of a network or a layer, in the order the counts of a network are given."""

LAYER_METRICS = ("params", "mults", "bytes")
"""What is compared for each layer (``bytes``: only when both sides have memory figures)."""
TOTAL_METRICS = ("params", "mults", "weight_bytes", "peak_bytes")
"""What is compared for each network's totals (the bytes: only when both sides have memory figures)."""

GIT_PREFIX = "git:"


class DiffError(DscCostError):
    """A side that cannot be read or compared (a bad ``git:`` reference, two networks of one name)."""


# ---------------------------------------------------------------- figures of one side


@dataclass(frozen=True)
class LayerFigures:
    """One layer: its name, type, output shape (as text; empty when unknown) and figures."""

    name: str
    type: str
    output: str
    figures: Mapping[str, int]

    @property
    def named(self) -> bool:
        """Whether the spec named it: a name that is the layer's type and a number is the spec's default."""
        return re.fullmatch(re.escape(self.type) + r"[0-9]+", self.name) is None


@dataclass(frozen=True)
class NetworkFigures:
    """One network: its name, the file it was read from, its layers and its totals."""

    name: str
    file: str
    layers: tuple[LayerFigures, ...]
    totals: Mapping[str, int]


@dataclass(frozen=True)
class Side:
    """OLD or NEW: what was given (a path or ``git:REV:PATH``) and its networks."""

    source: str
    networks: tuple[NetworkFigures, ...]


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _shape_text(value: object) -> str:
    """``{"channels": 3, "height": 7, "width": 7}`` → ``3×7×7`` (as a shape prints); ``""`` otherwise."""
    if isinstance(value, dict) and value and all(_whole(v) for v in value.values()):
        return "×".join(str(v) for v in value.values())
    return ""


def figures_from(document: object, file: str) -> tuple[NetworkFigures, ...]:
    """The networks of a parsed ``dsc-cost network --format json`` document, with their layers.

    :raises BaselineError: when it is not one, naming what is wrong (``FILE: not a baseline: ...``).
    """
    baseline_from(document, file)  # the totals, the names and the batch, checked as check reads them

    def bad(detail: str) -> BaselineError:
        return BaselineError(
            f"{file}: not a baseline: expected what 'dsc-cost network FILE... --format json' prints, {detail}"
        )

    assert isinstance(document, dict)
    networks = []
    for index, item in enumerate(document["networks"]):
        name = item["name"]
        where = f"networks[{index}] ({name})"
        layers_json = item.get("layers")
        if not isinstance(layers_json, list):
            raise bad(f"but {where} has no list of layers")
        layers = []
        for number, layer in enumerate(layers_json):
            at = f"{where}: layers[{number}]"
            if not isinstance(layer, dict) or not isinstance(layer.get("name"), str):
                raise bad(f"but {at} has no name")
            at = f"{at} ({layer['name']})"
            if not (_whole(layer.get("params")) and _whole(layer.get("mults"))):
                raise bad(f"but {at} has no whole params and mults")
            figures = {"params": layer["params"], "mults": layer["mults"]}
            memory = _memory(layer.get("memory"), ("weight_bytes", "input_bytes", "output_bytes"), bad, at)
            if memory is not None:
                figures["bytes"] = sum(memory.values())
            kind: str = layer["type"] if isinstance(layer.get("type"), str) else ""
            layers.append(LayerFigures(layer["name"], kind, _shape_text(layer.get("output")), figures))
        counts = item["totals"]
        totals = {"params": counts["params"], "mults": counts["mults"]}
        memory = _memory(counts.get("memory"), ("weight_bytes", "peak_bytes"), bad, f"{where}: totals")
        if memory is not None:
            totals.update(memory)
        origin = item.get("file") if isinstance(item.get("file"), str) else file
        networks.append(NetworkFigures(name, origin, tuple(layers), totals))
    return tuple(networks)


def _memory(value: object, keys: Sequence[str], bad: Callable[[str], BaselineError], at: str) -> dict[str, int] | None:
    """The byte counts ``keys`` of a ``"memory"`` object; ``None`` when there is none."""
    if value is None:
        return None
    if not (isinstance(value, dict) and all(_whole(value.get(key)) for key in keys)):
        raise bad(f"but {at}: memory has no whole {', '.join(keys)}")
    return {key: value[key] for key in keys}


def figures_of_specs(paths: Sequence[str], specs: Sequence[Any]) -> tuple[NetworkFigures, ...]:
    """The networks of loaded specs, costed at batch 1: the figures a baseline of them holds (its params, mults
    and bytes, fp32), taken from the costs themselves.

    :raises SpecError: every layer whose input does not fit it.
    """
    from .analysis import analyze

    _unique(", ".join(paths), [spec.network.name for spec in specs])
    networks = []
    for spec, result in zip(specs, cost_specs(specs), strict=True):
        memory = analyze(result).memory
        layers = []
        for layer, m in zip(result.layers, memory.layers, strict=True):
            moved = m.weight_bytes + m.input_bytes + m.output_bytes
            figures = {"params": layer.cost.params, "mults": layer.cost.mults, "bytes": moved}
            layers.append(LayerFigures(layer.name, layer.type, str(layer.output), figures))
        totals = {"params": result.total.params, "mults": result.total.mults, "weight_bytes": memory.weight_bytes,
                  "peak_bytes": memory.peak_bytes}  # fmt: skip
        networks.append(NetworkFigures(result.network.name, spec.file, tuple(layers), totals))
    return tuple(networks)


# ---------------------------------------------------------------- reading a side


def _is_baseline(document: object) -> bool:
    return isinstance(document, dict) and "networks" in document


def read_side(
    source: str,
    bounds: Bounds = DEFAULT_BOUNDS,
    warn: Callable[[str], None] | None = None,
    stdin: Callable[[], bytes] | None = None,
    variants: Iterable[str] = (),
    params: Mapping[str, object] | None = None,
) -> Side:
    """The networks of ``source``: a spec file (YAML, JSON, or whatever :func:`~dsc_cost.spec.load_files`
    reads), a baseline JSON file (a JSON document with ``networks``), or ``git:REV:PATH``, either of
    them as it is at revision ``REV`` (``git show REV:PATH``, run in the current folder; a spec read
    that way is read on its own, as one text).

    ``variants`` and ``params`` pick the variants of a spec's networks and set its parameters
    (:func:`~dsc_cost.spec.load_text`); a baseline holds the networks it holds.

    :raises SpecError: a spec's problems, each located.
    :raises BaselineError: a baseline that is not one.
    :raises DiffError: a ``git:`` reference that git cannot show, or two networks of one name.
    """
    pick = _Pick(tuple(variants), tuple((params or {}).items()))
    if source.startswith(GIT_PREFIX):
        networks = _read_git(source, bounds, warn, pick)
    elif source.lower().endswith(".json") and source != "-":
        text = read_text(source, stdin, bounds.max_file_size)
        networks = _from_text(text, source, bounds, warn, None, pick)
    else:
        specs = load_files([source], stdin, warn, bounds=bounds, variants=pick.variants, params=dict(pick.params))
        networks = figures_of_specs([source], specs)
    return Side(source, networks)


class _Pick(NamedTuple):
    """The variants and parameters' values asked of a side's specs."""

    variants: tuple[str, ...] = ()
    params: tuple[tuple[str, object], ...] = ()


_NO_PICK = _Pick()


def _from_text(
    text: str,
    file: str,
    bounds: Bounds,
    warn: Callable[[str], None] | None,
    includes: Includes | None = None,
    pick: _Pick = _NO_PICK,
) -> tuple[NetworkFigures, ...]:
    """A JSON or YAML text: a baseline when it is a JSON object with ``networks``, else specs (their includes
    read as ``includes`` says; by default, beside ``file``)."""
    if file.lower().endswith(".json"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            document = None  # the spec reader says where the JSON is wrong
        if _is_baseline(document):
            return figures_from(baseline_document(text.encode("utf-8"), file, bounds.max_file_size), file)
    specs = load_text(text, file, warn, bounds, includes=includes, variants=pick.variants, params=dict(pick.params))
    return figures_of_specs([file], specs)


def parse_git(source: str) -> tuple[str, str]:
    """``git:REV:PATH`` → ``(REV, PATH)``: PATH names a file, from the top of the repository, without ``.`` or
    ``..`` and without a ``/`` at its end (a folder is not a spec).

    >>> parse_git("git:HEAD~1:configs/x.yaml")
    ('HEAD~1', 'configs/x.yaml')

    :raises DiffError: when it is not of that form.
    """
    rev, colon, path = source.removeprefix(GIT_PREFIX).partition(":")
    if not colon or not rev or not path:
        raise DiffError(f"{source}: expected git:REV:PATH, such as git:HEAD~1:configs/mobilenet_v1.yaml")
    if rev.startswith("-"):
        raise DiffError(f"{source}: a revision cannot begin with '-', found {describe(rev)}")
    if any(c in source for c in "\n\r\0"):
        raise DiffError(f"{describe(source)}: expected git:REV:PATH on one line, found a line break or a NUL")
    parts = path.split("/")
    if path.endswith("/") or any(part in (".", "..") for part in parts):
        raise DiffError(
            f"{source}: expected the path of a file at {rev}, such as configs/mobilenet_v1.yaml, found"
            f" {describe(path)} (a folder: '.', '..' and a '/' at the end name folders)"
        )
    return rev, path


def git_show(source: str, max_size: int) -> bytes:
    """The bytes of ``PATH`` at ``REV``, in the current folder: what it is and its size asked first
    (``git cat-file --batch-check``), so that a folder, or a file larger than ``max_size``, is refused
    before a byte of it is read; then the file (``git cat-file blob``).

    :raises DiffError: one line saying why git could not show it.
    """
    rev, path = parse_git(source)
    found = _git(source, ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], f"{rev}:{path}\n")
    fields = found.decode("utf-8", "replace").split()
    if len(fields) != 3 or not fields[2].isdigit():  # missing, or ambiguous: git show says why
        _git(source, ["show", "--no-textconv", f"{rev}:{path}"], "", limit=0)
        raise DiffError(f"{source}: git cannot show {rev}:{path}")
    name, kind, size = fields[0], fields[1], int(fields[2])
    if kind != "blob":
        what = "a folder" if kind == "tree" else f"a {kind}"
        raise DiffError(f"{source}: expected a file at {rev}, found {what} at {describe(path)}")
    if size > max_size:
        raise DiffError(
            f"{source}: the file is larger than {max_size:,} bytes ({size:,} bytes; the bound of one file;"
            " --max-file-size SIZE raises it)"
        )
    return _git(source, ["cat-file", "blob", name], "")


def _git(source: str, arguments: list[str], given: str, limit: int = -1) -> bytes:
    """What ``git ARGUMENTS`` writes, given ``given`` on its standard input (at most ``limit`` bytes, -1: all).

    :raises DiffError: when it cannot run, or fails (its first line of error says why)."""
    try:
        done = subprocess.run(["git", *arguments], input=given.encode(), capture_output=True, check=False)
    except OSError as error:
        raise DiffError(f"{source}: cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[0].removeprefix("fatal: ") if lines else f"git {arguments[0]} exited with {done.returncode}"
        shown = " ".join(a for a in arguments if not a.startswith("--"))
        raise DiffError(f"{source}: git {shown} failed: {reason}")
    return done.stdout if limit < 0 else done.stdout[:limit]


def _read_git(
    source: str, bounds: Bounds, warn: Callable[[str], None] | None, pick: _Pick = _NO_PICK
) -> tuple[NetworkFigures, ...]:
    data = git_show(source, bounds.max_file_size)
    _, path = parse_git(source)
    if path.lower().endswith((".yaml", ".yml", ".json")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SpecError([Located(source, 1, 1, "", "", f"not UTF-8 text: {error.reason}")]) from None
        return _from_text(text, source, bounds, warn, GitIncludes(), pick)
    return _read_copy(source, path, data, bounds, warn, pick)


class GitIncludes(Includes):
    """The includes of a spec read from git (``git:REV:PATH``): files of the same revision, by paths relative
    to ``PATH`` that stay in its tree, read with ``git show``; never a file of the disk."""

    def find(self, including: str, raw: str) -> tuple[str, str]:
        import posixpath

        rev, path = parse_git(including)
        if posixpath.isabs(raw) or os.path.isabs(raw):
            raise Refused(
                f"{quoted(raw)} is an absolute path: a spec read from git includes files of its revision, by"
                " paths relative to it"
            )
        here = "./" if path.startswith(("./", "../")) else ""  # relative to the working folder, as git reads it
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), raw))
        if not here and (joined == ".." or joined.startswith("../")):
            raise Refused(f"{quoted(raw)} is outside the tree of {rev}: not read")
        shown = f"{GIT_PREFIX}{rev}:{here}{joined}"
        return shown, shown

    def read(self, path: str, identity: str, max_size: int) -> bytes:
        try:
            return git_show(path, max_size)
        except DiffError as error:
            raise Refused(str(error).removeprefix(f"{path}: ")) from None


def _read_copy(
    source: str, path: str, data: bytes, bounds: Bounds, warn: Callable[[str], None] | None, pick: _Pick = _NO_PICK
) -> tuple[NetworkFigures, ...]:
    """Any other file (an ONNX model): a copy in a temporary folder, read as a file of that name,
    its problems named after ``source``."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dsc-cost-") as folder:
        copy = os.path.join(folder, os.path.basename(path))
        with open(copy, "wb") as handle:
            handle.write(data)
        try:
            specs = load_files([copy], None, warn, bounds=bounds, variants=pick.variants, params=dict(pick.params))
            return figures_of_specs([source], [spec._replace(file=source) for spec in specs])
        except SpecError as error:
            renamed = [p._replace(file=source) if p.file == copy else p for p in error.problems]
            raise type(error)(renamed) from None


def _unique(source: str, names: Sequence[str]) -> None:
    """:class:`DiffError` when two networks of a side share a name (a baseline's reader refuses it too)."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DiffError(
                f"{source}: two networks are named {name!r}: networks are matched by name, so give them distinct names"
            )
        seen.add(name)


# ---------------------------------------------------------------- the difference


@dataclass(frozen=True)
class Change:
    """One figure before and after (``None``: not on that side, as for an added layer)."""

    metric: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int:
        return (self.after or 0) - (self.before or 0)

    @property
    def growth(self) -> Fraction | None:
        """``delta / before``; ``None`` when there is nothing before (or it is 0)."""
        return Fraction(self.delta, self.before) if self.before else None

    def exceeds(self, threshold: Fraction) -> bool:
        """Whether it grew by more than ``threshold`` (a fraction of before; from 0, any growth does)."""
        return self.delta > (self.before or 0) * threshold


@dataclass(frozen=True)
class LayerDiff:
    """A layer of OLD and its match in NEW (either may be ``None``), and each figure's change."""

    status: Status
    old: LayerFigures | None
    new: LayerFigures | None
    changes: tuple[Change, ...]

    @property
    def name(self) -> str:
        layer = self.new or self.old
        assert layer is not None
        return layer.name


@dataclass(frozen=True)
class NetworkDiff:
    """A network of OLD and its match in NEW (either may be ``None``): its totals' changes and every layer."""

    status: Status
    old: NetworkFigures | None
    new: NetworkFigures | None
    totals: tuple[Change, ...]
    layers: tuple[LayerDiff, ...]
    layer_metrics: tuple[str, ...]

    @property
    def name(self) -> str:
        network = self.new or self.old
        assert network is not None
        return network.name

    def count(self, status: Status) -> int:
        return sum(layer.status == status for layer in self.layers)

    def shown(self, all_layers: bool = False) -> tuple[LayerDiff, ...]:
        """Its layers: every one with ``all_layers``, else those added, removed or changed."""
        return self.layers if all_layers else tuple(layer for layer in self.layers if layer.status != "unchanged")


@dataclass(frozen=True)
class Diff:
    """Every network of OLD and NEW, paired."""

    old: str
    new: str
    networks: tuple[NetworkDiff, ...]

    def increases(self, threshold: Fraction) -> list[tuple[NetworkDiff, Change]]:
        """Every total of every network that grew by more than ``threshold`` (a fraction)."""
        return [(n, c) for n in self.networks for c in n.totals if c.exceeds(threshold)]

    @property
    def changed(self) -> bool:
        return any(network.status != "unchanged" for network in self.networks)


def _metrics(candidates: Sequence[str], sides: Sequence[Sequence[Mapping[str, int]]]) -> tuple[str, ...]:
    """The metrics every figure of every side has (params and mults always do)."""
    return tuple(m for m in candidates if all(m in figures for side in sides for figures in side))


def match_layers(
    old: Sequence[LayerFigures], new: Sequence[LayerFigures]
) -> tuple[dict[int, int], list[int], list[int]]:
    """The pairs ``{old index: new index}``: named layers by name, unnamed ones by position within their
    type; then the indices of OLD left unpaired (removed) and of NEW (added)."""
    pairs: dict[int, int] = {}
    by_name = {layer.name: index for index, layer in enumerate(new) if layer.named}
    for index, layer in enumerate(old):
        if layer.named and layer.name in by_name:
            pairs[index] = by_name[layer.name]
    unnamed_new: dict[str, list[int]] = {}
    for index, layer in enumerate(new):
        if not layer.named:
            unnamed_new.setdefault(layer.type, []).append(index)
    taken: dict[str, int] = {}
    for index, layer in enumerate(old):
        if layer.named:
            continue
        candidates = unnamed_new.get(layer.type, [])
        k = taken.get(layer.type, 0)
        if k < len(candidates):
            pairs[index] = candidates[k]
            taken[layer.type] = k + 1
    matched = set(pairs.values())
    removed = [index for index in range(len(old)) if index not in pairs]
    added = [index for index in range(len(new)) if index not in matched]
    return pairs, removed, added


def _changes(
    metrics: Sequence[str], old: Mapping[str, int] | None, new: Mapping[str, int] | None
) -> tuple[Change, ...]:
    return tuple(Change(m, None if old is None else old[m], None if new is None else new[m]) for m in metrics)


def diff_layers(
    old: NetworkFigures | None, new: NetworkFigures | None
) -> tuple[tuple[LayerDiff, ...], tuple[str, ...]]:
    """Every layer of both, in NEW's order, each removed layer after the layer it followed in OLD."""
    old_layers = old.layers if old is not None else ()
    new_layers = new.layers if new is not None else ()
    metrics = _metrics(
        LAYER_METRICS, [[layer.figures for layer in old_layers], [layer.figures for layer in new_layers]]
    )
    pairs, removed, _ = match_layers(old_layers, new_layers)
    after: dict[int, list[int]] = {}  # new index (-1: the start) → the removed layers shown after it
    anchor = -1
    for index in range(len(old_layers)):
        if index in pairs:
            anchor = pairs[index]
        else:
            after.setdefault(anchor, []).append(index)
    matched_old = {new_index: old_index for old_index, new_index in pairs.items()}
    rows: list[LayerDiff] = []

    def removed_rows(key: int) -> None:
        for index in after.get(key, []):
            layer = old_layers[index]
            rows.append(LayerDiff("removed", layer, None, _changes(metrics, layer.figures, None)))

    removed_rows(-1)
    for index, layer in enumerate(new_layers):
        if index in matched_old:
            before = old_layers[matched_old[index]]
            changes = _changes(metrics, before.figures, layer.figures)
            same = (
                all(c.delta == 0 for c in changes)
                and before.type == layer.type
                and (before.output == layer.output or not (before.output and layer.output))
            )
            rows.append(LayerDiff("unchanged" if same else "changed", before, layer, changes))
        else:
            rows.append(LayerDiff("added", None, layer, _changes(metrics, None, layer.figures)))
        removed_rows(index)
    assert len(rows) == len(new_layers) + len(removed)
    return tuple(rows), metrics


def diff_networks(old: NetworkFigures | None, new: NetworkFigures | None) -> NetworkDiff:
    """One network of OLD against one of NEW (``None``: added or removed)."""
    layers, layer_metrics = diff_layers(old, new)
    totals_sides = [[n.totals] for n in (old, new) if n is not None]
    metrics = _metrics(TOTAL_METRICS, totals_sides)
    totals = _changes(metrics, old.totals if old else None, new.totals if new else None)
    status: Status
    if old is None:
        status = "added"
    elif new is None:
        status = "removed"
    elif any(c.delta for c in totals) or any(layer.status != "unchanged" for layer in layers):
        status = "changed"
    else:
        status = "unchanged"
    return NetworkDiff(status, old, new, totals, layers, layer_metrics)


def diff(old: Side, new: Side) -> Diff:
    """Every network of ``old`` against its match in ``new``, by name (the only network of each side
    is matched whatever their names); in NEW's order, then the networks removed."""
    pairs: list[tuple[NetworkFigures | None, NetworkFigures | None]]
    if len(old.networks) == 1 and len(new.networks) == 1:
        pairs = [(old.networks[0], new.networks[0])]
    else:
        old_by_name = {n.name: n for n in old.networks}
        new_names = {n.name for n in new.networks}
        pairs = [(old_by_name.get(n.name), n) for n in new.networks]
        pairs += [(n, None) for n in old.networks if n.name not in new_names]
    return Diff(old.source, new.source, tuple(diff_networks(a, b) for a, b in pairs))
