"""How a costed network shows itself in a notebook (HTML) and in a terminal (rich), without the domain modules
importing the writers (which import them): the package's ``__init__`` gives the writers of
:mod:`dsc_cost.report.notebook` here when ``dsc_cost`` is imported, which every import of one of its modules does
first; :class:`~dsc_cost.network.NetworkCost`'s ``_repr_html_`` and ``__rich__`` ask for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

Kind = Literal["html", "rich"]
Writer = Callable[[Any], Any]

_writers: dict[Kind, Writer] = {}


def provide(kind: Kind, writer: Writer) -> None:
    """Show values of ``kind`` with ``writer`` (a value in, a string of HTML or a rich renderable out)."""
    _writers[kind] = writer


def shown(kind: Kind, value: Any) -> Any:
    """``value`` as ``kind``'s writer shows it (:exc:`LookupError` where none was given)."""
    writer = _writers.get(kind)
    if writer is None:
        raise LookupError(f"no writer for {kind}: import dsc_cost first")
    return writer(value)
