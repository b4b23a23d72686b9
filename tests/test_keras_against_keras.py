"""Keras files made by Keras 3 itself (on its torch backend: no TensorFlow) for keras.applications' CNNs, read by
dsc-cost without Keras, and checked against Keras' own figures: each layer's params against the layer's
``count_params()``, the totals against ``model.count_params()`` and the trainable weights (``model.summary()``'s
lines), and each conv and dense layer's mults against those worked out here from the layer's config and its output
shape as Keras builds it.

Keras is never a dependency of dsc-cost, so by default this module is skipped where keras or h5py is not installed.
CI runs it in its reference environment with ``DSC_COST_REFERENCE=1``: there a missing package fails the run instead
of skipping it. To run it by hand: ``pip install keras h5py torch`` in a throwaway environment, then
``DSC_COST_REFERENCE=1 python -m pytest tests/test_keras_against_keras.py``.
"""

from __future__ import annotations

import os
import time
from math import prod
from pathlib import Path
from typing import Any

import pytest
from reference_packages import need

from dsc_cost.conventions import CONVENTIONS, network_subject, report
from dsc_cost.network import cost_network
from dsc_cost.readers.keras import read_network

os.environ.setdefault("KERAS_BACKEND", "torch")  # Keras 3 on torch: no TensorFlow


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # numpy's, from Keras' torch backend

keras = need("keras")
need("h5py")

MODELS: dict[str, Any] = {
    "MobileNet": lambda a: a.MobileNet(weights=None),
    "MobileNet-0.5-160": lambda a: a.MobileNet(weights=None, alpha=0.5, input_shape=(160, 160, 3)),
    "MobileNetV2": lambda a: a.MobileNetV2(weights=None),
    "MobileNetV3Small": lambda a: a.MobileNetV3Small(weights=None, input_shape=(224, 224, 3)),
    "MobileNetV3Large": lambda a: a.MobileNetV3Large(weights=None, input_shape=(224, 224, 3)),
    "EfficientNetB0": lambda a: a.EfficientNetB0(weights=None),
    "Xception": lambda a: a.Xception(weights=None),
}
"""keras.applications' CNNs, untrained (weights=None: nothing downloaded)."""


def nested(applications: Any) -> Any:
    """A Functional model of a Sequential model and a Functional model, each used as a layer."""
    layers = keras.layers
    inner = keras.Sequential(
        [layers.Conv2D(8, 3, padding="same", activation="relu"), layers.BatchNormalization()], name="inner_seq"
    )
    x = keras.Input((16, 16, 8))
    y = layers.Conv2D(12, 1)(layers.DepthwiseConv2D(3, padding="same")(x))
    block = keras.Model(x, y, name="inner_fn")
    inputs = keras.Input((16, 16, 3))
    outputs = layers.Dense(4)(layers.GlobalMaxPooling2D()(block(inner(inputs))))
    return keras.Model(inputs, outputs, name="outer")


MODELS["nested"] = nested


def mults(layer: Any) -> int:
    """The multiply-accumulates of a conv or dense ``layer`` (channels-last), from its config and the shapes Keras
    gives its input and output: one per weight per output position."""
    config = layer.get_config()
    cls = type(layer).__name__
    channels = layer.input.shape[-1]
    out = layer.output.shape
    positions = prod(out[1:-1])
    if cls == "Dense":
        return prod(out[1:]) * channels
    kernel = prod(config["kernel_size"])
    if cls == "DepthwiseConv2D":
        return positions * out[-1] * kernel
    if cls == "SeparableConv2D":
        middle = channels * config["depth_multiplier"]
        return positions * middle * kernel + positions * middle * out[-1]
    return positions * out[-1] * kernel * channels // config["groups"]  # Conv2D


COSTED = ("Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Dense")


def _leaves(model: Any, prefix: str = "") -> list[Any]:
    """The layers of ``model`` and of the models in it, each named as dsc-cost names it (``MODEL/LAYER``)."""
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found += _leaves(layer, f"{prefix}{layer.name}/")
        else:
            found.append((f"{prefix}{layer.name}", layer))
    return found


@pytest.fixture(scope="module", params=list(MODELS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any, Path]:
    """(name, the Keras model, a folder holding it saved as NAME.keras and NAME.h5)."""
    name = request.param
    model = MODELS[name](keras.applications)
    folder = tmp_path_factory.mktemp(name)
    model.save(folder / f"{name}.keras")
    model.save(folder / f"{name}.h5")
    return name, model, folder


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_params_and_mults_are_keras_own(built: tuple[str, Any, Path], suffix: str) -> None:
    name, model, folder = built
    path = str(folder / f"{name}{suffix}")
    started = time.perf_counter()
    network = read_network(path)
    seconds = time.perf_counter() - started
    result = cost_network(network)
    layers = {layer.name: layer for layer in result.layers}
    trainable = sum(prod(w.shape) for w in model.trainable_weights)
    statistics = 0  # Normalization's adapted mean, variance and count: values the model keeps, no layer's weights
    expected_mults = 0
    for name, layer in _leaves(model):
        cls = type(layer).__name__
        if cls == "Normalization":
            statistics += layer.count_params()
            continue
        if layer.count_params():  # every layer with weights is a layer of dsc-cost's of the same name
            ours = layers[name]
            assert ours.cost.params + ours.bn_params == layer.count_params(), name
        if cls in COSTED:
            expected_mults += mults(layer)
            assert layers[name].cost.mults == mults(layer), name
    assert result.total.params == trainable  # model.summary()'s "Trainable params"
    assert result.bn_params + statistics == model.count_params() - trainable  # its "Non-trainable params"
    assert result.total.mults == expected_mults
    subject = network_subject(result)
    reported = report(
        CONVENTIONS["keras"], subject.params, subject.mults, subject.bn_params, subject.elements, 1, subject.kept
    )
    assert subject.kept == statistics  # the reader's note of what Normalization layers keep
    assert reported.params == model.count_params()  # --as keras: model.summary()'s "Total params"
    assert seconds < 10  # the weights are not read (about 0.1 s here for Xception's 92 MB .h5)
