"""A spec's network built again under a width multiplier."""

from __future__ import annotations

from fractions import Fraction

from ...errors import SpecError
from ...layers.base import spatial_dims
from ...network import Network
from ..bounds import DEFAULT_BOUNDS, Bounds
from ..bounds import Stop as _Stop
from ..bounds import Tally as _Tally
from ..includes import local_includes
from ..yamltext import Positions
from .document import _network
from .model import Spec, _Scaling, _Source
from .params import decimal_text
from .validate import _Checker


def scaled_network(spec: Spec, width: Fraction, divisor: int | None = None, bounds: Bounds = DEFAULT_BOUNDS) -> Network:
    """``spec``'s network under the width multiplier ``width``, built again from its document: every
    channel count written (a layer's ``out``, a block's channel argument) is scaled
    (:func:`~dsc_cost.variants.scale_channels`, rounded to ``divisor``), but for the layers marked
    ``width: fixed`` and the output of the last linear layer; channels derived from a block's input
    (``in * expand``, ``divisible(in / 4, 8)``) follow the scaled input. Width 1 is the network itself.
    A spec built in code (no document) is scaled by :func:`~dsc_cost.variants.with_width`.

    :raises SpecError: listing what goes wrong at that width, each located, its message naming the width.
    """
    from ...variants import with_width

    if width == 1:
        return spec.network
    if spec.source is None:
        return with_width(spec.network, width, divisor)
    tally = _Tally(bounds.max_layers)
    check = _Checker(spec.document, tally)
    includes = local_includes(spec.file, bounds.allow_include)
    scaling, source = _Scaling(width, divisor), _Source(spec.file, bounds.max_file_size, includes)
    name, choice = spec.network.name, spec.choice
    if choice is not None and choice.variant is not None:  # named again with its variant
        name = name.removesuffix(f"[{choice.variant}]")
    try:
        result = _network(spec.source, spec.document, name, check, tally, scaling, source, choice)
    except _Stop:  # a bound passed at this width (a repeat that reads a channel count): said in check
        result = None
    finally:
        spatial_dims(2)
    if check.problems or check.located or result is None:
        positions = spec.positions if spec.positions is not None else Positions(spec.text, spec.file)
        at = f" (at width {decimal_text(width)}{f', divisor {divisor}' if divisor else ''})"
        located = positions.locate(check.problems) + list(dict.fromkeys(check.located))
        raise SpecError([p._replace(message=p.message + at) for p in located])
    return result[0]
