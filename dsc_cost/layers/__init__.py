"""The layer registry: every layer type a spec may name, one module each.

:data:`REGISTRY` maps each type name to its :class:`~dsc_cost.layers.base.LayerType`
(name, one-line doc, fields, the class of its values), in the order of the docs.
Spec validation, the list of types in messages and the docs' table of types and fields
read it. A new type is one module here that declares itself with
:func:`~dsc_cost.layers.base.register`: every module of this package is imported.

>>> list(REGISTRY)[:4]
['conv', 'separable', 'depthwise', 'pointwise']
>>> [(f.name, f.required, f.default) for f in REGISTRY["pointwise"].fields]
[('out', True, None), ('stride', False, '1'), ('bias', False, 'false'), ('batchnorm', False, 'false')]
"""

from __future__ import annotations

import importlib
import os

from .base import Field, LayerType, registered


def _modules() -> list[str]:
    """The names of this package's modules (a listing of its folder: cheaper than pkgutil's)."""
    names = set()
    for folder in __path__:
        for entry in os.listdir(folder):
            stem, _, suffix = entry.partition(".")
            if suffix == "py" and stem.isidentifier() and stem != "__init__":
                names.add(stem)
    return sorted(names)


for _module in _modules():
    importlib.import_module(f"{__name__}.{_module}")

REGISTRY: dict[str, LayerType] = {layer_type.name: layer_type for layer_type in registered()}
"""Every layer type by its spec name, in order."""

__all__ = ["REGISTRY", "Field", "LayerType"]
