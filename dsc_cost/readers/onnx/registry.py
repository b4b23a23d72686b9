"""The registry of ONNX op handlers: every op type the reader reads, how, and what it costs as (docs/onnx.md's
table of ops is made from it). The registry is live and open, as fvcore's ``set_op_handle``: :func:`register_op`
adds an op's handler (or replaces one, when told to) at any time, and the walker reads :data:`HANDLERS` at each
node, so a handler registered after import is used. Where the walker meets an op type with no handler, it imports
the modules of the entry-point group :data:`OP_PLUGINS` once (:func:`load_op_plugins`), as a spec naming a layer
type it does not know loads the group ``dsc_cost.layers``.

A handler (:data:`OpHandler`) is called for each node of its op type that reads the network's data (a node of
constants alone is evaluated, or ignored, as a shape computation), with an :class:`OpNode`: the node, its
attributes (read by type, each checked), its inputs (the network's :class:`~.values.Data` or a
:class:`~.values.Constant`: a weight's dims, a small constant's values) and the shape of its data as a layer's
``evaluate`` takes it. Its data must be as a layer made it (channels first, the batch before them): other data (a
channels-last map, a flattened one) is an op not understood. It returns what the node is:

* a layer value of a registered layer type (``GroupNormLayer(8)``), which reads the node's first data input (every
  data input, for a type of several inputs such as ``add``); or a list of layers, each reading the one before;
* :data:`SAME`: the node passes its input on (a copy, a cast, nothing counted);
* or it refuses: ``raise NotUnderstood("why")`` for an op or a use of it that it does not cost (refused, or
  costed as nothing with ``--allow-unknown``: never silent), ``raise InvalidValue(field, message)`` for a value
  no valid model has (a problem located at the node and ``field``, saying what was expected and what was found).

The built-in ops are read by handlers of the walker's own form (:class:`Handler`'s ``read``: the builder and the
node), which may also fuse nodes (a depthwise conv and its 1×1 conv) and follow layouts (channels last, views).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, Union, overload

from ...formulas import Shape
from ...layers import REGISTRY
from ...plugins import load_group
from .builder import _set
from .values import Attrs, Constant, Data, NotUnderstood

if TYPE_CHECKING:
    from ...layers.base import Layer
    from .builder import _Builder


class Handler(NamedTuple):
    """How the reader reads one op type: ``read`` (the builder, the node), what it becomes (``costs``: the layer
    type and when), the attributes and constant inputs it reads (``reads``): a row of docs/onnx.md's table; and
    ``weights``, the positions of the inputs that are a layer's params where they are weights (a weight that
    several layers read is counted per use or once: a BatchNormalization's running mean and variance are
    statistics, not params)."""

    read: Callable[[_Builder, Any], None]
    costs: str
    reads: str = ""
    weights: tuple[int, ...] = ()


HANDLERS: dict[str, Handler] = {}
"""Every op type the reader reads, with what it costs and what it reads, in the order of docs/onnx.md's table
(the built-in ops, then those registered since). Constant and the arithmetic of shape constants are evaluated
wherever they read no data."""

NOTHING = "nothing: the same values"


def builtin(op_type: str, read: Callable[[_Builder, Any], None], costs: str, reads: str = "", **more: Any) -> None:
    """Register a built-in op's handler, of the walker's own form (``more``: ``weights``)."""
    HANDLERS[op_type] = Handler(read, costs, reads, tuple(more.get("weights", ())))


class OpNode(NamedTuple):
    """What an op handler receives: ``node``, the ``onnx.NodeProto`` (its ``op_type``, ``name``, ``input`` and
    ``output`` names); ``attrs``, its attributes, each read as the type ONNX gives it (``attrs.integer("group", 1,
    1)``: an integer of at least 1, 1 where it is not given; ``integers``, ``number``, ``numbers``, ``string``,
    ``tensor``; ``"name" in attrs``), a value of another type or out of range being an :class:`InvalidValue` at
    its name; ``inputs``, one per input of the node: :class:`Data` (the network's data: its ``dims``, batch first),
    :class:`Constant` (a weight or a constant: its ``dims``, and its flat ``values`` where it is small) or ``None``
    (an input left out, or a tensor not followed); ``shape``, the shape of the first data input as a layer's
    ``evaluate`` takes it (channels, then each spatial size)."""

    node: Any
    attrs: Attrs
    inputs: tuple[Data | Constant | None, ...]
    shape: Shape


class Same:
    """The answer of a handler whose node passes its input on: the same values, nothing counted."""

    def __repr__(self) -> str:
        return "SAME"


SAME = Same()
"""What a handler returns when the node's output is its first data input, unchanged (nothing is counted)."""

OpResult = Union["Layer", list["Layer"], Same]
OpHandler = Callable[[OpNode], OpResult]
"""An op handler: an :class:`OpNode` in, a layer, a list of layers or :data:`SAME` out (or
:class:`NotUnderstood`, :class:`InvalidValue` raised)."""

H = TypeVar("H", bound=OpHandler)


@overload
def register_op(
    op_type: str, handler: None = None, *, costs: str = "", reads: str = "", weights: Sequence[int] = (),
    replace: bool = False,
) -> Callable[[H], H]: ...  # fmt: skip


@overload
def register_op(
    op_type: str, handler: H, *, costs: str = "", reads: str = "", weights: Sequence[int] = (), replace: bool = False
) -> H: ...


def register_op(
    op_type: str,
    handler: H | None = None,
    *,
    costs: str = "",
    reads: str = "",
    weights: Sequence[int] = (),
    replace: bool = False,
) -> H | Callable[[H], H]:
    """Make ``handler`` (:data:`OpHandler`) read the nodes of ``op_type``; without ``handler``, a decorator that
    does so. ``costs`` says what the op becomes (its docstring's first line where it is not given) and ``reads``
    the attributes and inputs it reads: the op's row of docs/onnx.md's table. ``weights`` are the positions of
    the inputs that are the layer's params (a weight read by several layers is counted per use, or once with
    ``--shared-weights once``). An op type that has a handler keeps it unless ``replace``.

    :raises ValueError: when ``op_type`` has a handler already (and not ``replace``), or nothing says what it
        costs.
    """

    def add(function: H) -> H:
        text = costs or (function.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ").strip()
        if not text:
            raise ValueError(f"the handler of {op_type!r} says nothing of what the op costs: give costs=")
        if op_type in HANDLERS and not replace:
            raise ValueError(f"the ONNX op {op_type!r} has a handler already (give replace=True to replace it)")
        HANDLERS[op_type] = Handler(_adapted(function), text, reads, tuple(weights))
        return function

    return add if handler is None else add(handler)


def _kind(layer: object) -> str:
    """The registered layer type of ``layer``."""
    for layer_type in REGISTRY.values():
        if type(layer) is layer_type.layer:
            return layer_type.name
    raise NotUnderstood(f"its handler gave {type(layer).__name__}, not a layer of a registered type")


def _adapted(function: OpHandler) -> Callable[[_Builder, Any], None]:
    """``function`` as the walker calls a handler: its answer added to the network being built."""

    def read(b: _Builder, node: Any) -> None:
        inputs = tuple(b.values.get(name) if name else None for name in node.input)
        data = [value for value in inputs if isinstance(value, Data)]
        for value in data:  # each as a layer made it: channels first, the batch before them
            if value.axis != 1 or value.dims[1:] != tuple(b.shapes[value.ref]):
                raise NotUnderstood("an input that is not channels first, as a layer's output is")
        x = data[0]
        result = function(OpNode(node, b.attrs(node), inputs, b.shapes[x.ref]))
        if isinstance(result, Same):
            _set(b, node, x._replace(tag=()))
            return
        layers = result if isinstance(result, list) else [result]
        if not layers:
            raise NotUnderstood("its handler gave no layer")
        refs = tuple(value.ref for value in data)
        for layer in layers:
            kind = _kind(layer)
            ref = b.add(node.name, kind, layer, refs if REGISTRY[kind].multi_input else refs[:1], node.output[0])
            refs = (ref,)
        _set(b, node, Data((1, *b.shapes[ref]), ref, 1))

    return read


OP_PLUGINS = "dsc_cost.onnx_ops"
"""The entry-point group of packages that add ONNX op handlers: each entry point names a module that registers
its handlers with :func:`register_op` when imported."""

_plugins: list[str] = []  # the entry points loaded, once loaded


def load_op_plugins() -> list[str]:
    """Import the modules of the entry points of the group :data:`OP_PLUGINS`, once: the handlers they register
    join :data:`HANDLERS`. Called where the walker meets an op type with no handler, so that a graph of known
    ops never reads the installed packages' metadata. Returns the entry points' names.

    :raises PluginError: when one cannot be imported.
    """
    return load_group(OP_PLUGINS, "ONNX op", _plugins)


def handler_of(op_type: str) -> Handler | None:
    """The handler of ``op_type`` in the live registry, the op plugins loaded first where it has none."""
    handler = HANDLERS.get(op_type)
    if handler is None and not _plugins:
        load_op_plugins()
        handler = HANDLERS.get(op_type)
    return handler
