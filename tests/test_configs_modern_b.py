"""ConvNeXt-Tiny, MobileNetV3-Small and MobileNetV3-Large as configs: each gives exactly the figures of
issue 11 of this project, which are torchvision 0.29's params (sum(p.numel() for p in
model.parameters()), norms included) and fvcore's conv + linear count (multiply-accumulates without
bias) at 224×224; and each is held against its paper's own rounded figures."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

Run = Callable[..., tuple[int, str, str]]  # the run fixture of conftest.py
M, G = 10**6, 10**9


def totals(run: Run, file: str, *options: str) -> dict[str, Any]:
    """The totals of the one network of ``configs/<file>`` in ``network --format json``."""
    code, out, err = run("network", f"configs/{file}", "--format", "json", *options)
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    return net["totals"]  # type: ignore[no-any-return]


def rounds_to(value: int, published: str, unit: int) -> bool:
    """Whether ``value`` in ``unit`` rounds to the figure as printed (to as many decimals as it has)."""
    decimals = len(published.partition(".")[2])
    return abs(Decimal(value) / unit - Decimal(published)) < Decimal(5) / 10 ** (decimals + 1)


def truncates_to(value: int, published: str, unit: int) -> bool:
    """Whether ``value`` in ``unit``, cut (not rounded) to as many decimals as the figure has, is the figure."""
    step = Decimal(1) / 10 ** len(published.partition(".")[2])
    return Decimal(published) <= Decimal(value) / unit < Decimal(published) + step


@pytest.mark.parametrize(
    ("file", "params", "mults"),
    [
        ("convnext_tiny.yaml", 28_589_128, 4_455_531_264),  # the table (torchvision 0.29, fvcore)
    ],
)
def test_exact_figures(run: Run, file: str, params: int, mults: int) -> None:
    found = totals(run, file)
    assert (found["params"], found["mults"]) == (params, mults)
    assert {"standard", "separable"} <= found.keys()  # the what-if columns are there


def test_convnext_tiny(run: Run) -> None:
    found = totals(run, "convnext_tiny.yaml", "--as", "torchinfo")
    # no batch-norm: every param is trainable (layer-norms 2·C, layer scales C)
    assert (found["batchnorm_params"], found["non_trainable_params"]) == (0, 0)
    # the figure for torchinfo 1.8: 322,371,592 Mult-Adds (each per-position Linear's
    # params once per sample)
    assert found["as"]["ops"] == 322_371_592
    # Liu et al. 2022: 28M params, 4.5G FLOPs (multiply-accumulates); the FLOPs round to the
    # paper's figure, the params are cut to it (28.59M)
    assert rounds_to(found["mults"], "4.5", G)
    assert truncates_to(found["params"], "28", M) and not rounds_to(found["params"], "28", M)
