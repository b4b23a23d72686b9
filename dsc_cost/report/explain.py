"""``compare --explain``: the derivation of every number, with the numbers substituted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import units
from ..comparison import Comparison
from ..formulas import reduction_factor

if TYPE_CHECKING:
    from ..network import NetworkCost


def _product(symbols: list[str], values: list[int]) -> tuple[str, str, int]:
    result = 1
    for v in values:
        result *= v
    return " × ".join(symbols), " × ".join(str(v) for v in values), result


def explain(c: Comparison) -> str:
    """The derivation of every number of ``compare``, numbers substituted."""
    conv = c.conv
    C, O, M, g, N = conv.in_channels, conv.out_channels, conv.multiplier, conv.groups, c.batch
    (kh, kw), (ho, wo) = conv.kernel, (c.output.height, c.output.width)
    lines = ["output size:"]
    axes: tuple[tuple[str, int, int, int, int, int, int | str], ...] = (
        (
            "Ho",
            c.input.height,
            ho,
            kh,
            conv.stride[0],
            conv.dilation[0],
            conv.padding if isinstance(conv.padding, str) else conv.padding[0],
        ),
        (
            "Wo",
            c.input.width,
            wo,
            kw,
            conv.stride[1],
            conv.dilation[1],
            conv.padding if isinstance(conv.padding, str) else conv.padding[1],
        ),
    )
    if axes[0][1:] == axes[1][1:]:
        axes = (("Ho = Wo", *axes[0][1:]),)
    for axis, size, out, k, s, d, p in axes:
        if p == "same":
            lines.append(f"  {axis} = ceil(in / s) = ceil({size} / {s}) = {out}   (padding same)")
        else:
            pad = 0 if p == "valid" else p
            lines.append(
                f"  {axis} = floor((in + 2p − d(K − 1) − 1) / s) + 1 = "
                f"floor(({size} + 2×{pad} − {d}×({k} − 1) − 1) / {s}) + 1 = {out}"
            )

    def factors(*names: str) -> tuple[list[str], list[int]]:
        table = {"O": O, "C": C, "C/g": C // g, "M": M, "Kh": kh, "Kw": kw, "Ho": ho, "Wo": wo, "N": N}
        keep = [n for n in names if not ((n == "M" and M == 1) or (n == "N" and N == 1))]
        return keep, [table[n] for n in keep]

    def line(label: str, names: tuple[str, ...], bias: int = 0, bias_symbol: str = "") -> str:
        symbols, values = factors(*names)
        sym, val, result = _product(symbols, values)
        if bias:
            return f"  {label:<9} = {sym} + {bias_symbol} = {val} + {bias} = {units.exact(result + bias)}"
        return f"  {label:<9} = {sym} = {val} = {units.exact(result)}"

    std_c = "C/g" if g != 1 else "C"
    lines.append("mults (one multiply-accumulate per weight per output position):")
    lines.append(line("standard", ("O", std_c, "Kh", "Kw", "Ho", "Wo", "N")))
    lines.append(line("depthwise", ("C", "M", "Kh", "Kw", "Ho", "Wo", "N")))
    lines.append(line("pointwise", ("C", "M", "O", "Ho", "Wo", "N")))
    lines.append(
        f"  separable = depthwise + pointwise = {units.exact(c.depthwise.mults)} + "
        f"{units.exact(c.pointwise.mults)} = {units.exact(c.separable.mults)}"
    )
    lines.append("params:")
    has_bias = bool(conv.bias)
    lines.append(line("standard", ("O", std_c, "Kh", "Kw"), O if has_bias else 0, "O"))
    lines.append(
        line("depthwise", ("C", "M", "Kh", "Kw"), C * M if conv.bias == "both" else 0, "C × M" if M != 1 else "C")
    )
    lines.append(line("pointwise", ("C", "M", "O"), O if has_bias else 0, "O"))
    lines.append(
        f"  separable = depthwise + pointwise = {units.exact(c.depthwise.params)} + "
        f"{units.exact(c.pointwise.params)} = {units.exact(c.separable.params)}"
    )
    per_std, per_sep = kh * kw * O // g, M * (kh * kw + O)
    lines.append(
        f"per output position and input channel: standard Kh × Kw × O{'/g' if g != 1 else ''} = "
        f"{units.exact(per_std)}, separable {'M × ' if M != 1 else ''}(Kh × Kw + O) = {units.exact(per_sep)}"
    )
    prefix_sym = ("g × " if g != 1 else "") + ("M × " if M != 1 else "")
    prefix_val = (f"{g} × " if g != 1 else "") + (f"{M} × " if M != 1 else "")
    factor = reduction_factor(O, conv.kernel, M, g)
    lines.append(
        f"reduction factor = {prefix_sym}(1/O + 1/(Kh × Kw)) = {prefix_val}(1/{O} + 1/{kh * kw}) = "
        f"{factor} ≈ {units.ratio(factor)} ({units.fewer(factor)})"
        + ("" if not has_bias else "   (mults; bias adds params only)")
    )
    return "\n".join(lines) + "\n"


def pairs_note(result: NetworkCost) -> str:
    """One line under a network's layer table on its separable pairs and lone depthwise layers ('' when it
    has neither)."""
    pairing = result.pairing
    pairs, alone = len(pairing.pairs), len(pairing.unpaired)
    if not pairs and not alone:
        return ""
    parts = []
    if pairs:
        parts.append(
            f"{pairs} separable pair{'s' if pairs != 1 else ''} (a depthwise layer and its 1×1 partner): as standard"
            " one full conv each, on the depthwise row ('in NAME' on the partner's)"
        )
    if alone:
        parts.append(
            f"{alone} depthwise layer{'s' if alone != 1 else ''} alone: as standard the full conv of "
            f"{'their' if alone != 1 else 'its'} own shapes"
        )
    return "; ".join(parts) + ". --explain says which and why."


def pairs_explained(result: NetworkCost) -> list[str]:
    """``network --explain``: each separable pair (the layers between, the full conv it is as standard, and
    what that costs), and why each depthwise layer that pairs with nothing does not."""
    nodes, layers = result.network.nodes, result.layers
    pairing = result.pairing
    lines = []
    if pairing.pairs:
        lines.append("separable pairs (as standard, each is one full conv on the depthwise row):")
    for pair in pairing.pairs:
        depthwise, partner = layers[pair.depthwise], layers[pair.partner]
        through = [nodes[i].name for i in pair.path]
        if pair.gates:
            through.append(f"a gate of {len(pair.gates)} layer{'s' if len(pair.gates) != 1 else ''}")
        kernel = "×".join(map(str, pair.standard.kernel))  # type: ignore[attr-defined]
        lines.append(
            f"  {depthwise.name} + {partner.name}: a {kernel} conv {depthwise.input.channels} → "
            f"{partner.output.channels}, {units.count(depthwise.standard.params, True)} params, "
            f"{units.count(depthwise.standard.mults, True)} mults"
        )
        if through:
            lines.append(f"    through {', '.join(through)}")
    if pairing.unpaired:
        lines.append("depthwise layers alone (as standard, each the full conv of its own shapes):")
    for alone in pairing.unpaired:
        lines += [f"  {nodes[alone.depthwise].name}:", f"    {alone.reason}"]
    return lines or ["no depthwise layers: nothing to pair"]


def defaults_explained(result: NetworkCost) -> list[str]:
    """``network --explain``: the fields each layer took from its spec's ``defaults:`` (none: no line)."""
    lines = [f"  {node.name}: {', '.join(node.defaults)}" for node in result.network.nodes if node.defaults]
    return (
        ["fields from defaults: (the spec's defaults:, where the layer does not write them)", *lines] if lines else []
    )
