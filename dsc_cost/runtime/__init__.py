"""Networks that run: export a spec to ONNX (:mod:`.export`), measure it with onnxruntime (:mod:`.measure`),
and calibrate a device profile from micro-benchmarks of this machine (:mod:`.calibrate`).

``onnx`` and ``onnxruntime`` are optional extras, imported only here and only when a command needs them:
``export`` needs ``onnx`` (``pip install 'dsc-cost[onnx]'``); ``measure`` and ``calibrate`` need both
(``pip install 'dsc-cost[runtime]'``). Without them, one line says what to install (exit 2).
"""

from __future__ import annotations

from types import ModuleType

from ..errors import DscCostError

ONNX_INSTALL = "exporting to ONNX needs the onnx package: pip install 'dsc-cost[onnx]'"
RUNTIME_INSTALL = "running a network needs onnxruntime and onnx: pip install 'dsc-cost[runtime]'"


class RuntimeMissing(DscCostError):
    """An optional package a command needs is not installed (the message says what to install)."""


class RuntimeFailed(DscCostError):
    """onnxruntime refused or failed to run a model (the message names the file and what it said)."""


def need_onnx() -> ModuleType:
    """The ``onnx`` module.

    :raises RuntimeMissing: when it is not installed.
    """
    try:
        import onnx
    except ImportError:
        raise RuntimeMissing(ONNX_INSTALL) from None
    return onnx


def need_runtime() -> ModuleType:
    """The ``onnxruntime`` module (``onnx`` too must be installed).

    :raises RuntimeMissing: when either is not installed.
    """
    try:
        import onnx  # noqa: F401
        import onnxruntime
    except ImportError:
        raise RuntimeMissing(RUNTIME_INSTALL) from None
    module: ModuleType = onnxruntime
    return module
