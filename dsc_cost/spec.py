"""Network specs: YAML or JSON text in, validated :class:`~dsc_cost.network.Network` values out.

The public face of the readers (:mod:`dsc_cost.readers`): the spec reader lives in :mod:`dsc_cost.readers.spec`
(loading, validation, blocks, includes, width scaling and costing, a module each), the YAML and JSON text in
:mod:`dsc_cost.readers.yamltext`, the bounds of a run in :mod:`dsc_cost.readers.bounds`. Every name a user may
import from here is re-exported below; the code of the package imports each from its home.
"""

from __future__ import annotations

from .errors import BoundError as BoundError
from .errors import Located as Located
from .errors import Problem as Problem
from .errors import SpecError as SpecError
from .readers import READERS as READERS
from .readers.bounds import DEFAULT_BOUNDS as DEFAULT_BOUNDS
from .readers.bounds import MAX_FILE_SIZE as MAX_FILE_SIZE
from .readers.bounds import MAX_LAYERS as MAX_LAYERS
from .readers.bounds import MAX_PROBLEMS as MAX_PROBLEMS
from .readers.bounds import NAME_CHARACTERS as NAME_CHARACTERS
from .readers.bounds import Bounds as Bounds
from .readers.spec.blocks import MAX_BLOCK_DEPTH as MAX_BLOCK_DEPTH
from .readers.spec.costing import cost_specs as cost_specs
from .readers.spec.load import load_files as load_files
from .readers.spec.load import load_text as load_text
from .readers.spec.model import Spec as Spec
from .readers.spec.text import decode as decode
from .readers.spec.text import read_text as read_text
from .readers.spec.width import scaled_network as scaled_network
from .readers.yamltext import MAX_DEPTH as MAX_DEPTH
from .readers.yamltext import MAX_NAME as MAX_NAME
from .readers.yamltext import Positions as Positions
from .readers.yamltext import describe as describe
from .readers.yamltext import kind as kind_of

__all__ = [
    "DEFAULT_BOUNDS", "MAX_BLOCK_DEPTH", "MAX_DEPTH", "MAX_FILE_SIZE", "MAX_LAYERS", "MAX_NAME", "MAX_PROBLEMS",
    "NAME_CHARACTERS", "READERS", "BoundError", "Bounds", "Located", "Positions", "Problem", "Spec", "SpecError",
    "cost_specs", "decode", "describe", "kind_of", "load_files", "load_text", "read_text", "scaled_network",
]  # fmt: skip
