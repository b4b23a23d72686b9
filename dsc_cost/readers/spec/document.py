"""The network of one document of a spec."""

from __future__ import annotations

from typing import Any

from ...errors import Path_
from ...layers.base import NAME, spatial_dims
from ...network import Network
from ..bounds import Tally as _Tally
from ..yamltext import _key, describe
from ..yamltext import kind as kind_of
from .blocks import _blocks
from .expand import _nodes
from .model import _Scaling, _Source
from .params import Choice, budget_values, input_values, network_params
from .validate import _TOP_KEYS, _Checker, _defaults, _input_shape, _parse_field, _suggestion


def _network(
    doc: object,
    document: int,
    default_name: str,
    check: _Checker,
    tally: _Tally,
    scaling: _Scaling | None = None,
    source: _Source | None = None,
    choice: Choice | None = None,
) -> tuple[Network, Any, tuple[int, ...], dict[int, Path_]] | None:
    """The network of one document, its budget, and for each node the index of the spec layer it came from."""
    if not isinstance(doc, dict):  # what the file holds is not shown: it may be anything (a key, a password)
        check.add((), "", "", f"expected a mapping with name, input and layers, found {kind_of(doc)}")
        return None
    for key in doc:
        if key not in _TOP_KEYS:
            check.add(
                (key,), "", _key(key),
                f"unknown key: expected one of {', '.join(_TOP_KEYS)}{_suggestion(key, _TOP_KEYS)}", at_key=True,
            )  # fmt: skip
    name: object = default_name
    if "name" in doc:
        name, message = _parse_field(NAME, doc["name"])
        if message is not None:
            check.add(("name",), "", "name", message)
    params = network_params(doc.get("params"), check)
    names = {key: value for key, value in params.items() if value is not None}
    if choice is not None:
        names.update(choice.values)
        if choice.variant is not None and isinstance(name, str):
            name = f"{name}[{choice.variant}]"
    for key in params:
        if key not in names:
            hint = f"give it with --set {key}=VALUE or in a variant"
            check.add(("params", key), "", f"params.{key}", f"missing value: {key} has no default ({hint})")
    budget = doc.get("budget")
    if budget is not None and not isinstance(budget, dict):
        check.add(("budget",), "", "budget", f"expected a mapping of limits, found {describe(budget)}")
    elif budget is not None:
        budget = budget_values(budget, names, check)
    if "input" not in doc:
        check.add((), "", "input", "missing: expected [channels, height, width]")
        shape = None
    else:
        before = len(check.problems)
        value = input_values(doc["input"], names, check)
        shape = _input_shape(value, check) if len(check.problems) == before else None
    spatial_dims(shape.dims if shape is not None else 2)  # how many values size fields take
    defaults = _defaults(doc.get("defaults"), check)
    layers = doc.get("layers")
    if not isinstance(layers, list) or not layers:
        found = "nothing" if layers is None else describe(layers)
        check.add(
            ("layers",) if "layers" in doc else (), "", "layers", f"expected a non-empty list of layers, found {found}"
        )
        return None
    before = len(check.problems) + len(check.located)
    blocks = _blocks(doc.get("blocks"), check)
    nodes, origins, inner = _nodes(
        layers, defaults, check, tally, blocks, shape, scaling, source, names, doc.get("use")
    )
    tally.used += len(nodes)
    if shape is None or len(check.problems) + len(check.located) > before or not isinstance(name, str):
        return None
    return Network(name, shape, tuple(nodes)), budget, tuple(origins), inner
