"""The reference tests' one rule for the packages they need (torch, torchvision, the counters, onnx, onnxruntime,
keras, nbclient): where one cannot be imported the test is skipped, but with ``DSC_COST_REFERENCE=1`` (CI's
reference environment, .ci/run) it fails, so that CI never passes a reference test it did not run."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

REQUIRED = os.environ.get("DSC_COST_REFERENCE", "") not in ("", "0")
"""Set (DSC_COST_REFERENCE=1): every missing package is a failure, not a skip."""


def need(name: str) -> ModuleType:
    """The module ``name``; where it cannot be imported (or is a broken build: torchvision beside a mismatched torch,
    a Keras backend that does not load), skip the test, or the module when called at its top, or fail under
    DSC_COST_REFERENCE."""
    try:
        return importlib.import_module(name)
    except Exception as error:  # ImportError, or a broken build
        if REQUIRED:
            pytest.fail(f"DSC_COST_REFERENCE is set but {name} cannot be imported: {error!r}", pytrace=False)
        pytest.skip(f"{name} cannot be imported: {error!r}", allow_module_level=True)
