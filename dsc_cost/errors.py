"""Every error dsc-cost raises on purpose, and the collector of located problems.

Bad input is never a bug: it raises a :class:`DscCostError`. A size or geometry that
cannot be costed is a :class:`ShapeError` (in a network, a :class:`LayerError` naming
the layer); everything wrong with a spec file is one :class:`SpecError`, one
:class:`Located` line per problem, all problems at once (gathered by a :class:`Collector`).
"""

from __future__ import annotations

from typing import NamedTuple

PathKey = str | int
Path_ = tuple[PathKey, ...]
"""Where a value sits in a document: ``("layers", 3, "stride")``."""


class DscCostError(Exception):
    """Base of every error dsc-cost raises on purpose: bad input, never a bug."""


class ShapeError(DscCostError, ValueError):
    """A size, count or geometry that cannot be costed.

    ``field`` names the offending quantity (``kernel``, ``groups``, ``height`` ...)
    so that the command line can name its option and a spec its key.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class LayerError(ShapeError):
    """A layer whose input does not fit it: ``index`` and ``name`` say which, ``field`` why."""

    def __init__(self, index: int, name: str, field: str, message: str) -> None:
        super().__init__(field, message)
        self.index = index
        self.name = name

    def __str__(self) -> str:
        return f"layers[{self.index}] ({self.name}): {self.field}: {self.message}"


def shorten(text: str, limit: int = 80) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, the cut marked by ``…``.

    >>> shorten("conv" * 30, 12)
    'convconvcon…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problem(NamedTuple):
    """One thing wrong with a spec, located by its path in the document (``("layers", 3, "stride")``)."""

    document: int
    path: Path_
    where: str  # "layers[3] (conv2)" or "" for the document itself
    field: str
    message: str
    at_key: bool = False  # point at the key (an unknown key) rather than its value


class Located(NamedTuple):
    """A :class:`Problem` with its file, line and column (1-based; 0 for a problem of the file as a whole, such as a
    file that cannot be read, which is named without a position)."""

    file: str
    line: int
    column: int
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}:{self.column}" if self.line > 0 else self.file]
        parts += [shorten(p, 200) for p in (self.where, self.field) if p]
        return ": ".join(parts) + f": {shorten(self.message, 1000)}"


class SpecError(DscCostError):
    """Everything wrong with one spec file (or several), one located line per problem."""

    def __init__(self, problems: list[Located]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class BoundError(SpecError):
    """A bound of the run (layers in all, the size of a file) was reached: the work stops there, and
    the problems are those found so far, the bound's last."""


class Collector:
    """Located problems gathered from many places, raised once as one :class:`SpecError`.

    >>> problems = Collector()
    >>> with problems.gather():
    ...     raise SpecError([Located("a.yaml", 1, 1, "", "", "the file is empty")])
    >>> problems.add(Located("b.yaml", 2, 3, "layers[0]", "out", "expected a positive integer, found 0"))
    >>> problems.raise_any()
    Traceback (most recent call last):
    ...
    dsc_cost.errors.SpecError: a.yaml:1:1: the file is empty
    b.yaml:2:3: layers[0]: out: expected a positive integer, found 0
    """

    def __init__(self) -> None:
        self.problems: list[Located] = []

    def __bool__(self) -> bool:
        return bool(self.problems)

    def add(self, problem: Located) -> None:
        self.problems.append(problem)

    def gather(self) -> _Gather:
        """A context in which a :class:`SpecError` is collected instead of raised."""
        return _Gather(self)

    def raise_any(self) -> None:
        """Raise every problem gathered so far as one :class:`SpecError`, if there is any."""
        if self.problems:
            raise SpecError(self.problems)


class _Gather:
    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> bool:
        if isinstance(error, SpecError):
            self.collector.problems += error.problems
            return True
        return False
