"""The layer registry: every layer type a spec may name, one module each.

:data:`REGISTRY` maps each type name to its :class:`~dsc_cost.layers.base.LayerType`
(name, one-line doc, fields, the class of its values), in the order of the docs.
Spec validation, the list of types in messages and the docs' table of types and fields
read it. A new type is one module here that declares itself with
:func:`~dsc_cost.layers.base.register`: every module of this package is imported. A package may add types
through the entry-point group ``dsc_cost.layers`` (:func:`load_plugins`, called where a type is not known), or
by calling ``register`` itself: the registry is live.

>>> list(REGISTRY)[:4]
['conv', 'separable', 'depthwise', 'pointwise']
>>> [(f.name, f.required, f.default) for f in REGISTRY["pointwise"].fields]
[('out', True, None), ('stride', False, '1'), ('bias', False, 'false'), ('batchnorm', False, 'false')]
"""

from __future__ import annotations

import importlib
import os

from ..plugins import PluginError, load_group
from .base import REGISTRY, Field, LayerType, register

PLUGINS = "dsc_cost.layers"
"""The entry-point group of packages that add layer types: each entry point names a module that registers its
types with :func:`~dsc_cost.layers.base.register` when imported."""


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

_plugins: list[str] = []  # the entry points loaded, once loaded


def load_plugins() -> list[str]:
    """Import the modules of the entry points of the group :data:`PLUGINS`, once: the layer types they register
    join :data:`REGISTRY`. Called where a type is not known (and where every type is listed), so that a run that
    needs no plugin never reads the installed packages' metadata. Returns the entry points' names.

    :raises PluginError: when one cannot be imported.
    """
    return load_group(PLUGINS, "layer", _plugins)


__all__ = ["PLUGINS", "REGISTRY", "Field", "LayerType", "PluginError", "load_plugins", "register"]
