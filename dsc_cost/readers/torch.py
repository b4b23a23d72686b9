"""PyTorch modules in one call: :func:`from_torch` exports a module to ONNX in memory and reads it with the ONNX
reader (:mod:`dsc_cost.onnx`), so that a model is costed as its exported file would be, every layer named by its
module path (``features.3.conv.1``); :func:`summary` prints the table of ``dsc-cost network`` for it.

The export is ``torch.onnx.export`` with the TorchScript-based exporter, which needs nothing beyond torch and onnx
(the dynamo exporter needs onnxscript too): the module in eval mode, ``training=PRESERVE`` so that batch-norm is
kept as it is (not folded into the convs: the params are the module's own, ``sum(p.numel())``), with constant
folding (a linear layer's transposed weight is a weight again). torch is imported here alone, inside the
functions, never by ``import dsc_cost`` or the command line (``pip install 'dsc-cost[torch]'``).
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import DscCostError, SpecError

if TYPE_CHECKING:
    from ..network import NetworkCost

INSTALL = "from_torch needs torch and onnx: pip install 'dsc-cost[torch]'"

_COPY = re.compile(r"_\d+$")
"""The suffix the exporter gives a module's scope when the module runs again (ResNet's one ``relu``, run twice,
is ``relu`` then ``relu_1``)."""


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise DscCostError(INSTALL) from None
    return torch


def _input_size(input_size: Sequence[int]) -> tuple[int, ...]:
    """``input_size`` as torchinfo takes it: the batch first, then channels and one size per spatial dimension."""
    sizes = tuple(input_size)
    if len(sizes) < 3 or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in sizes):
        raise ValueError(
            "input_size: expected the batch, the channels and the spatial sizes as positive integers, as torchinfo"
            f" takes them, such as (1, 3, 224, 224); found {input_size!r}"
        )
    return sizes


def module_path(scopes: Sequence[str], modules: set[str]) -> str:
    """The module path (``features.3.conv.1``) of the TorchScript exporter's scopes of a node
    (``["features", "features.3", "conv", "conv.1"]``): each scope ends with its module's attribute name (a
    ``Sequential``'s child is named with its parent's prefix), a module run again has ``_N`` after it. A scope that
    names no module of ``modules`` ends the path there.

    >>> module_path(["features", "features.3", "conv", "conv.1"], {"features", "features.3", "features.3.conv",
    ...     "features.3.conv.1"})
    'features.3.conv.1'
    >>> module_path(["layer1", "layer1.0", "relu_1"], {"layer1", "layer1.0", "layer1.0.relu"})
    'layer1.0.relu'
    """
    path = ""
    for scope in scopes:
        name = scope.rpartition(".")[2]
        for candidate in (name, _COPY.sub("", name)):
            full = f"{path}.{candidate}" if path else candidate
            if full in modules:
                path = full
                break
        else:
            break
    return path


def layer_names(model: Any, node_names: Sequence[str], op_types: Sequence[str]) -> list[str]:
    """The name of each exported node (``/features/features.3/conv/conv.1/Conv``): the path of the module that
    made it; an op that a module with children runs itself (a residual ``Add``, ``torch.flatten`` in the model's
    ``forward``) is ``PATH.op`` (``layer1.0.add``; at the top, ``flatten``)."""
    modules = dict(model.named_modules())
    paths = set(modules) - {""}
    names = []
    for raw, op in zip(node_names, op_types, strict=True):
        scopes = [part for part in raw.split("/")[:-1] if part]
        path = module_path(scopes, paths)
        module = modules.get(path)
        leaf = path != "" and module is not None and not any(True for _ in module.children())
        names.append(path if leaf else f"{path}.{op.lower()}" if path else op.lower())
    return names


def export(model: Any, input_size: Sequence[int]) -> bytes:
    """``model`` exported to ONNX (the bytes of the model): in eval mode, its own mode restored after, on an
    input of zeros of ``input_size`` with a batch of one, on the device and in the float type of its first
    parameter."""
    torch = _torch()
    sizes = _input_size(input_size)
    first = next(iter(model.parameters()), None)
    device = first.device if first is not None else "cpu"
    dtype = first.dtype if first is not None and first.is_floating_point() else torch.float32
    x = torch.zeros((1, *sizes[1:]), device=device, dtype=dtype)
    buffer = io.BytesIO()
    training = model.training
    model.eval()
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice, tracer warnings
            torch.onnx.export(
                model,
                (x,),
                buffer,
                dynamo=False,
                training=torch.onnx.TrainingMode.PRESERVE,
                do_constant_folding=True,
                keep_initializers_as_inputs=True,  # equal weights (batch-norm's ones) stay apart: not deduplicated
            )
    finally:
        model.train(training)
    return buffer.getvalue()


def _renamed(model: Any, data: bytes) -> bytes:
    """The exported model with each node named by :func:`layer_names`."""
    try:
        import onnx
    except ImportError:
        raise DscCostError(INSTALL) from None
    proto = onnx.load_from_string(data)
    nodes = proto.graph.node
    for node, name in zip(nodes, layer_names(model, [n.name for n in nodes], [n.op_type for n in nodes]), strict=True):
        node.name = name
    result: bytes = proto.SerializeToString()
    return result


def from_torch(
    model: Any,
    input_size: Sequence[int],
    *,
    allow_unknown: bool = False,
    name: str | None = None,
) -> NetworkCost:
    """The cost of the PyTorch module ``model`` on an input of ``input_size`` (as torchinfo takes it: the batch
    first, ``(1, 3, 224, 224)``): exported to ONNX in memory and read as ``dsc-cost network model.onnx`` reads the
    file, each layer named by its module path, the network by ``name`` (its class name without). Counts are for
    the batch (mults × batch); params are the module's own, batch-norm's two per channel included.

    :raises SpecError: as the ONNX reader, each problem located at ``<name>`` and the layer: an op it does not
        understand (``allow_unknown``: costed as nothing, the result marked approximate).
    :raises DscCostError: without torch or onnx.
    :raises ValueError: ``input_size`` is not the batch, the channels and the spatial sizes.
    """
    import tempfile

    from ..network import cost_network
    from ..onnx import OnnxOptions, read_network

    sizes = _input_size(input_size)
    title = name or type(model).__name__
    data = _renamed(model, export(model, sizes))
    handle, path = tempfile.mkstemp(suffix=".onnx", prefix="dsc-cost-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        try:
            imported = read_network(path, OnnxOptions(allow_unknown=allow_unknown))
        except SpecError as error:
            shown = f"<{title}>"
            problems = [p._replace(file=shown, message=p.message.replace(path, shown)) for p in error.problems]
            raise type(error)(problems) from None
    finally:
        os.unlink(path)
    return cost_network(imported.network._replace(name=title), sizes[0])


def summary(model: Any, input_size: Sequence[int], *, width: int | None = None, **options: Any) -> NetworkCost:
    """Print the table of ``dsc-cost network`` for ``model`` (every layer, the totals, and the what-ifs: every conv
    standard, every conv depthwise separable), as torchinfo's ``summary(model, input_size)`` prints its own, and
    return the result of :func:`from_torch` (``options``: its keywords). ``width``: the table's (the terminal's
    without)."""
    from rich.console import Console

    from ..report import network_output

    result = from_torch(model, input_size, **options)
    Console(width=width, highlight=False).print(network_output([result], "table"))
    return result
