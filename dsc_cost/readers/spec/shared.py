"""Blocks shared between files: ``use: [common.yaml]`` at a spec's top level reads the ``blocks:`` of other spec
files (and of the files they use), found and confined as includes are (:mod:`dsc_cost.readers.includes`); a
file's own block of the same name wins. Their problems are located in their files."""

from __future__ import annotations

from ...errors import Path_, SpecError, shorten
from ..bounds import Stop as _Stop
from ..includes import MAX_INCLUDES, Refused
from ..yamltext import Positions, describe
from .blocks import MAX_BLOCK_DEPTH, _Block, _blocks
from .core import _ExpanderCore
from .validate import _Checker


class _Shared(_ExpanderCore):
    """The blocks an expansion imports with ``use:``."""

    def imported(self, value: object, check: _Checker) -> dict[str, _Block | None]:
        """The blocks of the files ``value`` names (``use:`` of the file being read), each file read once."""
        if value is None:
            return {}
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            check.add(
                ("use",), "", "use", f"expected a list of spec files whose blocks are used, found {describe(value)}"
            )
            return {}
        blocks: dict[str, _Block | None] = {}
        for index, raw in enumerate(value):
            blocks.update(self.use_file(raw, ("use", index), check))
        return blocks

    def use_file(self, raw: object, at: Path_, check: _Checker) -> dict[str, _Block | None]:
        if not (isinstance(raw, str) and raw.strip() and raw.isprintable()):
            check.add(at, "", "use", f"expected the path of a spec file, found {describe(raw)}")
            return {}
        try:
            path, real = self.includes.find(self.file, raw)  # refused before it is opened
        except Refused as refused:
            check.add(at, "", "use", refused.message)
            return {}
        chain = [shown for _, shown in self.chain]
        if any(known == real for known, _ in self.chain):
            cycle = " → ".join([*chain[[k for k, _ in self.chain].index(real) :], path])
            check.add(at, "", "use", f"a file may not use itself: {cycle}")
            return {}
        if len(self.chain) > MAX_BLOCK_DEPTH:
            check.add(at, "", "use", f"uses nested deeper than {MAX_BLOCK_DEPTH} files")
            return {}
        self.tally.includes += 1
        if self.tally.includes > MAX_INCLUDES:
            message = f"more than {MAX_INCLUDES:,} inclusions in all (the bound of one run; each use of a file counts)"
            check.add(at, "", "use", message)
            raise _Stop
        if real not in self.read:
            self.read[real] = self.read_include(path, real)
        known = self.read[real]
        if isinstance(known, str):
            check.add(at, "", "use", known.replace("\0", shorten(repr(path))))
            return {}
        if isinstance(known, SpecError):
            check.located += known.problems
            check.add(at, "", "use", f"{shorten(repr(path))} is not a valid spec")
            return {}
        text, doc = known
        sub = self.origins_checked.setdefault(path, (text, _Checker(0, self.tally)))[1]
        before = len(sub.problems)
        saved = self.file
        self.chain.append((real, path))
        self.file = path
        try:
            blocks = {**self.imported(doc.get("use"), sub), **_blocks(doc.get("blocks"), sub)}
        finally:
            self.chain.pop()
            self.file = saved
        if len(sub.problems) > before:
            check.add(at, "", "use", f"{shorten(repr(path))} has problems (said there)")
        return {name: None if b is None else b._replace(origin=path) for name, b in blocks.items()}

    def located_elsewhere(self) -> None:
        """The problems found in the files used, located there (once each)."""
        for path, (text, sub) in self.origins_checked.items():
            self.check.located += list(dict.fromkeys(Positions(text, path).locate(sub.problems)))
            sub.problems.clear()
