"""What a layer type is: the declaration every module of :mod:`dsc_cost.layers` makes.

A layer type has a type name (the spec's ``type:`` word), a one-line doc, its fields
(:class:`Field`: how a spec value is parsed, its default, whether it is required and
whether ``defaults:`` may set it), and the class of its values. A layer value is an
immutable named tuple that knows

* ``evaluate(inputs)``: its shape rule and its own costs, as one :class:`Evaluation`;
* ``as_standard(inputs)`` and ``as_separable()``, when it changes in a what-if: the layers it
  becomes (**as standard**: a separable layer as the full conv of the same geometry; **as
  separable**: a standard conv as depthwise + pointwise). They are the what-ifs' one rule:
  what a layer costs in a what-if is what those layers cost, run one after the other
  (:func:`as_standard`, :func:`as_separable`; a network costs them, memoised by value,
  in :mod:`dsc_cost.network`);
* ``elements(inputs, output)``: what other counters count beyond one multiply-accumulate
  per weight (:class:`Elements`, the input of :mod:`dsc_cost.conventions`), and from which
  dsc-cost counts its own other operations (:func:`other_ops`).

A type reads one input (the previous layer, or the one ``from:`` names) or, when it
has an ``inputs`` field, several. :func:`register` declares a type and gives its values
their equality: a layer equals only a layer of its own type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, Protocol, TypeVar

from ..formulas import AXES, Cost, Shape, ShapeError

Kind = Literal["conv", "depthwise", "pointwise", "linear", "other"]
"""Buckets of the by-kind breakdown: full conv, depthwise, pointwise 1×1, linear, other."""

KINDS: tuple[Kind, ...] = ("conv", "depthwise", "pointwise", "linear", "other")
KIND_TITLES: dict[Kind, str] = {
    "conv": "full conv",
    "depthwise": "depthwise",
    "pointwise": "pointwise 1×1",
    "linear": "linear",
    "other": "other",
}

new = tuple.__new__  # makes a named tuple from its fields twice as fast as calling the class


class Evaluation(NamedTuple):
    """One layer on its input(s): output shape, own (params, mults), and the own cost split by kind
    (a separable layer is part depthwise, part pointwise). What it costs in the what-ifs is not here:
    it is what the layers it becomes cost (:func:`as_standard`, :func:`as_separable`).

    Plain integers, not :class:`~dsc_cost.formulas.Cost` values: a network evaluates thousands of these."""

    output: Shape
    params: int
    mults: int
    parts: tuple[tuple[Kind, int, int], ...]
    bn_params: int = 0
    """Learnable batch-norm params (γ, β) included in ``params``; as many running statistics
    (mean, variance) are kept beside them, non-trainable."""

    @property
    def cost(self) -> Cost:
        return Cost(self.params, self.mults)


class PairRole(NamedTuple):
    """What a layer on a given input is to a separable pair (:mod:`dsc_cost.pairs`), from its ``pair_role(x)``:

    * ``"depthwise"``: a depthwise conv; ``value`` is its window and whether it may pair,
      (kernel, stride, padding, dilation, pair);
    * ``"partner"``: a pointwise partner (a 1×1 conv of stride 1 and one group, a linear layer at every
      position); ``value`` is (out, bias, batchnorm), what the pair's full conv takes from it;
    * ``"through"``: a layer acting per position or per channel, which a pair may pass through;
    * ``"gate"``: an element-wise product, which a pair passes when its other input is a C×1×1 gate.

    A layer without ``pair_role``, or whose ``pair_role`` gives ``None``, ends a pair's path; a class whose
    ``pair_role`` may say ``"depthwise"`` is declared with :func:`starts_pairs` (the others are not asked where
    pairs start)."""

    kind: Literal["depthwise", "partner", "through", "gate"]
    value: tuple[Any, ...] = ()


THROUGH = PairRole("through")
GATE = PairRole("gate")
L = TypeVar("L")
PAIR_STARTS: set[type] = set()
"""The layer classes whose ``pair_role`` may say ``"depthwise"``: where a separable pair may start."""


def starts_pairs(cls: type[L]) -> type[L]:
    """Declare the decorated layer class one whose values may be the depthwise layer of a separable pair."""
    PAIR_STARTS.add(cls)
    return cls


FREE: tuple[int, int] = (0, 0)


def same(output: Shape, counts: tuple[int, int], kind: Kind, bn_params: int = 0) -> Evaluation:
    """A layer of one kind, ``counts`` its (params, mults); ``bn_params`` of batch-norm on top."""
    params, mults = counts
    if not bn_params:
        return new(Evaluation, (output, params, mults, ((kind, params, mults),), 0))
    parts: tuple[tuple[Kind, int, int], ...] = ((kind, params, mults), ("other", bn_params, 0))
    return new(Evaluation, (output, params + bn_params, mults, parts, bn_params))


def broadcast(kind: str, shapes: tuple[Shape, ...]) -> Shape:
    """The output of an element-wise op on ``shapes``: equal shapes, or C×1×1 beside C×H×W of the
    same C (a gate, broadcast over the map; C×1 over C×L in 1-D, C×1×1×1 over C×D×H×W in 3-D).

    :raises ShapeError: (field ``inputs``) naming the two shapes that do not go together, in input order.
    """
    ones = (1,) * (len(shapes[0]) - 1)
    full = next((i for i, x in enumerate(shapes) if x[1:] != ones), 0)
    output = shapes[full]
    for index, x in enumerate(shapes):
        if x == output or (x[1:] == ones and x.channels == output.channels):
            continue
        pair = f"{shapes[min(index, full)]} and {shapes[max(index, full)]}"
        if x[1:] == ones and len(x) == len(output):
            gate, whole = GATES.get(len(ones), ("C×1…", "C×…"))
            raise ShapeError("inputs", f"{kind} broadcasts {gate} over {whole} of the same C, found {pair}")
        raise ShapeError("inputs", f"{kind} needs equal shapes, found {pair}")
    return output


GATES = {1: ("C×1", "C×L"), 2: ("C×1×1", "C×H×W"), 3: ("C×1×1×1", "C×D×H×W")}
"""A gate and the map it broadcasts over, by spatial dimensions."""


def fits(x: Shape, *sizes: object) -> bool:
    """Whether each of ``sizes`` that is a tuple holds one value per spatial dimension of ``x``."""
    dims = len(x) - 1
    for value in sizes:
        if isinstance(value, tuple) and len(value) != dims:
            return False
    return True


T = TypeVar("T", bound=tuple[Any, ...])


def refit(x: Shape, layer: T, fields: tuple[str, ...]) -> T:
    """``layer`` with its size fields that were left at their 2-D defaults (``(1, 1)``, ``(0, 0)``) given one
    value per spatial dimension of its input ``x``; a spec's layers always have that already, a layer built in
    code may not.

    :raises ShapeError: (the field) for a size field set to a number of values that is not the input's,
        saying how many it needs.
    """
    dims = len(x) - 1
    defaults = getattr(layer, "_field_defaults", {})
    changes = {}
    for name in fields:
        value = getattr(layer, name)
        if not isinstance(value, tuple) or len(value) == dims:
            continue
        if value == defaults.get(name):
            changes[name] = value[:1] * dims
            continue
        values = f"{dims} value{'s' if dims > 1 else ''} {axes_text(dims)}"
        raise ShapeError(name, f"expected {values} for the {dims}-D input {x}, found {len(value)}: {list(value)}")
    return layer._replace(**changes)  # type: ignore[attr-defined, no-any-return]


class Elements(NamedTuple):
    """What other counters count beyond one multiply-accumulate per weight, for one sample:
    the inputs of :mod:`dsc_cost.conventions`. None of these is in dsc-cost's ``mults``; its
    other operations are some of them (:data:`OTHER_OPS`)."""

    biased_outputs: int = 0  # output elements of biased convolutions and linear layers
    bn_elements: int = 0  # elements normalized by batch-norm
    bn_channels: int = 0  # channels normalized by batch-norm
    max_pool_inputs: int = 0  # input elements of max pooling (global too)
    avg_pool_inputs: int = 0  # input elements of (windowed) average pooling
    avg_pool_outputs: int = 0
    global_avg_inputs: int = 0  # input elements of adaptive average pooling (global: its 1×1 case)
    global_avg_outputs: int = 0
    pool_reads: int = 0  # window elements read by pooling: output elements × window (adaptive: PyTorch's windows)
    mean_inputs: int = 0  # input elements of a global mean (`x.mean([2, 3])`)
    add_ops: int = 0  # additions of add layers: (inputs − 1) × output elements
    mul_elements: int = 0  # output elements of element-wise products
    scale_elements: int = 0  # output elements of per-channel scales
    activation_elements: int = 0  # output elements of activations, every function
    relu_elements: int = 0  # of which relu
    relu6_elements: int = 0  # of which relu6
    gelu_elements: int = 0  # of which gelu
    silu_elements: int = 0  # of which silu
    layernorm_elements: int = 0  # elements normalized by layer-norm
    layernorm_channels: int = 0
    groupnorm_elements: int = 0  # elements normalized by group-norm
    groupnorm_channels: int = 0
    nearest_outputs: int = 0  # output elements of nearest upsampling
    bilinear_outputs: int = 0  # output elements of bilinear upsampling
    scale_channels: int = 0  # channels of per-channel scales (their params)
    transposed_surplus: int = 0
    """Weights of transposed convolutions × (output positions − input positions): what a counter adds that
    counts their weights per output position, not per input position as dsc-cost does (may be negative)."""
    linear_surplus: int = 0
    """Params of linear layers applied at every position × (1 − positions): what a counter adds that counts
    their params (weights and bias) once per sample, not per position as dsc-cost counts their weights and
    biased outputs (zero or negative)."""
    nd_global_avg_inputs: int = 0  # of global_avg_inputs, those of 1-D and 3-D maps (adaptive_avg_pool1d/3d)
    nd_nearest_outputs: int = 0  # of nearest_outputs, those of 1-D and 3-D maps (upsample_nearest1d/3d)


OTHER_OPS: Elements = Elements(
    pool_reads=1, mean_inputs=1, add_ops=1, mul_elements=1, scale_elements=1, activation_elements=1,
    bn_elements=1, layernorm_elements=1, groupnorm_elements=1, nearest_outputs=1, bilinear_outputs=4,
)  # fmt: skip
"""dsc-cost's own count of other operations, as coefficients on :class:`Elements`: one per window element
read by pooling and per input element of a global mean; one per addition, per product, per scaled element
and per activation; one per element normalized (batch-, layer- and group-norm: the per-element scale and
shift); one per output element of nearest upsampling and four of bilinear (a weighted sum of four
neighbours). Biases add nothing (as in ``mults``), nor do concatenation, split and shuffle."""


def other_ops(elements: Elements) -> int:
    """The other operations of ``elements``: :data:`OTHER_OPS` applied to them.

    >>> other_ops(Elements(add_ops=10, bilinear_outputs=3))
    22
    """
    return sum([c * elements[i] for i, c in _OTHER_TERMS])


_OTHER_TERMS = tuple((i, c) for i, c in enumerate(OTHER_OPS) if c)
NOTHING = Elements()
"""No elements at all (shared: a network makes one per layer)."""


def normalized(output: Shape, biased: bool, batchnorm: bool) -> Elements:
    """Elements of a layer whose bias and batch-norm act on ``output``."""
    if not (biased or batchnorm):
        return NOTHING
    elements = output.numel
    return Elements(elements if biased else 0, elements if batchnorm else 0, output.channels if batchnorm else 0)


class Layer(Protocol):
    """What every layer value does (each is a named tuple of its type's fields)."""

    def evaluate(self, inputs: tuple[Shape, ...]) -> Evaluation: ...

    def elements(self, inputs: tuple[Shape, ...], output: Shape) -> Elements: ...


# ---------------------------------------------------------------- the protocol's optional parts
#
# What a walker over a network asks of any layer, answered here for every type: a type says it by defining the
# method named (a separable layer's ``steps``, a split's ``part_count`` and ``outputs``), and every other type
# takes the answer below. No walker tests a layer's class or attributes.


def kernels(layer: Layer) -> tuple[Layer, ...]:
    """The kernels ``layer`` runs, one after the other: its ``steps()`` (a separable layer's depthwise and
    pointwise convs), or itself."""
    steps = getattr(layer, "steps", None)
    return steps() if steps is not None else (layer,)


def part_count(layer: Layer) -> int:
    """How many outputs of its own ``layer`` has beside its output, read as ``NAME.0``, ``NAME.1``, … (a split's
    parts); 0 for a layer of one output."""
    count: int = getattr(layer, "part_count", 0)
    return count


def parts(layer: Layer, x: Shape) -> tuple[Shape, ...]:
    """The shapes of the outputs ``NAME.0``, ``NAME.1``, … of ``layer`` on ``x`` (:func:`part_count` of them)."""
    outputs = getattr(layer, "outputs", None)
    return outputs(x) if outputs is not None else ()


def is_view(layer: Layer) -> bool:
    """Whether the outputs of ``layer`` are views of its input (a split's parts): no tensor of its own, no bytes
    moved."""
    return part_count(layer) > 0


def intermediate_values(layer: Layer, inputs: tuple[Shape, ...], output: Shape) -> int:
    """The values ``layer`` makes between its kernels, per sample (a separable layer's depthwise output, C·M
    per output position); 0 for a layer of one kernel."""
    steps = kernels(layer)
    if len(steps) == 1:
        return 0
    shapes, values = inputs, 0
    for step in steps[:-1]:
        shapes = (step.evaluate(shapes).output,)
        values += shapes[0].numel
    return values


def channel_fields(layer: Layer) -> tuple[str, ...]:
    """The attributes of ``layer`` that count channels (its type's fields declared with ``channels=True``):
    what a width multiplier scales."""
    for layer_type in _TYPES:
        if layer_type.layer is type(layer):
            return tuple(f.attribute for f in layer_type.fields if f.channels and f.attribute)
    return ()


def as_standard(layer: Layer, inputs: tuple[Shape, ...]) -> tuple[Layer, ...]:
    """The layers ``layer`` becomes on ``inputs`` in the as-standard what-if, alone (not in a separable pair,
    :mod:`dsc_cost.pairs`): its ``as_standard(inputs)``, or itself."""
    form = getattr(layer, "as_standard", None)
    return form(inputs) if form is not None else (layer,)


def as_separable(layer: Layer) -> tuple[Layer, ...]:
    """The layers ``layer`` becomes in the as-separable what-if: its ``as_separable()``, or itself."""
    form = getattr(layer, "as_separable", None)
    return form() if form is not None else (layer,)


def run(form: tuple[Layer, ...], inputs: tuple[Shape, ...]) -> tuple[Shape, int, int]:
    """The output and the (params, mults) for one sample of the layers ``form`` run one after the other on
    ``inputs``: what a layer costs in a what-if, from the layers it becomes (:func:`as_standard`,
    :func:`as_separable`).

    :raises ShapeError: when a layer of ``form`` does not fit its input.
    """
    params = mults = 0
    for layer in form:
        evaluation = layer.evaluate(inputs)
        params += evaluation.params
        mults += evaluation.mults
        inputs = (evaluation.output,)
    return inputs[0], params, mults


# ---------------------------------------------------------------- fields


class Invalid(Exception):
    """A spec value a field does not take. ``expected`` and ``found`` replace the field's own
    "expected ..." text and the value when a part of the value is what is wrong."""

    def __init__(self, expected: str | None = None, found: object = None) -> None:
        self.expected = expected
        self.found = found


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def positive(value: object) -> int:
    if _is_int(value) and value >= 1:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    raise Invalid


_DIMS = [2]
"""The number of spatial dimensions of the spec being read (its input's): how many values a
size field takes, and how many one integer stands for."""


def spatial_dims(dims: int) -> int:
    """Read size fields for inputs of ``dims`` spatial dimensions from now on (2 unless a 1-D or 3-D
    spec is being read); returns the number it replaces."""
    previous = _DIMS[0]
    _DIMS[0] = dims
    return previous


def axes_text(dims: int) -> str:
    """``[height, width]`` in 2-D, ``[length]`` in 1-D, ``[depth, height, width]`` in 3-D."""
    return "[" + ", ".join(AXES.get(dims, ("size",) * dims)) + "]"


def _pair(minimum: int, what: str) -> Callable[[object], tuple[int, ...]]:
    def parse(value: object) -> tuple[int, ...]:
        dims = _DIMS[0]
        if dims == 2:
            if _is_int(value) and value >= minimum:  # type: ignore[operator]
                return (value, value)  # type: ignore[return-value]
            if isinstance(value, list) and len(value) == 2 and all(_is_int(v) and v >= minimum for v in value):
                return (value[0], value[1])
            raise Invalid
        if _is_int(value) and value >= minimum:  # type: ignore[operator]
            return (value,) * dims  # type: ignore[return-value]
        if isinstance(value, list) and len(value) == dims and all(_is_int(v) and v >= minimum for v in value):
            return tuple(value)
        raise Invalid(f"{what} or {axes_text(dims)} of them (a {dims}-D input)", value)

    return parse


size = _pair(1, "a positive integer")
"""A positive integer or [height, width] of them (one per spatial dimension in 1-D and 3-D)."""
_nonnegative_pair = _pair(0, "a non-negative integer")


nonnegative_pair = _nonnegative_pair
"""A non-negative integer or [height, width] of them (one per spatial dimension in 1-D and 3-D)."""


def choice(*words: str) -> Callable[[object], str]:
    """A parser that takes one of ``words``."""

    def parse(value: object) -> str:
        if isinstance(value, str) and value in words:
            return value
        raise Invalid

    return parse


def padding(value: object) -> tuple[int, ...] | str:
    if value == "same" or value == "valid":
        return value
    try:
        return _nonnegative_pair(value)
    except Invalid as invalid:
        if invalid.expected is None:
            raise
        dims = _DIMS[0]
        expected = f"a non-negative integer, {axes_text(dims)}, 'same' or 'valid' (a {dims}-D input)"
        raise Invalid(expected, value) from None


def flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""The control characters: exactly Unicode's category Cc."""


def plain_name(value: str) -> str:
    """``value``, refused when it holds a control character (a name is data, never terminal control)."""
    if _CONTROL.search(value):
        raise Invalid("a name without control characters", value)
    return value


def name(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return plain_name(value)
    raise Invalid


def _reference(value: object) -> str:
    if isinstance(value, str) and value:
        return plain_name(value)
    raise Invalid


def inputs(value: object) -> list[str]:
    if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, str) and v for v in value):
        for item in value:
            plain_name(item)
        return value
    raise Invalid


class Field(NamedTuple):
    """One field of a layer type, as a spec writes it.

    ``default`` is the text that documents the default (``None`` when there is none);
    ``attribute`` names the layer value's attribute that receives the value (``None``: the
    field does not go into the layer value, as ``inputs``)."""

    name: str
    parse: Callable[[object], Any]
    expected: str
    default: str | None = None
    required: bool = False
    defaultable: bool = False
    attribute: str | None = None
    channels: bool = False
    """A count of channels: it scales with a width multiplier (``sweep --width``)."""


def field(
    name: str,
    parse: Callable[[object], Any],
    expected: str,
    default: str | None = None,
    *,
    required: bool = False,
    defaultable: bool = False,
    attribute: str | None = None,
    channels: bool = False,
) -> Field:
    """A :class:`Field`; its value goes to the layer attribute of the same name unless ``attribute`` says otherwise.

    A spec's ``defaults:`` may set it only when it says ``defaultable=True``: a field added to a type later must
    not take a value its author never meant for it. ``channels=True``: a count of channels, which a width
    multiplier scales."""
    return Field(name, parse, expected, default, required, defaultable, attribute or name, channels)


OUT = field("out", positive, "a positive integer", required=True, defaultable=True, channels=True)
KERNEL = field("kernel", size, "a positive integer or [height, width] of them", required=True, defaultable=True)
STRIDE = field("stride", size, "a positive integer or [height, width] of them", "1", defaultable=True)
PADDING = field("padding", padding, "a non-negative integer, [height, width], 'same' or 'valid'", "0", defaultable=True)
DILATION = field("dilation", size, "a positive integer or [height, width] of them", "1", defaultable=True)
MULTIPLIER = field("multiplier", positive, "a positive integer", "1", defaultable=True)
BIAS = field("bias", flag, "true or false", "false", defaultable=True)
BATCHNORM = field("batchnorm", flag, "true or false", "false", defaultable=True)
GEOMETRY = (KERNEL, STRIDE, PADDING, DILATION)
"""The sliding window of a convolution: kernel, stride, padding, dilation."""

INPUTS = Field("inputs", inputs, "a list of two or more layer names", required=True, defaultable=False)
"""The field of a type that reads several outputs; a type without it reads one (``from:``)."""


def _two_inputs(value: object) -> list[str]:
    if isinstance(value, list) and len(value) == 2:
        return inputs(value)
    raise Invalid


TWO_INPUTS = Field("inputs", _two_inputs, "a list of two layer names", required=True, defaultable=False)
"""``inputs`` of a type that reads exactly two outputs."""


def _repeat(value: object) -> int:
    if _is_int(value) and value >= 1:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    raise Invalid


NAME = Field("name", name, "a non-empty name", "the type and a number", defaultable=False)
REPEAT = Field(
    "repeat", _repeat, "a positive whole number (the layers of a run are bounded by --max-layers)", "1",
    defaultable=False,
)  # fmt: skip
FROM = Field("from", _reference, "a layer name or 'input'", "the previous layer", defaultable=False)
COMMON = (NAME, REPEAT)
"""Fields every layer takes besides its own (and ``from`` for a type of one input)."""


# ---------------------------------------------------------------- layer types


class LayerType:
    """One layer type of the registry: its spec word, doc, fields and the class of its values."""

    __slots__ = (
        "allowed", "by_name", "check", "doc", "example", "fields", "layer", "multi_input", "name", "order", "required",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        doc: str,
        fields: tuple[Field, ...],
        layer: type,
        order: int,
        example: str,
        check: Callable[[Mapping[str, Any]], tuple[str, str] | None] | None = None,
    ) -> None:
        self.name = name
        self.doc = doc
        self.fields = fields
        self.layer = layer
        self.order = order
        self.example = example
        """A spec layer of this type with every field, as YAML writes it in flow style, valid on a
        4×16×16 input (its ``inputs`` read ``input``)."""
        self.check = check
        """Extra validation of the parsed values: (field, message) of a problem, or ``None``."""
        self.multi_input = any(f.name == "inputs" for f in fields)
        self.required = tuple(f.name for f in fields if f.required)
        common = COMMON if self.multi_input else (*COMMON, FROM)
        self.by_name: dict[str, Field] = {f.name: f for f in (*fields, *common)}
        self.allowed = frozenset(self.by_name)
        """Every key a layer of this type may have but ``type``."""

    def build(self, values: Mapping[str, Any]) -> Layer:
        """The layer value of validated field values (absent fields take the class's defaults)."""
        arguments = {f.attribute: values[f.name] for f in self.fields if f.attribute and f.name in values}
        dims = _DIMS[0]
        if dims != 2:  # the class's defaults of size fields are (height, width) pairs: one value per dimension
            for attribute, default in getattr(self.layer, "_field_defaults", {}).items():
                if attribute not in arguments and isinstance(default, tuple):
                    arguments[attribute] = default[:1] * dims
        return self.layer(**arguments)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"LayerType({self.name!r})"


_TYPES: list[LayerType] = []
REGISTRY: dict[str, LayerType] = {}
"""Every layer type registered so far, by its spec name, in registry order: kept as types register (a type
registered from outside the package, by a plugin, is in it from then on)."""


def _same_layer(self: tuple[Any, ...], other: object) -> bool:
    return type(self) is type(other) and tuple.__eq__(self, other)


def _other_layer(self: tuple[Any, ...], other: object) -> bool:
    return not _same_layer(self, other)


def register(
    name: str,
    doc: str,
    fields: tuple[Field, ...],
    order: int,
    example: str,
    check: Callable[[Mapping[str, Any]], tuple[str, str] | None] | None = None,
) -> Callable[[type[L]], type[L]]:
    """Declare the decorated named tuple as the layer type ``name``, described by ``doc`` (one line);
    ``order`` places it in :data:`~dsc_cost.layers.REGISTRY`; ``example`` is a spec layer of the type
    with every field, in YAML's flow style (the tests cost it, and put any value in each of its fields); ``check``
    validates what the fields alone cannot.

    Layers are named tuples (cheap to define and to make), but a layer equals only a layer of its
    own type: a conv and a separable layer with the same numbers are different layers."""

    def declare(cls: type[L]) -> type[L]:
        if name in REGISTRY:
            raise ValueError(f"layer type {name!r} is registered already (by {REGISTRY[name].layer.__module__})")
        cls.__eq__ = _same_layer  # type: ignore[assignment, method-assign]
        cls.__ne__ = _other_layer  # type: ignore[assignment, method-assign]
        # the tuple's own hash, in C: a network memoises by layer value. Equal layers (one type, equal fields) hash
        # alike; layers of two types with the same numbers share a hash and are told apart by their equality
        cls.__hash__ = tuple.__hash__  # type: ignore[assignment, method-assign]
        _TYPES.append(LayerType(name, doc, fields, cls, order, example, check))
        ordered = registered()
        REGISTRY.clear()  # the same dict, in registry order: every module that holds it sees the new type
        REGISTRY.update((t.name, t) for t in ordered)
        return cls

    return declare


def layer_class(name: str) -> Callable[..., Layer]:
    """The class of the values of the registered layer type ``name``: a layer module makes a value of another
    type through the registry (a depthwise conv's full conv as standard), not by importing its module.

    :raises KeyError: when no type of that name is registered.
    """
    return REGISTRY[name].layer


def type_of(layer: object) -> str:
    """The name of the registered layer type whose values ``layer`` is of (``""`` for none)."""
    return next((t.name for t in _TYPES if type(layer) is t.layer), "")


def registered() -> list[LayerType]:
    """Every layer type declared so far, in registry order."""
    return sorted(_TYPES, key=lambda t: t.order)
