"""The spec of a network, written as ``dsc-cost import`` writes it: every field of a layer that is not its
default, ``from`` or ``inputs`` where a layer reads an output that is not the previous one's, as plain data
(:func:`spec_data`) or as YAML or JSON text (:func:`spec_text`). Reading the spec back gives the same network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..network import Network


def plain_value(field: Any, value: Any) -> Any:
    """``value`` as the spec writes it: a pair of equal numbers as one where the field reads it back so."""
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == value[1]:
            try:
                if field.parse(value[0]) == value:
                    return value[0]
            except Exception:  # the field takes lists only (a split's sizes)
                pass
        return list(value)
    return value


def spec_data(network: Network) -> dict[str, Any]:
    """The spec of ``network`` as plain data: every field of a layer that is not its default, ``from`` where
    a layer reads an output that is not the previous one's."""
    from ..layers import REGISTRY

    layers = []
    for node in network.nodes:
        item: dict[str, Any] = {"name": node.name, "type": node.type}
        layer_type = REGISTRY.get(node.type)
        if layer_type is not None:
            defaults = type(node.layer)._field_defaults  # type: ignore[attr-defined]
            for field in layer_type.fields:
                if field.attribute is None or field.name == "inputs":
                    continue
                value = getattr(node.layer, field.attribute)
                if field.attribute in defaults and value == defaults[field.attribute]:
                    continue
                item[field.name] = plain_value(field, value)
        if node.inputs:
            if layer_type is not None and layer_type.multi_input:
                item["inputs"] = list(node.inputs)
            else:
                item["from"] = node.inputs[0]
        layers.append(item)
    shape = network.input
    return {"name": network.name, "input": [shape.channels, *shape.spatial], "layers": layers}


def spec_text(network: Network, format: str = "yaml") -> str:
    """The spec of ``network`` as YAML (one layer a line, in flow style) or JSON."""
    import json

    data = spec_data(network)
    if format == "json":
        return json.dumps(data, indent=2) + "\n"
    lines = [f"name: {json.dumps(data['name'])}", f"input: {json.dumps(data['input'])}", "layers:"]
    for item in data["layers"]:
        fields = ", ".join(f"{key}: {json.dumps(value)}" for key, value in item.items())
        lines.append(f"  - {{{fields}}}")
    return "\n".join(lines) + "\n"


__all__ = ["plain_value", "spec_data", "spec_text"]
