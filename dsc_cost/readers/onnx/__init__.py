"""ONNX models in: a graph read as a :class:`~dsc_cost.network.Network`, so that every command that costs spec
files costs ``.onnx`` files too (``dsc-cost import`` writes the spec: :mod:`dsc_cost.readers.spec_writer`).

Weights are never read: the file is mapped, not loaded, and its initializers are kept without their data (their
dims are all that counts), so that a 100 MB model is read in a fraction of a second and in little memory
(:mod:`.modelfile`). Shapes are propagated here, through the ops that costing needs; the small integer subgraphs
that compute shapes are evaluated, then ignored (:mod:`.builder`, :mod:`.walk`). Every shape propagated is checked
against the one the file declares or ``onnx.shape_inference`` infers, every weight's dims against the channels it
meets. An op that is not understood is a problem (``allow_unknown``: it costs nothing, and the network's notes say
the result is approximate); a weight that several layers read counts once per use (``shared_weights="once"``:
once).

Each op is read by its handler (:mod:`.ops`, one module per family), which maps it onto a layer type of the
registry: a Conv is ``conv``, ``depthwise`` (one group per input channel) or ``pointwise`` (1×1), and a depthwise
conv whose output goes only to a 1×1 conv (straight, or through one activation, as MobileNetV2's blocks run them)
is one ``separable`` layer; Gemm, and MatMul with a weight, are ``linear`` (``per_position`` on a channels-last
map), a bias added after them is theirs; Mul by a per-channel weight is ``scale``; x·sigmoid(x) is ``silu`` and
x·½(1 + erf(x/√2)) is ``gelu``. :data:`HANDLERS` lists every op read, what it costs and what it reads; the registry
is open: :func:`register_op` adds an op (:mod:`.registry` says what a handler takes and gives), and packages add
theirs through the entry-point group ``dsc_cost.onnx_ops``.

The package ``onnx`` is optional (``pip install 'dsc-cost[onnx]'``): without it, an ONNX file is one problem
naming it. This package imports its modules when one of its names is first used (but :class:`OnnxOptions`, which
every command makes): a run that reads no ONNX file does not import the reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .options import DEFAULTS, OnnxOptions, SharedWeights

if TYPE_CHECKING:
    from .modelfile import INSTALL, KEEP_DATA, Problem, is_onnx, read_model
    from .registry import HANDLERS, OP_PLUGINS, SAME, Handler, OpHandler, OpNode, load_op_plugins, register_op
    from .values import Attrs, Constant, Data, InvalidValue, NotUnderstood
    from .walk import UNKNOWN_HINT, Imported, load_onnx, notes_warnings, read_network

_HOMES = {
    "modelfile": ("INSTALL", "KEEP_DATA", "Problem", "is_onnx", "read_model"),
    "registry": (
        "HANDLERS", "OP_PLUGINS", "SAME", "Handler", "OpHandler", "OpNode", "load_op_plugins", "register_op",
    ),
    "values": ("Attrs", "Constant", "Data", "InvalidValue", "NotUnderstood"),
    "walk": ("UNKNOWN_HINT", "Imported", "load_onnx", "notes_warnings", "read_network"),
}  # fmt: skip
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """A name of the reader, its modules imported on first use (the walk first: every built-in op registered)."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module(f"{__name__}.walk")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULTS", "HANDLERS", "INSTALL", "KEEP_DATA", "OP_PLUGINS", "SAME", "UNKNOWN_HINT", "Attrs", "Constant",
    "Data", "Handler", "Imported", "InvalidValue", "NotUnderstood", "OnnxOptions", "OpHandler", "OpNode", "Problem",
    "SharedWeights", "is_onnx", "load_onnx", "load_op_plugins", "notes_warnings", "read_model", "read_network",
    "register_op",
]  # fmt: skip
