"""The readers of the files dsc-cost costs: specs (YAML or JSON, :mod:`.spec`) and model files, each giving
:class:`~dsc_cost.spec.Spec` values, and the bounds of the run they share (:mod:`.bounds`).

:data:`READERS` maps the end of a file's name to the reader of its kind; a file whose end is not there is a spec.
The registry is live: a package adds a reader through the entry-point group ``dsc_cost.readers``
(:data:`PLUGINS`), read only when a file's suffix is not known, or by adding to :data:`READERS` itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

READERS: dict[str, str] = {
    ".onnx": "dsc_cost.onnx:load_onnx",
    ".keras": "dsc_cost.readers.keras:load_keras",
    ".h5": "dsc_cost.readers.keras:load_keras",
}
"""The readers of the files that are not specs, by the end of their name (lower case): ``module:function``, the
function taking the path, and as keywords ``options``, ``warn``, ``bounds`` and ``tally``, as
:func:`dsc_cost.onnx.load_onnx` does, and giving the file's specs. A module is imported only when a file of its
kind is read (a reader's package, such as onnx, is an optional extra); a new format is one module and one entry
here, or one entry point of the group :data:`PLUGINS`."""

PLUGINS = "dsc_cost.readers"
"""The entry-point group of packages that add readers: each entry point's name is the end of the names of the
files it reads (``.keras``), its value the reader (``module:function``), as in :data:`READERS`."""

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
"""The ends of the names of spec files: no plugin is looked for to read them."""

_plugins: list[str] = []  # the entry points read, once read


def load_readers() -> list[str]:
    """Read the entry points of the group :data:`PLUGINS`, once: each joins :data:`READERS` unless its suffix is
    there already (a reader is imported only when a file of its kind is read). Returns the entry points' names."""
    from ..plugins import load_group

    return load_group(PLUGINS, "reader", _plugins, lambda point: READERS.setdefault(point.name.lower(), point.value))
    from importlib.metadata import entry_points

    _plugins.append("")  # read (even when there are none)
    for point in entry_points(group=PLUGINS):
        READERS.setdefault(point.name.lower(), point.value)
        _plugins.append(point.name)
    return _plugins[1:]


def _match(lowered: str) -> str | None:
    return next((where for suffix, where in READERS.items() if lowered.endswith(suffix)), None)


def reader_for(path: str) -> Callable[..., Any] | None:
    """The reader of ``path`` (:data:`READERS`, and the plugins' when its suffix is not known), or ``None`` for a
    spec file.

    :raises SpecError: located at ``path``, when the reader cannot be imported.
    """
    lowered = path.lower()
    where = _match(lowered)
    if where is None and os.path.splitext(lowered)[1] not in ("", *SPEC_SUFFIXES) and load_readers():
        where = _match(lowered)
    if where is None:
        return None
    import importlib

    module, _, function = where.partition(":")
    try:
        reader: Callable[..., Any] = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as error:  # a plugin's reader that is not there
        from ..errors import Located, SpecError

        message = f"cannot read the file: its reader {where!r} cannot be loaded: {error}"
        raise SpecError([Located(path, 0, 0, "", "", message)]) from None
    return reader
