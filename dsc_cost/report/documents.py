"""The JSON documents of every command, built from domain values: exact integers for counts,
fractions as floats. Written by :func:`~dsc_cost.report.jsontext.json_text`.

Light on purpose: ``--format json`` imports this module, the json module and nothing of rich.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from operator import add, attrgetter
from typing import TYPE_CHECKING, Any

from .. import units
from ..analysis import NetworkReport, analyses, analyze, compare_reports
from ..comparison import Comparison, Conv
from ..formulas import Cost
from ..savings import Savings, savings_vs_standard, separable_potential
from .columns import LayerColumn, LayerRow, Need, columns_of, getter, json_value
from .columns import shape_json as shape_json
from .jsontext import RawJSON, json_text

if TYPE_CHECKING:
    from ..check import Report
    from ..conventions import Convention, Reported, Subject
    from ..conventions import Row as ConventionRow
    from ..devices import Device
    from ..memory import NetworkMemory, Settings
    from ..network import NetworkCost
    from ..variants import Variant


def cost_json(cost: Cost, flops: bool) -> dict[str, int]:
    document = {"params": cost.params, "mults": cost.mults}
    if flops:
        document["flops"] = cost.flops
    return document


def savings_json(savings: Savings) -> dict[str, float]:
    return {"params": units.to_float(savings.params, "a saving"), "mults": units.to_float(savings.mults, "a saving")}


def conv_json(conv: Conv) -> dict[str, Any]:
    def json_pair(value: tuple[int, int] | str) -> list[int] | str:
        return value if isinstance(value, str) else list(value)

    return {
        "in_channels": conv.in_channels,
        "out_channels": conv.out_channels,
        "kernel": json_pair(conv.kernel),
        "stride": json_pair(conv.stride),
        "padding": json_pair(conv.padding),
        "dilation": json_pair(conv.dilation),
        "groups": conv.groups,
        "multiplier": conv.multiplier,
        "bias": conv.bias,
    }


def as_json(reported: Reported) -> dict[str, Any]:
    """``{"tool", "params", "ops", "unit"}``: what the tool of ``--as`` reports."""
    return {"tool": reported.tool, "params": reported.params, "ops": reported.ops, "unit": reported.unit}


# ---------------------------------------------------------------- compare


def compare_document(c: Comparison, flops: bool = False, convention: Convention | None = None) -> dict[str, Any]:
    """The JSON document of ``dsc-cost compare --format json`` as a dict; with a convention, every
    cost gains ``"as"``: what that tool reports for it."""
    kh, kw = c.conv.kernel
    reports = compare_reports(c, convention)

    def cost(part: str, value: Cost) -> dict[str, Any]:
        document: dict[str, Any] = cost_json(value, flops)
        if part in reports:
            document["as"] = as_json(reports[part])
        return document

    return {
        "input": shape_json(c.input),
        "output": shape_json(c.output),
        "batch": c.batch,
        "conv": conv_json(c.conv),
        "standard": cost("standard", c.standard),
        "separable": {
            **cost("separable", c.separable),
            "depthwise": cost("depthwise", c.depthwise),
            "pointwise": cost("pointwise", c.pointwise),
        },
        "ratio": {"params": units.to_float(c.params_ratio), "mults": units.to_float(c.mults_ratio)},
        "fewer": {"params": units.to_float(1 / c.params_ratio), "mults": units.to_float(1 / c.mults_ratio)},
        "per_position": {
            "standard": kh * kw * c.conv.out_channels // c.conv.groups,
            "separable": c.conv.multiplier * (kh * kw + c.conv.out_channels),
        },
    }


def compare_json(
    c: Comparison,
    flops: bool = False,
    explain: str | None = None,
    convention: Convention | None = None,
    settings: Settings | None = None,
) -> str:
    document = compare_document(c, flops, convention)
    if settings is not None and settings.show:
        from ..analysis import compare_memory  # the memory module only where memory is shown

        memory = compare_memory(c, settings)
        assert memory is not None
        moved, times = memory
        document["memory"] = {
            "weight_dtype": settings.weight_dtype,
            "activation_dtype": settings.activation_dtype,
            **{
                part: {"weight_bytes": s.weight_bytes, "input_bytes": s.input_bytes, "output_bytes": s.output_bytes}
                for part, s in moved.items()
            },
        }
        if times:
            assert settings.device is not None
            standard, separable = times["standard"], times["separable"]
            document["roofline"] = {
                "device": settings.device.name,
                **{f"{part}_seconds": units.to_float(value, "a time") for part, value in times.items()},
                "ratio": units.to_float(separable / standard) if standard else None,
            }
    if explain is not None:
        document["explain"] = explain.splitlines()
    return json_text(document)


# ---------------------------------------------------------------- network


def network_document(
    result: NetworkCost | NetworkReport,
    flops: bool = False,
    file: str | None = None,
    layers: bool = True,
    convention: Convention | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """One network of ``dsc-cost network --format json`` as a dict (``layers=False``: without
    the per-layer list), a projection of its :class:`~dsc_cost.analysis.NetworkReport` (worked out at
    ``settings`` with ``convention`` unless given). With a convention, every layer and the totals gain ``"as"``.
    Every layer and the totals have ``"memory"`` (bytes at ``settings``' dtypes, fp32 without); with a device,
    ``"roofline"`` too."""
    analysis = analyze(result, settings, convention)
    result, memory, total_report = analysis.cost, analysis.memory, analysis.total_reported
    encoder = LayerJSON(json_columns(flops, analysis.convention, memory))
    rows = [encoder.document(row) for row in analysis.layers()] if layers else []
    document: dict[str, Any] = {"name": result.network.name}
    if file is not None:
        document["file"] = file
    document.update(
        {
            "input": shape_json(result.network.input),
            "output": shape_json(result.output),
            "batch": result.batch,
            "layers": rows,
            "totals": {
                **cost_json(result.total, flops),
                "other_ops": result.other_ops,
                "trainable_params": result.total.params,
                "non_trainable_params": result.bn_params,
                "batchnorm_params": result.bn_params,
                "standard": cost_json(result.standard, flops),
                "separable": cost_json(result.separable, flops),
                **({"training": cost_json(result.training, flops)} if result.training is not None else {}),
                **({"train_only": cost_json(_train_only(result), flops)} if result.training is not None else {}),
                **({"as": _total_as(analysis, total_report)} if total_report else {}),
                **totals_memory_json(memory),
            },
            "savings_vs_standard": savings_json(savings_vs_standard(result.total, result.standard)),
            "separable_potential": savings_json(separable_potential(result.standard, result.separable)),
            "by_kind": {kind: cost_json(cost, flops) for kind, cost in result.by_kind.items()},
        }
    )
    return document


def _train_only(result: NetworkCost) -> Cost:
    """What the train-only layers of a network cost: its training cost beyond the totals (the inference cost)."""
    training = result.training or result.total
    return Cost(training.params - result.total.params, training.mults - result.total.mults)


def network_json(
    results: Sequence[NetworkCost | NetworkReport],
    flops: bool = False,
    files: Sequence[str] | None = None,
    convention: Convention | None = None,
    settings: Settings | None = None,
    explain: bool = False,
) -> str:
    """``{"networks": [...]}`` with exact integers: :func:`network_document` of each network, with
    each layer written on one line (:class:`LayerJSON`: a network may have 100,000 layers);
    ``explain``: each with an ``"explain"`` list of lines on its separable pairs."""
    from . import notes

    names = files if files is not None else [None] * len(results)
    documents = []
    encoders: dict[tuple[str, ...], LayerJSON] = {}
    analyzed = analyses(results, settings, convention)
    for analysis, file in zip(analyzed, names, strict=True):
        result = analysis.cost
        document = network_document(analysis, flops, file, False)
        columns = json_columns(flops, analysis.convention, analysis.memory)
        key = tuple(column.name for column in columns)
        encoder = encoders.get(key) or encoders.setdefault(key, LayerJSON(columns))  # its lines' memo kept
        document["layers"] = encoder.lines(analysis.layers())
        if explain:
            from .explain import defaults_explained, pairs_explained

            document["explain"] = pairs_explained(result) + defaults_explained(result)
        document.update(notes.network_keys(result))  # approximate, shared weights: ONNX models only
        documents.append(document)
    return json_text({**notes.document_keys([a.cost for a in analyzed]), "networks": documents})


def json_columns(flops: bool, convention: Convention | None, memory: NetworkMemory) -> list[LayerColumn]:
    """The columns of a layer's JSON object: every key it may have (a pair's and train-only where set), FLOPs with
    ``flops``, ``"as"`` with a convention, ``"roofline"`` with a device."""
    present: list[Need] = ["pairs", "train_only", "memory"]
    present += ["flops"] if flops else []
    present += ["as"] if convention is not None else []
    present += ["device"] if memory.roofline is not None else []
    return columns_of("json", present)


_encode_string = json.encoder.encode_basestring


def _json_integer(value: int | None) -> str:
    return "null" if value is None else str(value)


def _json_float(what: str) -> Any:
    return lambda value: float.__repr__(units.to_float(value, what))


_ENCODERS: dict[str, Any] = {
    "text": _encode_string,
    "count": _json_integer,
    "bytes": _json_integer,
    "flag": lambda value: "true" if value else "false",
    "seconds": _json_float("a time"),
    "intensity": _json_float("an intensity"),
}


class LayerJSON:
    """A layer's JSON object from its columns (:mod:`.columns`), in one place for both forms: a dict
    (:meth:`document`) and one line of text, encoded as :func:`~dsc_cost.report.jsontext.json_text` would
    encode that dict, only faster (:meth:`lines`).

    A line is its head (the leading text columns: the name, the type, a pair's names), written for each layer,
    and its tail (every other column), written once for every layer with the same values (a block's layers
    repeat them): the tail's memo is keyed by those values, a time (whose fractions are slow to hash) by its
    identity, kept beside the text so that no other takes its id while the memo lives."""

    def __init__(self, columns: Sequence[LayerColumn]) -> None:
        self.columns = list(columns)
        self.get = getter(self.columns)
        count = 0
        while count < len(self.columns) and self.columns[count].unit == "text" and len(self.columns[count].json) == 1:
            count += 1
        head, tail = self.columns[:count], self.columns[count:]
        always = [c for c in head if not c.json_when_set]  # the name and type, then a pair's names where set
        assert head[: len(always)] == always, "the keys written only where set come after the others in the head"
        self.first = [("{" if i == 0 else ", ") + f'"{c.json[0]}": ' for i, c in enumerate(always)]
        self.get_first = getter(always)
        self.optional = [f', "{c.json[0]}": ' for c in head[len(always) :]]
        self.get_optional = getter(head[len(always) :])
        self.get_tail = getter(tail)
        # the memo's key: what the tail's values are read from, two attributes deep (a layer's costs and shapes,
        # each of its bytes), which are fewer to read and hash than the values; a time by its identity
        sources = dict.fromkeys(".".join(c.path.split(".")[:2]) for c in tail if not c.path.startswith("time."))
        self.get_key = attrgetter(*sources) if len(sources) > 1 else lambda row: ()
        shapes: dict[object, str] = {}

        def shape(value: Any) -> str:
            text = shapes.get(value)
            if text is None:
                text = shapes[value] = _INLINE_ENCODE(shape_json(value))
            return text

        # the tail as pieces: text to write as it is, or (key, encoder, only where set) for a value
        self.tail: list[str | tuple[str, Any, bool]] = []
        group = None
        for column in tail:
            keys = column.json
            inner = keys[0] if len(keys) == 2 else None
            if group is not None and inner != group:
                self.tail.append("}")
            opening = f', "{inner}": {{' if inner is not None and inner != group else ""
            assert not (column.json_when_set and inner is not None), "a key written only where set is not nested"
            separator = "" if opening else ", "
            self.tail.append((opening + separator + f'"{keys[-1]}": ', shape if column.unit == "shape" else
                              _ENCODERS[column.unit], column.json_when_set))  # fmt: skip
            group = inner
        self.tail.append("}" if group is None else "}}")
        self.memo: dict[tuple[object, ...], tuple[str, object]] = {}

    def document(self, row: LayerRow) -> dict[str, Any]:
        """The layer's JSON object as a dict."""
        document: dict[str, Any] = {}
        for column, value in zip(self.columns, self.get(row), strict=True):
            if column.json_when_set and not value:
                continue
            *outer, key = column.json
            place = document.setdefault(outer[0], {}) if outer else document
            place[key] = json_value(value, column.unit)
        return document

    def lines(self, rows: Iterable[LayerRow]) -> list[RawJSON]:
        """Each row's object as a line of JSON."""
        lines = []
        memo, raw, encode = self.memo, RawJSON, _encode_string
        first, get_first, optional, get_optional, get_key = (
            self.first, self.get_first, self.optional, self.get_optional, self.get_key)  # fmt: skip
        for row in rows:
            text = "".join(map(add, first, map(encode, get_first(row))))
            more = get_optional(row)
            if any(more):
                text += "".join(key + encode(value) for key, value in zip(optional, more, strict=True) if value)
            values = (get_key(row), id(row.time))
            known = memo.get(values)
            if known is None:
                known = memo[values] = (self._tail(row), row.time)
            lines.append(raw(text + known[0]))
        return lines

    def _tail(self, row: LayerRow) -> str:
        out = []
        try:
            values = iter(self.get_tail(row))
            for piece in self.tail:
                if isinstance(piece, str):
                    out.append(piece)
                    continue
                key, encode, when_set = piece
                value = next(values)
                if value or not when_set:
                    out.append(key + encode(value))
        except ValueError:  # int → str refused: more digits than Python writes
            raise units.TooLarge(too_long(f"layer {row.layer.name!r}", "JSON")) from None
        return "".join(out)


_INLINE_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def too_long(where: str, output: str) -> str:
    """The message of an integer too long to write exactly in ``output`` (JSON, CSV)."""
    return (
        f"value too large: {where} has a count of more than {units.max_digits():,} digits, "
        f"the most {output} is written with (counts there are exact)"
    )


def _total_as(analysis: NetworkReport, reported: Reported) -> dict[str, Any]:
    """The totals' ``"as"``; torchinfo's also has its memory lines, in its MB (bytes ÷ 1e6, two decimals)."""
    document = as_json(reported)
    if reported.tool == "torchinfo":
        keys = ("input_size", "forward_backward_pass_size", "params_size", "estimated_total_size")
        lines = analysis.torchinfo_memory.lines()
        document["memory_mb"] = {key: float(line.rpartition(" ")[2]) for key, line in zip(keys, lines, strict=True)}
    return document


def totals_memory_json(memory: NetworkMemory) -> dict[str, Any]:
    """The ``"memory"`` of a network's totals and, with a device, its ``"roofline"`` (with the device's peak
    MACs per second in the compute dtype and its bandwidth in bytes per second: the roof of a roofline chart)."""
    document: dict[str, Any] = {
        "memory": {
            "weight_bytes": memory.weight_bytes,
            "activation_bytes": memory.activation_bytes,
            "peak_bytes": memory.peak_bytes,
            "peak_layer": memory.peak_layer,
            "weight_dtype": memory.weight_dtype,
            "activation_dtype": memory.activation_dtype,
        }
    }
    roofline = memory.roofline
    if roofline is not None:
        document["roofline"] = {
            "device": roofline.device.name,
            "dtype": roofline.dtype,
            "seconds": units.to_float(roofline.seconds, "a time"),
            "standard_seconds": units.to_float(roofline.standard_seconds, "a time"),
            "separable_seconds": units.to_float(roofline.separable_seconds, "a time"),
            "peak_macs_per_second": roofline.device.peak_for(roofline.dtype),
            "bandwidth_bytes_per_second": roofline.device.bandwidth,
        }
    return document


def baseline_text(results: Sequence[NetworkCost], files: Sequence[str]) -> str:
    """A baseline of ``check``: byte for byte what ``dsc-cost network FILE... --format json`` prints."""
    return network_json(results, False, files)


# ---------------------------------------------------------------- sweep


def sweep_json(variants: Sequence[Variant]) -> str:
    """``{"variants": [...]}`` with exact integers; width and savings as numbers."""
    return json_text(
        {
            "variants": [
                {
                    "network": v.network,
                    "width": units.to_float(v.width, "a width"),
                    "resolution": v.resolution,
                    "params": v.total.params,
                    "mults": v.total.mults,
                    "standard": {"params": v.standard.params, "mults": v.standard.mults},
                    "savings_vs_standard": units.to_float(v.savings_vs_standard, "a saving"),
                    **(totals_memory_json(v.memory) if v.memory is not None else {}),
                }
                for v in variants
            ]
        },
        inline_depth=2,
    )


# ---------------------------------------------------------------- conventions


def conventions_json(subjects: Sequence[tuple[Subject, Sequence[ConventionRow]]]) -> str:
    """``{"conventions": [{"name", "batch", "dsc_cost": {"params", "mults"}, "tools": [...]}]}``."""
    return json_text(
        {
            "conventions": [
                {
                    "name": subject.name,
                    "batch": subject.batch,
                    "dsc_cost": {"params": subject.params, "mults": subject.mults},
                    "tools": [
                        {**as_json(row.reported), "title": row.convention.title, "differences": row.differences}
                        for row in rows
                    ],
                }
                for subject, rows in subjects
            ]
        },
        inline_depth=3,
    )


# ---------------------------------------------------------------- devices


def _calibration_json(device: Device) -> dict[str, object]:
    """A calibrated profile's ``calibration`` (nothing for a profile without one)."""
    c = device.calibration
    if c is None:
        return {}
    return {
        "calibration": {
            "run_seconds": float(c.run), "overhead_seconds": float(c.overhead), "rates": dict(c.rates),
            "bandwidths": dict(c.bandwidths),
            **({"kind_overhead_seconds": {k: float(v) for k, v in c.overheads}} if c.overheads else {}),
            "runtime": c.runtime, "threads": c.threads, "cpu": c.cpu, "date": c.date, "residuals": dict(c.residuals),
        }
    }  # fmt: skip


def devices_json(devices: Sequence[Device]) -> str:
    """``{"devices": [{"name", "title", "kind", "peak": {dtype: MACs/s}, "bandwidth", "source", "note"}]}``."""
    return json_text(
        {
            "devices": [
                {
                    "name": d.name,
                    "title": d.title,
                    "kind": d.kind,
                    "peak": dict(d.peak),
                    "bandwidth": d.bandwidth,
                    "source": d.source,
                    "note": d.note,
                    **_calibration_json(d),
                }
                for d in devices
            ]
        },
        inline_depth=2,
    )


# ---------------------------------------------------------------- check


def _number(value: int | Fraction) -> int | float:
    return value if isinstance(value, int) else units.to_float(value)


def check_document(report: Report) -> dict[str, Any]:
    """The report of ``check`` as a dict: per network, each limit (value, limit, ok, margin, source)
    and the baseline comparison; exact integers for counts, fractions as floats."""
    from ..check import BaselineCheck, LimitCheck, MissingCheck

    networks = []
    for where in report.networks:
        mine = [c for c in report.checks if c.where.whole == where]
        limits = {
            c.key: {"value": _number(c.value), "limit": _number(c.limit), "ok": c.ok,
                    "margin": units.to_float(c.margin, "a margin"), "source": c.source}
            for c in mine if isinstance(c, LimitCheck)
        }  # fmt: skip
        baseline: dict[str, Any] | None = None
        if report.baseline is not None and any(not isinstance(c, LimitCheck) for c in mine):
            baseline = {"found": not any(isinstance(c, MissingCheck) for c in mine)}
            for c in mine:
                if isinstance(c, BaselineCheck):
                    growth = None if c.growth is None else units.to_float(c.growth, "a growth")
                    baseline[c.metric] = {"before": c.before, "after": c.after, "delta": c.delta,
                                          "growth": growth, "ok": c.ok}  # fmt: skip
            baseline["ok"] = all(c.ok for c in mine if not isinstance(c, LimitCheck))
        networks.append(
            {
                "name": where.network,
                "file": where.file,
                "ok": not any(report.failed(c) for c in mine),
                "limits": limits,
                "baseline": baseline,
            }
        )
    document: dict[str, Any] = {"ok": not report.failures, "networks": networks}
    if report.baseline is not None:
        document["baseline"] = {
            "file": report.baseline,
            "tolerance": units.to_float(report.tolerance, "a tolerance"),
            "updated": report.writes_baseline,
        }
    return document


def check_json(report: Report) -> str:
    return json_text(check_document(report))
