"""The handlers of the built-in ONNX ops, one module per family, each registering its ops with
:func:`~dsc_cost.readers.onnx.registry.builtin` as it is imported. A new op is a handler in the module of its
family (or a module of its own, named in :data:`FAMILIES`) and its tests; docs/onnx.md's table follows."""

from __future__ import annotations

import importlib

FAMILIES = ("conv", "linear", "elementwise", "pool", "norm", "channels", "views", "spatial", "shapes")
"""The modules of the built-in ops, imported in this order: the order of docs/onnx.md's table of ops."""

for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")
