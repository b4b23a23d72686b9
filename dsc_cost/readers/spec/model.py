"""The values a spec reader gives and takes: a :class:`Spec`, the file it is read from, a width multiplier."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

from ...errors import Path_
from ...network import Network
from ..bounds import MAX_FILE_SIZE
from ..includes import Includes
from ..yamltext import Positions


class Spec(NamedTuple):
    """One network of a spec file, with what the file says beside it (its ``budget:``).

    ``text`` and ``origins`` (for each node, the index of the spec layer it was listed
    from) let a shape problem found while costing be located in the file; ``positions``
    locates it without reading the text more than once."""

    network: Network
    budget: dict[str, Any] | None
    file: str
    document: int
    text: str = ""
    origins: tuple[int, ...] = ()
    positions: Positions | None = None  # shared by the specs of one text: found once, when asked
    inner: dict[int, Path_] | None = None
    """For each node made by a block, the path of its layer in the block (where a shape problem is located)."""
    source: Any = None
    """The document it was read from (plain data), to build it again under a width multiplier
    (:func:`scaled_network`)."""
    choice: Any = None
    """The variant and the parameters' values it was built with (a :class:`~.params.Choice`; ``None``: the
    network as written)."""

    def __repr__(self) -> str:
        return f"Spec(network={self.network.name!r}, file={self.file!r}, document={self.document})"


class _Source(NamedTuple):
    """The file a spec is read from, the largest file read, and where its includes are found and read
    (``None``: beside it, confined as :func:`~dsc_cost.readers.includes.local_includes` says)."""

    file: str = "<spec>"
    max_file_size: int = MAX_FILE_SIZE
    includes: Includes | None = None


class _Scaling(NamedTuple):
    """A width multiplier and the divisor its channels are rounded to (:func:`~dsc_cost.variants.scale_channels`)."""

    width: Fraction
    divisor: int | None
