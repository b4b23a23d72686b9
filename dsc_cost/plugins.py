"""Entry-point groups: how an installed package adds to dsc-cost's live registries (layer types,
:data:`dsc_cost.layers.PLUGINS`; ONNX op handlers, :data:`dsc_cost.readers.onnx.registry.OP_PLUGINS`; readers of
new kinds of file, :data:`dsc_cost.readers.PLUGINS`). Each group is read once, and only where a registry lacks
what a run asks for, so that a run that needs no plugin never reads the installed packages' metadata."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import DscCostError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint


class PluginError(DscCostError):
    """A plugin's module that cannot be imported (the message names the entry point and the error)."""


def _import(point: EntryPoint) -> None:
    point.load()


def load_group(group: str, what: str, loaded: list[str], use: Callable[[EntryPoint], object] = _import) -> list[str]:
    """Hand each entry point of ``group`` to ``use`` (by default: import its module, which registers what it
    adds), once: ``loaded`` is the registry's own record, empty until the group is read. Returns the entry points'
    names.

    :raises PluginError: naming the ``what`` plugin (``"layer"``, ``"ONNX op"``) that cannot be loaded.
    """
    if loaded:
        return loaded[1:]
    from importlib.metadata import entry_points

    loaded.append("")  # read (even when there are none)
    for point in entry_points(group=group):
        try:
            use(point)
        except Exception as error:  # a broken plugin: its own exception, whatever it is
            raise PluginError(f"the {what} plugin {point.name!r} ({point.value}) cannot be loaded: {error}") from error
        loaded.append(point.name)
    return loaded[1:]
