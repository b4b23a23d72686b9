"""Specs loaded: one text (:func:`load_text`), or many files, each read by the reader of its kind
(:func:`load_files`, :data:`dsc_cost.readers.READERS`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...errors import BoundError, Collector, Located, Path_, Problem, SpecError
from ...layers.base import spatial_dims
from .. import reader_for
from ..bounds import DEFAULT_BOUNDS, Bounds
from ..bounds import Stop as _Stop
from ..bounds import Tally as _Tally
from ..bounds import bound_message as _bound_message
from ..includes import Includes, local_includes
from ..yamltext import Positions, _duplicate_problem, _parse, _walk, _Where
from .document import _network
from .model import Spec, _Source
from .params import ALL, NO_SELECTION, Choice, Selection, choices, network_params
from .text import read_text
from .validate import _Checker


def load_text(
    text: str,
    file: str = "<spec>",
    warn: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    _tally: _Tally | None = None,
    includes: Includes | None = None,
    variants: Iterable[str] = (),
    params: Mapping[str, object] | None = None,
) -> list[Spec]:
    """Every network of one spec text (YAML, or JSON when ``file`` ends in ``.json``); its includes are read
    as ``includes`` says (by default, beside ``file``, confined as :func:`~dsc_cost.readers.includes.local_includes`
    says, with ``bounds.allow_include``).

    >>> [spec] = load_text("input: [3, 7, 7]\\nlayers:\\n  - {type: conv, out: 128, kernel: 3}\\n", "seed.yaml")
    >>> spec.network.name, spec.network.nodes[0].name
    ('seed', 'conv1')

    ``variants`` picks the variants of each network (``variants:``; ``"all"``: every one), each a network named
    ``NAME[variant]``; ``params`` sets parameters (``params:``) after the variant's values, each a number,
    true/false, a word or the text of one (``"3/4"``), as ``--variant`` and ``--set`` do.

    >>> text = "params: {c: 8}\\nvariants: {big: {c: 16}}\\ninput: [3, 7, 7]\\nlayers: [{type: pointwise, out: c}]\\n"
    >>> [(s.network.name, s.network.nodes[0].layer.out) for s in load_text(text, "n.yaml", variants=["all"])]
    [('n[big]', 16)]
    >>> [(s.network.name, s.network.nodes[0].layer.out) for s in load_text(text, "n.yaml", params={"c": "4"})]
    [('n', 4)]

    :raises SpecError: listing every problem of the text, each located (a :class:`BoundError`
        when its networks pass ``bounds.max_layers`` layers in all: the work stops there).
    """
    tally = _tally if _tally is not None else _Tally(bounds.max_layers)
    if not text.strip():
        raise SpecError([Located(file, 1, 1, "", "", "the file is empty: expected a network spec (input and layers)")])

    def count(document: int, data: Any, node: Any) -> None:
        """Refuse the layer with which the documents read so far list more layers than the bound, as
        soon as its document is read (located by the node in hand: the text is not read again)."""
        over = tally.over(data)
        if over is None:
            return
        index, item = over
        path: Path_ = ("layers", index, "repeat") if "repeat" in item else ("layers", index)
        if node is not None:
            mark = _walk(node, path)[1]
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        else:
            line, column = Positions(text, file).at(document, path)
        field_ = "repeat" if "repeat" in item else ""
        raise BoundError([Located(file, line, column, str(_Where(index, item)), field_, _bound_message(tally.bound))])

    documents, duplicates = _parse(text, file, warn, count)
    stem = os.path.splitext(os.path.basename(file))[0] if file != "-" else "stdin"
    specs: list[Spec] = []
    problems: list[Problem] = []
    included: list[Located] = []  # the problems of included files, located there
    real = [(i, d) for i, d in enumerate(documents) if d is not None]
    if not real:
        raise SpecError([Located(file, 1, 1, "", "", "the file holds no document: expected a network spec")])
    positions = Positions(text, file)
    source = _Source(file, bounds.max_file_size, includes or local_includes(file, bounds.allow_include))
    stopped = False
    selection = Selection(tuple(variants), tuple((params or {}).items()))
    for index, doc in real:
        default_name = stem if len(real) == 1 else f"{stem}#{index + 1}"
        chosen: list[Choice | None] = [None]
        if isinstance(doc, dict) and ("variants" in doc or selection != NO_SELECTION):
            check = _Checker(index, tally)
            chosen = list(choices(doc, network_params(doc.get("params"), _Checker(index)), selection, check))
            problems += check.problems
        runs: list[list[Problem]] = []
        for choice in chosen:
            check = _Checker(index, tally)
            try:
                result = _network(doc, index, default_name, check, tally, None, source, choice)
            except _Stop:
                runs.append(check.problems)
                included += check.located
                stopped = True
                break
            finally:
                spatial_dims(2)
            runs.append(check.problems)
            included += check.located
            if result is not None:
                network, budget, origins, inner = result
                spec = Spec(network, budget, file, index, text, origins, positions, inner or None, doc, choice)
                specs.append(spec)
        problems += _merged(runs, chosen)
        if stopped:
            break
    if problems or duplicates or included:
        located = positions.locate(problems) + list(dict.fromkeys(included))  # a file included twice: said once
        if duplicates:
            twice = [_duplicate_problem(file, documents, d) for d in duplicates]
            located = sorted(twice + located, key=lambda p: (p.line, p.column))
        raise (BoundError if stopped else SpecError)(located)
    return specs


def _merged(runs: list[list[Problem]], chosen: list[Choice | None]) -> list[Problem]:
    """The problems of the variants of one document: one found in every variant once, as it is; one found in
    some, once for each, naming it."""
    if len(runs) == 1:
        return runs[0]
    every = set.intersection(*(set(run) for run in runs)) if len(runs) == len(chosen) else set()
    merged: list[Problem] = []
    said: set[Problem] = set()
    for run, choice in zip(runs, chosen, strict=False):
        for problem in run:
            if problem in every:
                if problem not in said:
                    said.add(problem)
                    merged.append(problem)
            else:
                variant = choice.variant if choice is not None and choice.variant is not None else "as written"
                merged.append(problem._replace(message=f"{problem.message} (variant {variant})"))
    return merged


def load_files(
    paths: Iterable[str],
    stdin: Callable[[], bytes] | None = None,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[str], None] | None = None,
    bounds: Bounds = DEFAULT_BOUNDS,
    onnx: Any = None,
    variants: Iterable[str] = (),
    params: Mapping[str, object] | None = None,
) -> list[Spec]:
    """Every network of every file, in order. Problems of all files are reported together.

    A path ending in ``.onnx`` is an ONNX model, read by :func:`dsc_cost.onnx.load_onnx`
    (:data:`dsc_cost.readers.READERS`) with the options ``onnx`` (a :class:`dsc_cost.onnx.OnnxOptions`; ``None``:
    the defaults).

    ``stdin`` reads standard input for the path ``-``; ``warn`` hears, once, that YAML is read
    without libyaml; ``progress`` hears each path once it is loaded. ``bounds`` bound the layers
    of every network of every file in all, and the size of each file. ``variants`` and ``params`` pick the variants
    of each network and set its parameters, as :func:`load_text` says (a model file has neither).

    :raises SpecError: listing every problem found (a :class:`BoundError`, listing those found
        so far, when a bound is passed: the work stops there).
    """
    specs: list[Spec] = []
    problems = Collector()
    warnings: set[str] = set()
    tally = _Tally(bounds.max_layers)
    variants = tuple(variants)
    params = dict(params or {})

    def warn_once(message: str) -> None:
        if warn is not None and message not in warnings:
            warnings.add(message)
            warn(message)

    for path in paths:
        if progress is not None:
            progress(path)
        try:
            reader = reader_for(path)
            if reader is not None:  # a model file: its reader makes its specs
                _no_selection(path, variants, params)
                options = {"options": onnx} if onnx is not None else {}
                specs += reader(path, warn=warn_once, bounds=bounds, tally=tally, **options)
                continue
            text = read_text(path, stdin, bounds.max_file_size)
            specs += load_text(text, path, warn_once, bounds, tally, variants=variants, params=params)
        except BoundError as error:
            raise BoundError(problems.problems + error.problems) from None
        except SpecError as error:
            problems.problems += error.problems
    problems.raise_any()
    return specs


def _no_selection(path: str, variants: tuple[str, ...], params: dict[str, object]) -> None:
    """:raises SpecError: when a model file (which has no parameters or variants) is asked for some."""
    problems = [
        Located(path, 0, 0, "", f"--set {key}", "unknown parameter: a model file has no params") for key in params
    ]
    problems += [
        Located(path, 0, 0, "", f"--variant {name}", "unknown variant: a model file has no variants")
        for name in variants
        if name != ALL
    ]
    if problems:
        raise SpecError(problems)
