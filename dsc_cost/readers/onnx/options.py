"""How an ONNX file is read (:class:`OnnxOptions`): a module of its own, light, so that the command line makes the
options of a run without importing the reader (which is imported when a ``.onnx`` file is read)."""

from __future__ import annotations

from typing import Literal, NamedTuple

from ...formulas import Shape

SharedWeights = Literal["per-use", "once"]


class OnnxOptions(NamedTuple):
    """How an ONNX file is read: ``input`` sets the input's shape (one sample: channels, height, width) where
    the graph's is dynamic or to override it; ``allow_unknown`` costs an op that is not understood as nothing (the
    network is then approximate) where it is otherwise a problem; ``shared_weights`` counts a weight read by
    several layers once per use (``per-use``, the architecture's count) or ``once``. ``strict`` is what every
    read does now (an op not understood is a problem): kept so that code that sets it still reads."""

    input: Shape | None = None
    strict: bool = False
    allow_unknown: bool = False
    shared_weights: SharedWeights = "per-use"


DEFAULTS = OnnxOptions()
