"""The model description of a Keras file, and nothing else: ``config.json`` of a ``.keras`` archive (its weights,
``model.weights.h5``, are never opened), or the ``model_config`` attribute of a legacy ``.h5`` file (read by h5py,
the attribute alone: the datasets of weights are never read). The JSON is parsed as data: nothing in it is
imported, unpickled or run."""

from __future__ import annotations

import json
import zipfile
from typing import Any

from ...errors import SpecError
from ..onnx import Problem

INSTALL_H5PY = "reading a .h5 Keras file needs the h5py package: pip install 'dsc-cost[keras]'"


def problem(file: str, message: str, where: str = "", field: str = "") -> SpecError:
    return SpecError([Problem(file, 0, 0, where, field, message)])


def _size_message(bound: int, what: str) -> str:
    return (
        f"{what} is larger than {bound:,} bytes (the bound of one file's model description, its weights left out;"
        " --max-file-size SIZE raises it)"
    )


def _parse(file: str, text: str | bytes, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise problem(file, f"{what} is not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except (RecursionError, UnicodeDecodeError, ValueError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else "not UTF-8 text"
        raise problem(file, f"{what} is not JSON that can be read: {reason}") from None


def keras_config(file: str, max_size: int) -> Any:
    """The model config of the ``.keras`` archive ``file``: its ``config.json``, parsed, at most ``max_size`` bytes.

    :raises SpecError: one problem naming the file: not a zip archive, no ``config.json``, too large, not JSON."""
    try:
        with zipfile.ZipFile(file) as archive:
            try:
                info = archive.getinfo("config.json")
            except KeyError:
                raise problem(
                    file, "no config.json in the archive: expected a Keras model saved by model.save('….keras')"
                ) from None
            if info.file_size > max_size:
                raise problem(file, _size_message(max_size, "config.json"))
            with archive.open(info) as handle:
                data = handle.read(max_size + 1)  # the header's size may lie: read no more than the bound
            if len(data) > max_size:
                raise problem(file, _size_message(max_size, "config.json"))
    except zipfile.BadZipFile:
        raise problem(file, "not a .keras file: expected a zip archive holding config.json") from None
    except OSError as error:
        raise problem(file, f"cannot read the file: {error.strerror or error}") from None
    except (RuntimeError, NotImplementedError, zipfile.LargeZipFile, EOFError) as error:  # encrypted, a method
        raise problem(file, f"cannot read config.json in the archive: {error}") from None
    return _parse(file, data, "config.json")


def h5_config(file: str, max_size: int) -> Any:
    """The model config of the legacy ``.h5`` file ``file``: its ``model_config`` attribute, parsed, at most
    ``max_size`` bytes (the weights' datasets are not read).

    :raises SpecError: one problem naming the file: h5py missing, not HDF5, no ``model_config``, too large, not
        JSON."""
    try:
        import h5py  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        raise problem(file, INSTALL_H5PY) from None
    try:
        handle = h5py.File(file, "r")
    except OSError as error:
        reason = "not an HDF5 file" if "signature" in str(error).lower() else f"cannot read the file: {error}"
        raise problem(file, reason) from None
    with handle:
        if "model_config" not in handle.attrs:
            raise problem(
                file,
                "no model_config attribute: expected a Keras model saved by model.save('….h5')"
                " (a file of weights alone has none)",
                field="model_config",
            )
        try:
            size = handle.attrs.get_id("model_config").get_storage_size()
        except Exception:  # h5py's errors are not all OSError
            size = 0
        if size > max_size:
            raise problem(file, _size_message(max_size, "model_config"), field="model_config")
        try:
            value = handle.attrs["model_config"]
        except Exception as error:  # an attribute of a type h5py does not read
            raise problem(file, f"cannot read the attribute: {error}", field="model_config") from None
    if hasattr(value, "tobytes") and not isinstance(value, (str, bytes)):  # a numpy scalar of bytes
        value = value.tobytes() if getattr(value, "dtype", None) is not None and value.dtype.kind == "S" else value
    if not isinstance(value, (str, bytes)):
        raise problem(file, f"expected the model's JSON text, found a {type(value).__name__}", field="model_config")
    if len(value) > max_size:
        raise problem(file, _size_message(max_size, "model_config"), field="model_config")
    return _parse(file, value, "model_config")
