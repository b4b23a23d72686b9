"""The bounds of one run, shared by every reader: the layers of every network of every file in all, the bytes
of one file, the characters of the layers' names, the problems listed, and the paths an include may read.
A reader counts its work in the run's :class:`Tally` as it reads, so that the document that passes a bound
is refused before any of it is validated or built."""

from __future__ import annotations

from typing import Any, NamedTuple

MAX_LAYERS = 100_000
"""The most layers the specs of one run may have in all, after ``repeat`` is expanded, by default."""

MAX_FILE_SIZE = 32_000_000
"""The largest spec file read, in bytes, by default (32 MB)."""

NAME_CHARACTERS = 100
"""The characters of the layers' names in all, for each layer of the bound (``--max-layers``): 10,000,000 by
default. A name is written as each layer is made, with the names of the blocks it is in before it: a long
name repeated, or blocks nested under long names, would otherwise fill the memory with names."""

MAX_PROBLEMS = 10_000
"""The most problems a run lists: the one after them ends the work (one line says so)."""


class Bounds(NamedTuple):
    """The bounds of one run: the layers of every network of every file in all, the bytes of one file, and
    the paths outside a spec's folder and git repository that its includes may read
    (:mod:`dsc_cost.readers.includes`)."""

    max_layers: int = MAX_LAYERS
    max_file_size: int = MAX_FILE_SIZE
    allow_include: tuple[str, ...] = ()


DEFAULT_BOUNDS = Bounds()
"""100,000 layers in all, 32 MB a file."""


class Tally:
    """The work of one run against its bound: ``listed``, the layers its documents list (each with its
    ``repeat``), counted as each document is read, before any is validated; ``used``, those built; ``uses``,
    the uses of blocks expanded (one a copy, whether it makes layers or none); ``characters``, those of the
    names of the layers made; ``problems``, those said."""

    __slots__ = ("bound", "characters", "includes", "listed", "problems", "used", "uses")

    def __init__(self, bound: int) -> None:
        self.bound, self.listed, self.used, self.uses, self.characters, self.problems = bound, 0, 0, 0, 0, 0
        self.includes = 0  # inclusions made, each counted every time it is made

    def over(self, document: object) -> tuple[int, dict[Any, Any]] | None:
        """The layer (index, mapping) of ``document`` with which the layers listed so far pass the bound."""
        layers = document.get("layers") if isinstance(document, dict) else None
        if not isinstance(layers, list):
            return None
        for index, item in enumerate(layers):
            repeat = item.get("repeat", 1) if isinstance(item, dict) else 1
            if not (isinstance(repeat, int) and not isinstance(repeat, bool) and repeat >= 1):
                repeat = 1  # validation says what is wrong with it
            self.listed += repeat
            if self.listed > self.bound:
                return index, item if isinstance(item, dict) else {}
        return None


def bound_message(bound: int) -> str:
    return f"the specs would have more than {bound:,} layers in all (the bound of one run; --max-layers N raises it)"


def uses_message(bound: int) -> str:
    return (
        f"the specs would use blocks more than {bound:,} times in all, each copy of a repeated use once"
        " (the bound of one run; --max-layers N raises it)"
    )


def names_message(bound: int) -> str:
    return (
        f"the layers' names would have more than {bound * NAME_CHARACTERS:,} characters in all"
        f" ({NAME_CHARACTERS} a layer of the bound of one run; --max-layers N raises it)"
    )


PROBLEMS_MESSAGE = f"more than {MAX_PROBLEMS:,} problems: the first {MAX_PROBLEMS:,} are listed, and no more is read"


class Stop(Exception):
    """The layer bound was reached: the work stops at the problem just added."""
