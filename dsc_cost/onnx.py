"""ONNX models in, the public names of the reader: :func:`load_onnx` (the reader of ``.onnx`` files that
:func:`dsc_cost.spec.load_files` uses), :func:`read_network`, :class:`OnnxOptions`, the open registry of op
handlers (:data:`HANDLERS`, :func:`register_op`) and the spec writer of ``dsc-cost import`` (:func:`spec_text`,
:func:`spec_data`). The reader lives in :mod:`dsc_cost.readers.onnx`, the writer in
:mod:`dsc_cost.readers.spec_writer`; this module keeps the names where they have always been."""

from __future__ import annotations

from .readers.onnx import (
    HANDLERS,
    INSTALL,
    SAME,
    Handler,
    Imported,
    InvalidValue,
    NotUnderstood,
    OnnxOptions,
    OpNode,
    Problem,
    is_onnx,
    load_onnx,
    notes_warnings,
    read_model,
    read_network,
    register_op,
)
from .readers.spec_writer import spec_data, spec_text

__all__ = [
    "HANDLERS", "INSTALL", "SAME", "Handler", "Imported", "InvalidValue", "NotUnderstood", "OnnxOptions", "OpNode",
    "Problem", "is_onnx", "load_onnx", "notes_warnings", "read_model", "read_network", "register_op", "spec_data",
    "spec_text",
]  # fmt: skip
