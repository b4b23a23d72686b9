"""What other counters report for the same layers, and why it differs from dsc-cost.

dsc-cost counts one multiply-accumulate per weight per output position and nothing else.
The PyTorch counters add terms of their own: a bias add per output element, batch-norm,
pooling; some report FLOPs (2 × MACs); one ignores the batch; Keras counts batch-norm's
running statistics as parameters. Every such rule is a whole-number coefficient on a
count of elements (:class:`~dsc_cost.network.Elements`), so each tool is one row of
:data:`CONVENTIONS`, read from that tool's source (cited beside each row) and checked
against the tool itself on PyTorch 2.13 (the README's "Matching other tools").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:  # imported where used: the command line reads TOOLS at every start
    from .comparison import Comparison
    from .formulas import Shape
    from .network import Elements, NetworkCost


@dataclass(frozen=True)
class Convention:
    """One tool's counting rules: coefficients on :class:`Elements`, per sample."""

    tool: str
    title: str
    unit: Literal["MACs", "FLOPs"]
    counts_ops: bool = True  # False: the tool reports parameters only
    scale: int = 1  # FLOPs = 2 × MACs
    per_sample: bool = False  # reports one sample whatever the batch
    bias_per_output: int = 0  # per output element of a biased conv or linear layer
    bn_per_element: int = 0  # per element normalized by batch-norm
    bn_per_channel: int = 0  # per channel normalized by batch-norm
    max_pool_per_input: int = 0  # per input element of max pooling
    avg_pool_per_input: int = 0  # per input element of windowed average pooling
    avg_pool_per_output: int = 0  # per output element of windowed average pooling
    global_avg_per_input: int = 0  # per input element of global (any adaptive) average pooling
    global_avg_per_output: int = 0  # per output element of global (any adaptive) average pooling
    running_stats_in_params: bool = False  # batch-norm's mean and variance counted as params
    relu_per_element: int = 0  # per element of a relu activation
    relu6_per_element: int = 0
    gelu_per_element: int = 0
    silu_per_element: int = 0
    layernorm_per_element: int = 0  # per element normalized by layer-norm
    layernorm_per_channel: int = 0
    groupnorm_per_element: int = 0  # per element normalized by group-norm
    groupnorm_per_channel: int = 0
    nearest_per_output: int = 0  # per output element of nearest upsampling
    bilinear_per_output: int = 0  # per output element of bilinear upsampling
    transposed_per_output_position: int = 0  # transposed convs' weights per output, not input, position
    linear_per_sample: int = 0  # per-position linear layers' params once per sample, not per position
    counts_unruled_params: bool = True  # False: group-norm's and layer scales' params are left out
    nd_global_avg_per_input: int = 0  # correction for 1-D and 3-D global (adaptive) average pooling
    nd_nearest_per_output: int = 0  # correction for 1-D and 3-D nearest upsampling


CONVENTIONS: dict[str, Convention] = {
    # torchinfo 1.8.0, layer_info.py LayerInfo.calculate_macs: a Conv's every parameter (bias too) × output
    # positions × batch; any other layer's parameters × batch, so batch-norm adds 2 per channel.
    # Pools, additions, concatenation: no parameters, so nothing. total_mult_adds sums the leaves.
    # A ConvTranspose is a "Conv" class too: its parameters × output positions. LayerNorm and GroupNorm: their
    # parameters, 2 per channel. Activations, x * y, x.mean, upsampling: no parameters, nothing.
    # A Linear on a channels-last map (B, H, W, C) is no "Conv": its parameters, weights and bias, × output_size[0],
    # the batch, once per sample whatever H·W (ConvNeXt-Tiny: 322,371,592 Mult-Adds against fvcore's 4,455,531,264).
    "torchinfo": Convention(
        "torchinfo",
        "torchinfo 1.8",
        "MACs",
        bias_per_output=1,
        bn_per_channel=2,
        layernorm_per_channel=2,
        groupnorm_per_channel=2,
        transposed_per_output_position=1,
        linear_per_sample=1,
    ),
    # ptflops 0.7.5, default backend "pytorch": pytorch_ops.py conv_flops_counter_hook and
    # linear_flops_counter_hook (+1 per biased output), bn_flops_counter_hook (2 per element when affine),
    # pool_flops_counter_hook (input elements) plus the patched functional pooling counted again (2 per input);
    # `x + y` is not patched. get_flops_pytorch feeds a batch of one: the count is per sample. The adaptive pools,
    # average and max, whatever their output size: pool_flops_counter_hook and their patched functional, 2 per input.
    # relu_flops_counter_hook (1 per element) on ReLU and GELU, whose F.relu and F.gelu are patched too (+1);
    # ReLU6 calls F.hardtanh (unpatched): 1; SiLU has no module hook, its F.silu is patched: 1; Hardswish,
    # Hardsigmoid, Sigmoid, Tanh: nothing. bn_flops_counter_hook on GroupNorm (affine: 2 per element) and
    # LayerNorm (no `affine` attribute: 1). ConvTranspose: conv_flops_counter_hook with transpose=True, per
    # input position as dsc-cost (+ bias per output element). Upsample: upsample_flops_counter_hook, 1 per
    # output element, and its F.interpolate, patched, 1 per output element again, nearest or bilinear.
    # linear_flops_counter_hook: (in features · out features + out features with bias) × the input's leading
    # dimensions, so a Linear on a channels-last map counts per position, bias per output element (F.linear is
    # not patched: counted once). pytorch_engine.py add_flops_counter_hook_function hooks a module by its exact
    # class (MODULES_MAPPING[type(module)]): a subclass of nn.LayerNorm such as torchvision's LayerNorm2d
    # (ConvNeXt's stem, downsampling and head norms) is counted as nothing; every layernorm here is nn.LayerNorm.
    "ptflops": Convention(
        "ptflops",
        "ptflops 0.7.5",
        "MACs",
        per_sample=True,
        bias_per_output=1,
        bn_per_element=2,
        max_pool_per_input=2,
        avg_pool_per_input=2,
        global_avg_per_input=2,
        relu_per_element=2,
        relu6_per_element=1,
        gelu_per_element=2,
        silu_per_element=1,
        layernorm_per_element=1,
        groupnorm_per_element=2,
        nearest_per_output=2,
        bilinear_per_output=2,
    ),
    # fvcore 0.1.5, jit_handles.py: conv_flop_jit and linear_flop_jit ignore the bias; batchnorm_flop_jit
    # counts 2 per element in eval mode (affine); adaptive_avg_pool2d counts its input elements; max and
    # average pooling, add and cat are unsupported or ignored (jit_analysis.py _IGNORED_OPS): nothing.
    # adaptive_avg_pool2d is elementwise_flop_counter(1, 0) whatever its output size; adaptive max: no handle.
    # flop_count.py _DEFAULT_SUPPORTED_OPS: layer_norm and group_norm norm_flop_counter (5 per element, affine),
    # upsample_nearest2d 1 and upsample_bilinear2d 4 per output element; conv_flop_count counts a transposed
    # conv per input position, as dsc-cost. aten::mul, aten::mean and activations have no handle: nothing.
    # linear_flop_jit: the input's elements × out features, per position on a channels-last map.
    # 1-D and 3-D: conv_flop_jit takes any kernel (the product of its sizes), batch_norm any map, but
    # aten::adaptive_avg_pool1d/3d and aten::upsample_nearest1d/3d have no handle: nothing.
    "fvcore": Convention(
        "fvcore",
        "fvcore 0.1.5",
        "MACs",
        bn_per_element=2,
        global_avg_per_input=1,
        layernorm_per_element=5,
        groupnorm_per_element=5,
        nearest_per_output=1,
        bilinear_per_output=4,
        nd_global_avg_per_input=-1,
        nd_nearest_per_output=-1,
    ),
    # thop 0.1.1 (the PyPI release), vision/basic_hooks.py: count_convNd and count_linear ignore the bias;
    # count_normalization 4 per element (affine); count_avgpool 1 per output element; count_adap_avgpool
    # (kernel + 1) per output element with kernel = input size / output size in floating point, which is its
    # input elements plus its outputs at any output size (one fewer where rounding falls short); max pooling,
    # adaptive too, zero_ops. ultralytics-thop differs on windowed average pooling (the window sizes summed + outputs).
    # profile.py register_hooks: LayerNorm count_normalization (4 per element, affine); ConvTranspose
    # count_convNd, which counts the output elements × in channels / groups × kernel: weights per output
    # position; Upsample count_upsample (calc_func.py calculate_upsample: nearest 1, bilinear 11 per output
    # element); ReLU and ReLU6 zero_ops; GroupNorm, the other activations, x * y and x.mean: no rule, nothing.
    # profile's dfs_count takes params only from modules with a rule, and recurses into the children of the
    # others: GroupNorm's params and a block's own parameters (ConvNeXt's layer scale) are not counted.
    # count_linear: in features × output elements, per position on a channels-last map, bias ignored.
    # Rules are looked up by exact class (register_hooks[type(m)]): torchvision's LayerNorm2d, a subclass of
    # nn.LayerNorm, has none, so neither its ops nor its params are counted; every layernorm here is nn.LayerNorm.
    "thop": Convention(
        "thop",
        "thop 0.1.1",
        "MACs",
        bn_per_element=4,
        avg_pool_per_output=1,
        global_avg_per_input=1,
        global_avg_per_output=1,
        layernorm_per_element=4,
        nearest_per_output=1,
        bilinear_per_output=11,
        transposed_per_output_position=1,
        counts_unruled_params=False,
    ),
    # Keras 3, Model.count_params(): every weight, batch-norm's moving mean and variance included
    # (layers/normalization/batch_normalization.py); Keras reports no operation count.
    "keras": Convention("keras", "Keras count_params", "MACs", counts_ops=False, running_stats_in_params=True),
    # torch.utils.flop_counter.FlopCounterMode (as Darknet and most papers' "FLOPs"): conv_flop_count and
    # mm_flop count 2 per multiply-accumulate and ignore the bias (a transposed conv per input position, as
    # dsc-cost); batch-norm, other norms, pools, activations, products and additions: nothing.
    "flops": Convention("flops", "FLOPs (2 × MACs)", "FLOPs", scale=2),
}
TOOLS = tuple(CONVENTIONS)


class Reported(NamedTuple):
    """What one tool reports: params, and ops in its unit (``None`` when it reports none)."""

    tool: str
    params: int
    ops: int | None
    unit: str


TERMS: tuple[tuple[str, str, str], ...] = (
    ("bias_per_output", "biased_outputs", "per output element per bias"),
    ("bn_per_element", "bn_elements", "per batch-norm element"),
    ("bn_per_channel", "bn_channels", "per batch-norm channel"),
    ("max_pool_per_input", "max_pool_inputs", "per max-pool input element"),
    ("avg_pool_per_input", "avg_pool_inputs", "per average-pool input element"),
    ("avg_pool_per_output", "avg_pool_outputs", "per average-pool output element"),
    ("global_avg_per_input", "global_avg_inputs", "per global-pool input element"),
    ("global_avg_per_output", "global_avg_outputs", "per global-pool output element"),
    ("relu_per_element", "relu_elements", "per relu element"),
    ("relu6_per_element", "relu6_elements", "per relu6 element"),
    ("gelu_per_element", "gelu_elements", "per gelu element"),
    ("silu_per_element", "silu_elements", "per silu element"),
    ("layernorm_per_element", "layernorm_elements", "per layer-norm element"),
    ("layernorm_per_channel", "layernorm_channels", "per layer-norm channel"),
    ("groupnorm_per_element", "groupnorm_elements", "per group-norm element"),
    ("groupnorm_per_channel", "groupnorm_channels", "per group-norm channel"),
    ("nearest_per_output", "nearest_outputs", "per nearest-upsampling output element"),
    ("bilinear_per_output", "bilinear_outputs", "per bilinear-upsampling output element"),
    ("transposed_per_output_position", "transposed_surplus", "transposed conv weights per output position"),
    ("linear_per_sample", "linear_surplus", "per-position linear params once per sample"),
    ("nd_global_avg_per_input", "nd_global_avg_inputs", "per 1-D/3-D global-pool input element (no rule)"),
    ("nd_nearest_per_output", "nd_nearest_outputs", "per 1-D/3-D nearest-upsampling output element (no rule)"),
)
"""Each term a tool may add: its coefficient (a :class:`Convention` field), the element count it multiplies
(an :class:`Elements` field), and how :func:`differences` names it."""

_ND_PARTS = {"global_avg_per_input": "nd_global_avg_per_input", "nearest_per_output": "nd_nearest_per_output"}
"""Terms of 1-D and 3-D elements, by the term whose elements they are part of (:func:`differences` says them as one)."""
_ND_COUNTS = {"nd_global_avg_per_input": "nd_global_avg_inputs", "nd_nearest_per_output": "nd_nearest_outputs"}


def extra_ops(convention: Convention, elements: Elements) -> int:
    """The tool's operations beyond one per weight per output position, for one sample."""
    total = 0
    for coefficient, count, _ in TERMS:
        c = getattr(convention, coefficient)
        if c:
            total += c * getattr(elements, count)
    return total


def report(
    convention: Convention, params: int, mults: int, bn_params: int, elements: Elements, batch: int, kept: int = 0
) -> Reported:
    """What ``convention``'s tool reports for layers that dsc-cost counts as ``params`` and ``mults``
    (for ``batch`` samples), with ``bn_params`` of learnable batch-norm, ``elements`` per sample, and ``kept``
    statistics the model keeps beside its layers' weights (:attr:`~dsc_cost.network.Notes.kept`).

    * params: ``params`` (+ ``bn_params`` running statistics and the ``kept`` ones where the tool counts them)
    * ops: scale × (mults per sample + :func:`extra_ops`) × batch (× 1 for a per-sample tool)
    """
    reported_params = params + (bn_params + kept if convention.running_stats_in_params else 0)
    if not convention.counts_unruled_params:
        reported_params -= unruled_params(elements)
    if not convention.counts_ops:
        return Reported(convention.tool, reported_params, None, convention.unit)
    per_sample = mults // batch + extra_ops(convention, elements)
    ops = convention.scale * per_sample * (1 if convention.per_sample else batch)
    return Reported(convention.tool, reported_params, ops, convention.unit)


def unruled_params(elements: Elements) -> int:
    """The params of group-norm and of per-channel scales: those a tool that counts only the params of
    the modules it has a rule for leaves out."""
    return 2 * elements.groupnorm_channels + elements.scale_channels


def sum_elements(elements: Iterable[Elements]) -> Elements:
    """Element counts added field by field."""
    from .network import Elements

    rows = list(elements)
    return Elements(*(sum(column) for column in zip(*rows, strict=True))) if rows else Elements()


def layer_elements(result: NetworkCost) -> list[Elements]:
    """The :class:`Elements` of every layer of a costed network, in order (as costing worked them out)."""
    return [layer.elements for layer in result.layers]


def differences(convention: Convention, elements: Elements, bn_params: int, batch: int, kept: int = 0) -> list[str]:
    """Why ``convention``'s numbers differ from dsc-cost's, each reason with what it adds."""
    c, e = convention, elements
    reasons = []
    if c.counts_ops:
        factor = 1 if c.per_sample else batch
        for coefficient_name, count_name, what in TERMS:
            coefficient, count = getattr(c, coefficient_name), getattr(e, count_name)
            if coefficient_name in _ND_PARTS.values():
                continue  # said with the term it corrects
            if coefficient and coefficient_name in _ND_PARTS:  # a tool without a rule for 1-D and 3-D leaves them out
                part = _ND_PARTS[coefficient_name]
                count += getattr(c, part) * getattr(e, _ND_COUNTS[part]) // coefficient
            if coefficient and count:
                if count_name == "transposed_surplus":
                    reasons.append(f"{what}, not input position ({coefficient * count * factor * c.scale:+,})")
                elif count_name == "linear_surplus":
                    reasons.append(f"{what}, not per position ({coefficient * count * factor * c.scale:+,})")
                else:
                    reasons.append(f"{coefficient:+} {what} ({coefficient * count * factor * c.scale:+,})")
        if c.scale != 1:
            reasons.append(f"×{c.scale}: FLOPs, not MACs")
        if c.per_sample and batch != 1:
            reasons.append(f"batch ignored (one sample of {batch})")
    else:
        reasons.append("parameters only")
    if c.running_stats_in_params and bn_params:
        reasons.append(f"batch-norm running statistics as params (+{bn_params:,})")
    if c.running_stats_in_params and kept:
        reasons.append(f"statistics kept beside the weights as params (+{kept:,})")
    if not c.counts_unruled_params and unruled_params(e):
        reasons.append(f"group-norm and layer-scale params not counted (-{unruled_params(e):,})")
    return reasons


def _compare_elements(comparison: Comparison) -> dict[str, Elements]:
    """The elements of each part of a ``compare``, from the layers that make it up."""
    from .formulas import Shape
    from .layers.base import kernels

    conv, x, out = comparison.conv, comparison.input, comparison.output
    middle = Shape(conv.in_channels * conv.multiplier, out.height, out.width)
    standard, separable = comparison.layers
    depthwise, pointwise = kernels(separable)
    elements = {
        "standard": standard.elements((x,), out),
        "depthwise": depthwise.elements((x,), middle),
        "pointwise": pointwise.elements((middle,), out),
    }
    elements["separable"] = sum_elements([elements["depthwise"], elements["pointwise"]])
    return elements


def compare_reports(comparison: Comparison, convention: Convention) -> dict[str, Reported]:
    """What ``convention``'s tool reports for each part of a ``dsc-cost compare``: the standard conv,
    the depthwise and pointwise steps, and the separable total (the two steps as one block)."""
    elements = _compare_elements(comparison)
    costs = {
        "standard": comparison.standard,
        "depthwise": comparison.depthwise,
        "pointwise": comparison.pointwise,
        "separable": comparison.separable,
    }
    return {
        part: report(convention, cost.params, cost.mults, 0, elements[part], comparison.batch)
        for part, cost in costs.items()
    }


class Subject(NamedTuple):
    """Something costed, ready to be reported in every convention: a network, or one side of a compare."""

    name: str
    batch: int
    params: int
    mults: int
    bn_params: int
    elements: Elements
    kept: int = 0  # statistics the model keeps beside its layers' weights (Notes.kept)


class Row(NamedTuple):
    """One tool's report on a subject, and why it differs from dsc-cost's own count."""

    convention: Convention
    reported: Reported
    differences: list[str]


def network_subject(result: NetworkCost) -> Subject:
    """A costed network as a :class:`Subject`."""
    inference = zip(result.layers, layer_elements(result), strict=True)
    elements = sum_elements(e for layer, e in inference if not layer.train_only)  # as the totals: at inference
    name = result.network.name
    notes = result.network.notes
    kept = notes.kept if notes is not None else 0
    return Subject(name, result.batch, result.total.params, result.total.mults, result.bn_params, elements, kept)


def compare_subjects(comparison: Comparison) -> list[Subject]:
    """The separable block and the standard conv of a ``compare`` as two :class:`Subject` values."""
    conv = comparison.conv
    kernel = f"{conv.kernel[0]}×{conv.kernel[1]}"
    elements = _compare_elements(comparison)
    batch = comparison.batch
    return [
        Subject(f"separable: depthwise {kernel} + pointwise 1×1", batch, comparison.separable.params,
                comparison.separable.mults, 0, elements["separable"]),
        Subject(f"standard {kernel} conv", batch, comparison.standard.params, comparison.standard.mults, 0,
                elements["standard"]),
    ]  # fmt: skip


def rows(subject: Subject) -> list[Row]:
    """Every convention's report on ``subject``, with its differences from dsc-cost."""
    return [
        Row(
            convention,
            report(
                convention,
                subject.params,
                subject.mults,
                subject.bn_params,
                subject.elements,
                subject.batch,
                subject.kept,
            ),
            differences(convention, subject.elements, subject.bn_params, subject.batch, subject.kept),
        )
        for convention in CONVENTIONS.values()
    ]


# ---------------------------------------------------------------- torchinfo's memory lines

TORCHINFO_STORAGE_OVERHEAD = 64
"""What torchinfo's "Input size" adds to the input's bytes: it measures the input with ``sys.getsizeof`` of
its storage, which counts the Python object too (64 bytes with torch 2)."""


class TorchinfoMemory(NamedTuple):
    """torchinfo 1.8's memory lines, from its model_statistics.py: the input's bytes (with its storage
    object), the output bytes of every leaf module that has parameters × 2 ("for gradients"), and the
    bytes of the leaf modules' parameters; fp32 throughout (torchinfo's input_size makes FloatTensors)."""

    input_bytes: int
    forward_backward_bytes: int
    params_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.input_bytes + self.forward_backward_bytes + self.params_bytes

    def lines(self) -> list[str]:
        """The four lines as torchinfo prints them: bytes ÷ 1e6, two decimals (its float formatting)."""
        return [
            f"Input size (MB): {self.input_bytes / 1e6:0.2f}",
            f"Forward/backward pass size (MB): {self.forward_backward_bytes / 1e6:0.2f}",
            f"Params size (MB): {self.params_bytes / 1e6:0.2f}",
            f"Estimated Total Size (MB): {self.total_bytes / 1e6:0.2f}",
        ]


def _leaf_outputs(layer: object, inputs: tuple[Shape, ...], output: Shape, params: int) -> int:
    """The output values of the leaf modules with parameters that a layer is in PyTorch: a conv or linear
    layer and its batch-norm (each step of a separable layer), a norm layer; a layer scale is a parameter of
    its block (no leaf), the layers without parameters none."""
    from .layers.base import kernels
    from .layers.scale import ScaleLayer

    if params == 0 or isinstance(layer, ScaleLayer):
        return 0
    steps = kernels(layer)  # type: ignore[arg-type]
    if len(steps) > 1:
        total, shapes = 0, inputs
        for step in steps:
            e = step.evaluate(shapes)
            total += _leaf_outputs(step, shapes, e.output, e.params)
            shapes = (e.output,)
        return total
    return output.numel * (2 if getattr(layer, "batchnorm", False) is True else 1)


def torchinfo_memory(result: NetworkCost) -> TorchinfoMemory:
    """What torchinfo 1.8 prints under the totals of ``result`` (its batch included).

    >>> from dsc_cost.formulas import Shape
    >>> from dsc_cost.network import ConvLayer, Network, Node, cost_network
    >>> net = Network("tiny", Shape(3, 7, 7), (Node("c", "conv", ConvLayer(128, (3, 3))),))
    >>> torchinfo_memory(cost_network(net))
    TorchinfoMemory(input_bytes=652, forward_backward_bytes=25600, params_bytes=13824)
    """
    from .layers.scale import ScaleLayer
    from .network import layer_inputs

    batch = result.batch
    outputs = params = 0
    for node, layer, inputs in zip(result.network.nodes, result.layers, layer_inputs(result), strict=True):
        outputs += _leaf_outputs(node.layer, inputs, layer.output, layer.cost.params)
        if not isinstance(node.layer, ScaleLayer):
            params += layer.cost.params
    return TorchinfoMemory(
        result.network.input.numel * batch * 4 + TORCHINFO_STORAGE_OVERHEAD, 2 * outputs * batch * 4, params * 4
    )
