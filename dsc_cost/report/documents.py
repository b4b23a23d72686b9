"""The JSON documents of every command, built from domain values: exact integers for counts,
fractions as floats. Written by :func:`~dsc_cost.report.jsontext.json_text`.

Light on purpose: ``--format json`` imports this module, the json module and nothing of rich.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import units
from ..analysis import compare_reports, network_bytes, network_reports
from ..formulas import Comparison, Conv, Cost, Shape
from ..savings import Savings, savings_vs_standard, separable_potential
from .jsontext import RawJSON, json_text

if TYPE_CHECKING:
    from ..check import Report
    from ..conventions import Convention, Reported, Subject
    from ..conventions import Row as ConventionRow
    from ..devices import Device
    from ..memory import LayerMemory, LayerTime, NetworkMemory, Settings
    from ..network import LayerCost, NetworkCost
    from ..variants import Variant


def shape_json(shape: Shape) -> dict[str, int] | list[int]:
    """``{"channels", "height", "width"}`` of a 2-D map; a 1-D or 3-D map as the list its spec's ``input:``
    writes: ``[channels, length]``, ``[channels, depth, height, width]``."""
    if len(shape) != 3:
        return list(shape)
    return {"channels": shape[0], "height": shape[1], "width": shape[2]}


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
    result: NetworkCost,
    flops: bool = False,
    file: str | None = None,
    layers: bool = True,
    convention: Convention | None = None,
    computed: tuple[list[Reported], Reported | None] | None = None,
    settings: Settings | None = None,
    memory: NetworkMemory | None = None,
) -> dict[str, Any]:
    """One network of ``dsc-cost network --format json`` as a dict (``layers=False``: without
    the per-layer list). With a convention, every layer and the totals gain ``"as"``
    (``computed``: :func:`network_reports` already at hand). Every layer and the totals have
    ``"memory"`` (bytes at ``settings``' dtypes, fp32 without); with a device, ``"roofline"`` too
    (``memory``: :func:`~dsc_cost.memory.network_memory` already at hand)."""
    layer_reports, total_report = computed if computed is not None else network_reports(result, convention)
    if memory is None:
        memory = network_bytes(result, settings)
    roofline = memory.roofline
    rows = [
        {
            "name": layer.name,
            "type": layer.type,
            **({"pair": layer.pair, "pair_role": layer.pair_role} if layer.pair else {}),
            "input": shape_json(layer.input),
            "output": shape_json(layer.output),
            **cost_json(layer.cost, flops),
            "other_ops": layer.other_ops,
            "trainable_params": layer.cost.params,
            "non_trainable_params": layer.bn_params,
            "standard": cost_json(layer.standard, flops),
            "separable": cost_json(layer.separable, flops),
            **({"as": as_json(layer_reports[index])} if layer_reports else {}),
            **({"train_only": True} if layer.train_only else {}),
            "memory": layer_memory_json(memory.layers[index]),
            **({"roofline": layer_time_json(roofline.layers[index])} if roofline else {}),
        }
        for index, layer in enumerate(result.layers)
        if layers
    ]
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
                **({"as": _total_as(result, total_report)} if total_report else {}),
                **totals_memory_json(memory),
            },
            "savings_vs_standard": savings_json(savings_vs_standard(result.total, result.standard)),
            "separable_potential": savings_json(separable_potential(result.standard, result.separable)),
            "by_kind": {kind: cost_json(cost, flops) for kind, cost in result.by_kind.items()},
        }
    )
    return document


def network_json(
    results: Sequence[NetworkCost],
    flops: bool = False,
    files: Sequence[str] | None = None,
    convention: Convention | None = None,
    settings: Settings | None = None,
    explain: bool = False,
) -> str:
    """``{"networks": [...]}`` with exact integers: :func:`network_document` of each network, with
    each layer written on one line (straight from the values: a network may have 100,000 layers);
    ``explain``: each with an ``"explain"`` list of lines on its separable pairs."""
    from . import notes

    names = files if files is not None else [None] * len(results)
    documents = []
    memo: dict[tuple[object, ...], tuple[str, LayerTime | None]] = {}
    for result, file in zip(results, names, strict=True):
        computed = network_reports(result, convention)
        memory = network_bytes(result, settings)
        document = network_document(result, flops, file, False, convention, computed, settings, memory)
        times: list[LayerTime | None] = [*memory.roofline.layers] if memory.roofline else [None] * len(result.layers)
        if computed[0]:  # an ``as`` report on every layer
            rows = zip(result.layers, computed[0], memory.layers, times, strict=True)
            document["layers"] = [_layer_line(layer, flops, r, m, t) for layer, r, m, t in rows]
        else:
            document["layers"] = _layer_lines(result.layers, flops, memo, memory.layers, times)
        if explain:
            from .explain import pairs_explained

            document["explain"] = pairs_explained(result)
        document.update(notes.network_keys(result))  # approximate, shared weights: ONNX models only
        documents.append(document)
    return json_text({**notes.document_keys(results), "networks": documents})


_encode_string = json.encoder.encode_basestring


def _layer_line(
    layer: LayerCost,
    flops: bool,
    reported: Reported | None = None,
    memory: LayerMemory | None = None,
    time: LayerTime | None = None,
) -> RawJSON:
    """One layer of :func:`network_document`, encoded as the JSON encoder would, only faster."""

    def cost(c: Cost) -> str:
        return f'"params": {c.params}, "mults": {c.mults}' + (f', "flops": {2 * c.mults}' if flops else "")

    def shape(s: Shape) -> str:
        if len(s) != 3:
            return "[" + ", ".join(map(str, s)) + "]"
        return f'{{"channels": {s[0]}, "height": {s[1]}, "width": {s[2]}}}'

    try:
        return _layer_text(layer, flops, reported, cost, shape, memory, time)
    except ValueError:  # int → str refused: more digits than Python writes
        raise units.TooLarge(too_long(f"layer {layer.name!r}", "JSON")) from None


def _layer_lines(
    layers: Sequence[LayerCost],
    flops: bool,
    memo: dict[tuple[object, ...], tuple[str, LayerTime | None]],
    memories: Sequence[LayerMemory],
    times: Sequence[LayerTime | None],
) -> list[RawJSON]:
    """:func:`_layer_line` of each layer (without an ``as`` report), its text after the name and type written
    once for every layer with the same values (a block's layers repeat)."""
    lines = []
    encode, raw = _encode_string, RawJSON
    for layer, memory, time in zip(layers, memories, times, strict=True):
        head = f'{{"name": {encode(layer.name)}, "type": {encode(layer.type)}, {_pair_text(layer)}'
        # what the line writes after the name and type (as :func:`_layer_text` does): blocks repeat these. A time
        # is known by its identity, kept beside the text so that no other takes its id while the memo lives:
        # hashing its fractions is slow, and the layers of one layer value on the same inputs share one.
        key = (layer.input, layer.output, layer.cost, layer.standard, layer.separable, layer.other_ops,
               layer.bn_params, layer.train_only, memory[1:], id(time))  # fmt: skip
        known = memo.get(key)
        if known is None:
            known = memo[key] = (_layer_line(layer, flops, None, memory, time)[len(head) :], time)
        lines.append(raw(head + known[0]))
    return lines


def _pair_text(layer: LayerCost) -> str:
    """A layer's ``"pair"`` and ``"pair_role"`` in its JSON line, after its name and type ('' when unpaired)."""
    if not layer.pair:
        return ""
    return f'"pair": {_encode_string(layer.pair)}, "pair_role": {_encode_string(layer.pair_role)}, '


def too_long(where: str, output: str) -> str:
    """The message of an integer too long to write exactly in ``output`` (JSON, CSV)."""
    return (
        f"value too large: {where} has a count of more than {units.max_digits():,} digits, "
        f"the most {output} is written with (counts there are exact)"
    )


def _layer_text(
    layer: LayerCost,
    flops: bool,
    reported: Reported | None,
    cost: Any,
    shape: Any,
    memory: LayerMemory | None,
    time: LayerTime | None,
) -> RawJSON:
    # what is written here after the name and type is the key of the lines' memo in _layer_lines: keep them alike
    tail = "" if reported is None else ", " + _encode_as(reported)
    tail += ', "train_only": true' if layer.train_only else ""
    if memory is not None:
        tail += (
            f', "memory": {{"weight_bytes": {memory.weight_bytes}, "input_bytes": {memory.input_bytes}, '
            f'"output_bytes": {memory.output_bytes}, "intermediate_bytes": {memory.intermediate_bytes}, '
            f'"live_bytes": {memory.live_bytes}}}'
        )
    if time is not None:
        tail += ', "roofline": ' + json.dumps(layer_time_json(time), separators=(", ", ": "))
    return RawJSON(
        f'{{"name": {_encode_string(layer.name)}, "type": {_encode_string(layer.type)}, {_pair_text(layer)}'
        f'"input": {shape(layer.input)}, "output": {shape(layer.output)}, {cost(layer.cost)}, '
        f'"other_ops": {layer.other_ops}, '
        f'"trainable_params": {layer.cost.params}, "non_trainable_params": {layer.bn_params}, '
        f'"standard": {{{cost(layer.standard)}}}, "separable": {{{cost(layer.separable)}}}{tail}}}'
    )


def _total_as(result: NetworkCost, reported: Reported) -> dict[str, Any]:
    """The totals' ``"as"``; torchinfo's also has its memory lines, in its MB (bytes ÷ 1e6, two decimals)."""
    document = as_json(reported)
    if reported.tool == "torchinfo":
        from ..conventions import torchinfo_memory

        keys = ("input_size", "forward_backward_pass_size", "params_size", "estimated_total_size")
        lines = torchinfo_memory(result).lines()
        document["memory_mb"] = {key: float(line.rpartition(" ")[2]) for key, line in zip(keys, lines, strict=True)}
    return document


def layer_memory_json(memory: LayerMemory) -> dict[str, int]:
    """``{"weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes"}`` of a layer."""
    return {
        "weight_bytes": memory.weight_bytes,
        "input_bytes": memory.input_bytes,
        "output_bytes": memory.output_bytes,
        "intermediate_bytes": memory.intermediate_bytes,
        "live_bytes": memory.live_bytes,
    }


def layer_time_json(time: LayerTime) -> dict[str, Any]:
    """``{"intensity", "seconds", "bound", "standard_seconds", "separable_seconds"}`` of a layer on a device."""
    return {
        "intensity": units.to_float(time.intensity, "an intensity"),
        "seconds": units.to_float(time.seconds, "a time"),
        "bound": time.bound,
        "standard_seconds": units.to_float(time.standard_seconds, "a time"),
        "separable_seconds": units.to_float(time.separable_seconds, "a time"),
    }


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


def _encode_as(reported: Reported) -> str:
    return '"as": ' + json.dumps(as_json(reported), ensure_ascii=False, separators=(", ", ": "))


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
