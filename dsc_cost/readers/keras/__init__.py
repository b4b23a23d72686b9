"""Keras models in, without Keras or TensorFlow: the model description of a ``.keras`` file (its ``config.json``)
or of a legacy ``.h5`` file (its ``model_config`` attribute, read with h5py: ``pip install 'dsc-cost[keras]'``)
read as a :class:`~dsc_cost.network.Network`, so that every command that costs spec files costs Keras files too,
and ``dsc-cost import`` writes the equivalent spec.

The weights are never read, and nothing of the file is imported, unpickled or run: the JSON is data. Functional
and Sequential models are read, and models used as layers of others (their layers named ``MODEL/LAYER``); each
layer class is mapped onto a layer type of the registry by a handler (:data:`HANDLERS`, docs/keras.md's table).
Layer names are Keras' names; an activation given as a layer's argument is a layer of its own after it,
``NAME_activation``. A layer class not read is a problem naming the layer and its class (``allow_unknown``: it
costs nothing, and the network's notes say the result is approximate).

Params are counted as Keras counts its trainable weights; batch-norm's moving mean and variance are reported as
non-trainable beside them (``--as keras`` adds them: ``model.count_params()``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ...errors import BoundError, SpecError
from ...layers.base import spatial_dims
from ...network import Network, Node, Notes
from ..bounds import DEFAULT_BOUNDS, Bounds, Tally, bound_message
from ..onnx import Problem
from .build import Builder, Invalid
from .handlers import HANDLERS, Handler
from .model import Shaped, Walk, channels_last, count_layers
from .source import h5_config, keras_config, problem

if TYPE_CHECKING:
    from ...spec import Spec

SUFFIXES = (".keras", ".h5")
"""The ends of the names of Keras files (lower case): ``.keras`` archives, legacy HDF5 files."""


class KerasOptions(NamedTuple):
    """How a Keras file is read: ``input`` sets the input's map (channels, height, width) where the model's is not
    fixed or to change it; ``allow_unknown`` costs a layer class not read as nothing (the network is then
    approximate) where it is otherwise a problem. :class:`dsc_cost.onnx.OnnxOptions` is read the same way."""

    input: Any = None
    allow_unknown: bool = False


def is_keras(path: str) -> bool:
    """Whether ``path`` names a Keras file (by its suffix)."""
    return path.lower().endswith(SUFFIXES)


UNKNOWN_HINT = (
    "dsc-cost costs only the layers it reads (docs/keras.md lists them); --allow-unknown costs these as nothing"
    " and marks the result approximate"
)


def model_config(path: str, max_size: int) -> Any:
    """The parsed model description of the Keras file ``path`` (``.h5``: HDF5; else a ``.keras`` zip)."""
    if path.lower().endswith(".h5"):
        return h5_config(path, max_size)
    return keras_config(path, max_size)


def read_network(
    path: str, options: Any = None, bounds: Bounds = DEFAULT_BOUNDS, tally: Tally | None = None
) -> Network:
    """The network of the Keras file ``path``, read within ``bounds``: its model description of at most
    ``bounds.max_file_size`` bytes (the weights are not read, whatever their size), and its layers (each layer of
    each model counted once) with the layers ``tally`` counted so far, at most ``bounds.max_layers``.
    ``options`` (a :class:`KerasOptions` or :class:`~dsc_cost.onnx.OnnxOptions`; ``None``: the defaults) gives
    ``input`` and ``allow_unknown``.

    :raises SpecError: one problem naming the file when its model description cannot be read or is not a model's;
        one problem per layer that is not as Keras writes it, does not fit its input, or is of a class not read
        (with ``allow_unknown``: none for these), each naming the layer, its class and the key; all at once;
        a :class:`~dsc_cost.errors.BoundError` when a bound is passed.
    """
    input_shape = getattr(options, "input", None)
    allow_unknown = bool(getattr(options, "allow_unknown", False))
    model = model_config(path, bounds.max_file_size)
    try:
        count = count_layers(model)
    except Shaped as shaped:
        raise problem(path, shaped.message, shaped.where) from None
    if tally is not None:
        tally.listed += count
        if tally.listed > bounds.max_layers:
            raise BoundError([Problem(path, 0, 0, "", "", bound_message(bounds.max_layers))])
    elif count > bounds.max_layers:
        raise BoundError([Problem(path, 0, 0, "", "", bound_message(bounds.max_layers))])
    last, disagreeing = channels_last(model)
    if disagreeing is not None:
        name, cls, value = disagreeing
        expected = "channels_last" if last else "channels_first"
        message = f"expected {expected!r}, as the layers before, found {value!r}"
        raise problem(path, message, f"layer {name} ({cls})", "data_format")
    builder = Builder(path, last)
    walk = Walk(builder, input_shape, allow_unknown)
    try:
        outputs = walk.model(model, "", None)
    except Invalid as invalid:
        builder.problem("", invalid.field, invalid.message)
        outputs = []
    if "input" not in builder.shapes and not builder.problems:
        builder.problem("", "input_layers", "the model has no input layer: give --input CxHxW")
    if builder.unknown and not allow_unknown:
        for kind, count in sorted(builder.unknown.items(), key=lambda item: (-item[1], item[0])):
            times = f" (×{count:,} in the model)" if count > 1 else ""
            builder.problem(builder.first_unknown[kind], "", f"a layer dsc-cost does not read{times}: {UNKNOWN_HINT}")
    if builder.problems:
        raise SpecError(builder.problems)
    if not outputs or (all(o is None for o in outputs) and not builder.unknown):
        raise problem(path, "the model's outputs are made by no layer read")
    nodes = []
    previous = "input"
    for name, kind, layer, inputs in builder.nodes.values():
        same = len(inputs) == 1 and inputs[0] == previous
        nodes.append(Node(name, kind, layer, () if same else tuple(inputs)))
        previous = name
    notes = None
    if builder.unknown or builder.statistics:
        unknown = tuple(sorted(builder.unknown.items(), key=lambda item: (-item[1], item[0])))
        notes = Notes(unknown, builder.skipped, kept=builder.statistics)
    stem = os.path.splitext(os.path.basename(path))[0]
    return Network(stem, builder.shapes["input"], tuple(nodes), notes)


def load_keras(
    path: str,
    options: Any = None,
    warn: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    tally: Tally | None = None,
) -> list[Spec]:
    """The spec of the Keras file ``path`` (as :func:`~dsc_cost.spec.load_files` gives one for each network of a
    spec file), read within ``bounds`` and ``tally`` as :func:`read_network` reads it; ``warn`` hears the layers
    costed as nothing (``allow_unknown``), a line.

    :raises SpecError: as :func:`read_network`.
    """
    from ...spec import Spec

    previous = spatial_dims(2)
    try:
        network = read_network(path, options, bounds, tally)
    finally:
        spatial_dims(previous)
    if warn is not None and network.notes is not None and network.notes.approximate:
        layers = ", ".join(f"{kind} ×{n}" for kind, n in network.notes.unknown)
        total = sum(n for _, n in network.notes.unknown)
        warn(
            f"{path}: {total:,} layer{'s' if total != 1 else ''} not read ({layers}) costed as nothing"
            " (--allow-unknown): the result is approximate"
        )
    return [Spec(network, None, path, 0, "", tuple(range(len(network.nodes))))]


__all__ = [
    "HANDLERS", "SUFFIXES", "UNKNOWN_HINT", "Handler", "KerasOptions", "is_keras", "load_keras", "model_config",
    "read_network",
]  # fmt: skip
