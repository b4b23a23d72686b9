"""Writes tests/data/tiny.keras, the Keras model of the docs' examples, with Keras 3 itself on its torch backend
(run from the repository root with keras and torch installed; no TensorFlow): a stem conv with its ReLU as an
argument, a separable 3×3 conv, batch-norm and a residual add, a standard 3×3 conv, global pooling and a
softmax classifier. Its weights are Keras' initial ones (dsc-cost never reads them)."""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    from keras import layers

    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu", name="stem")(inputs)
    y = layers.SeparableConv2D(16, 3, padding="same", use_bias=False, name="block_sep")(x)
    y = layers.BatchNormalization(name="block_bn")(y)
    x = layers.Add(name="block_add")([x, y])
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="head")(x)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = layers.Dense(10, activation="softmax", name="fc")(x)
    model = keras.Model(inputs, outputs, name="tiny")
    model.save("tests/data/tiny.keras")
    model.summary()


if __name__ == "__main__":  # not when a test run imports the module (doctests): it would write a file
    main()
