"""Keras models in, without Keras: configs written here as Keras 3 (and Keras 2) write them, saved as .keras
archives and as .h5 files (h5py), costed as the networks they are, every expected count from hand arithmetic
written beside it; and every kind of bad file, through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from dsc_cost.cli import main
from dsc_cost.network import cost_network
from dsc_cost.readers.keras import KerasOptions, read_network
from dsc_cost.readers.keras.handlers import transposed_padding
from dsc_cost.spec import load_files, load_text

# ---------------------------------------------------------------- writing models as Keras does


def tensor(layer: str, shape: list[Any]) -> dict[str, Any]:
    """A Keras 3 ``__keras_tensor__`` made by ``layer`` (of ``shape``, the batch first)."""
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "keras_history": [layer, 0, 0]}}


def layer(cls: str, name: str, *inputs: dict[str, Any], merge: bool = False, **config: Any) -> dict[str, Any]:
    """A layer of a Functional model as Keras 3 writes it (``merge``: its inputs as one list, as Add's)."""
    args: list[Any] = [list(inputs)] if merge else list(inputs)
    nodes = [{"args": args, "kwargs": {}}] if inputs else []
    return {"module": "keras.layers", "class_name": cls, "config": {"name": name, **config}, "name": name,
            "inbound_nodes": nodes}  # fmt: skip


def input_layer(shape: list[Any], name: str = "input_layer") -> dict[str, Any]:
    return layer("InputLayer", name, batch_shape=[None, *shape])


def functional(layers: list[dict[str, Any]], output: str, name: str = "model") -> dict[str, Any]:
    return {"module": "keras", "class_name": "Functional", "config": {
        "name": name, "layers": layers, "input_layers": [layers[0]["name"], 0, 0], "output_layers": [output, 0, 0]}}  # fmt: skip


def sequential(layers: list[dict[str, Any]], name: str = "sequential") -> dict[str, Any]:
    return {"module": "keras", "class_name": "Sequential", "config": {"name": name, "layers": layers}}


def save_keras(path: Path, model: Any) -> str:
    """A .keras archive of ``model``'s config, beside weights that are not an HDF5 file at all (never opened)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", model if isinstance(model, str) else json.dumps(model))
        archive.writestr("model.weights.h5", b"not read" * 1000)
    return str(path)


def save_h5(path: Path, model: Any, weights: int = 1000) -> str:
    """A legacy .h5 file: the model's config in its ``model_config`` attribute, beside a dataset of ``weights``
    floats."""
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "w") as handle:
        if model is not None:
            handle.attrs["model_config"] = json.dumps(model)
        handle.attrs["backend"] = "torch"
        handle.create_dataset("model_weights/w", shape=(weights,), dtype="f4")
    return str(path)


# A small net, hand-costed: input 32×32×3.
#   stem   Conv2D 16, 3×3, stride 2, same, bias, relu:  out 16×16×16; params 3·3·3·16 + 16 = 448;
#          mults 16·16 · 16 · 27 = 110,592 (and a relu layer after it, stem_activation)
#   stem_bn BatchNormalization: 2·16 = 32 params (+ 32 moving mean and variance)
#   dw     DepthwiseConv2D 3×3, same, no bias: 3·3·16 = 144 params; mults 16·16·16·9 = 36,864
#   pw     Conv2D 32, 1×1, no bias: 16·32 = 512 params; mults 16·16·16·32 = 131,072
#   pool   GlobalAveragePooling2D: 32
#   fc     Dense 10, bias: 32·10 + 10 = 330 params; 320 mults
# params 448 + 32 + 144 + 512 + 330 = 1,466; mults 110,592 + 36,864 + 131,072 + 320 = 278,848; Keras' count 1,498
SMALL_PARAMS, SMALL_MULTS, SMALL_KERAS = 1_466, 278_848, 1_498


def small_sequential() -> dict[str, Any]:
    return sequential([
        input_layer([32, 32, 3]),
        layer("Conv2D", "stem", filters=16, kernel_size=[3, 3], strides=[2, 2], padding="same", use_bias=True,
              activation="relu", data_format="channels_last", groups=1, dilation_rate=[1, 1]),
        layer("BatchNormalization", "stem_bn", axis=-1, center=True, scale=True),
        layer("DepthwiseConv2D", "dw", kernel_size=[3, 3], padding="same", use_bias=False, depth_multiplier=1),
        layer("Conv2D", "pw", filters=32, kernel_size=1, use_bias=False),
        layer("GlobalAveragePooling2D", "pool", keepdims=False),
        layer("Dense", "fc", units=10, activation="softmax"),
    ])  # fmt: skip


def costed(path: str, options: KerasOptions | None = None) -> tuple[int, int, int, list[str]]:
    network = read_network(path, options)
    result = cost_network(network)
    return result.total.params, result.total.mults, result.bn_params, [node.name for node in network.nodes]


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_sequential_model_costs_as_hand_arithmetic(tmp_path: Path, suffix: str) -> None:
    save = save_keras if suffix == ".keras" else save_h5
    path = save(tmp_path / f"small{suffix}", small_sequential())
    params, mults, bn, names = costed(path)
    assert (params, mults, params + bn) == (SMALL_PARAMS, SMALL_MULTS, SMALL_KERAS)
    assert names == ["stem", "stem_activation", "stem_bn", "dw", "pw", "pool", "fc"]  # Keras' names; softmax: none


def test_as_keras_gives_count_params_and_import_writes_the_same_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_keras(tmp_path / "small.keras", small_sequential())
    assert main(["conventions", path, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    text = json.dumps(rows)
    assert f'"params": {SMALL_KERAS}' in text.replace(" ", " ")  # Keras count_params: 1,466 + 32 running statistics
    assert main(["import", path]) == 0
    spec = capsys.readouterr().out
    [again] = load_text(spec, "small.yaml")
    result = cost_network(again.network)
    assert (result.total.params, result.total.mults) == (SMALL_PARAMS, SMALL_MULTS)


def test_as_keras_counts_an_adapted_normalizations_statistics_as_count_params_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The small net behind an adapted Normalization over its 3 channels (EfficientNet's stem): Keras keeps its
    # mean (3), variance (3) and count (1) as non-trainable weights, so count_params is 1,498 + 2·3 + 1 = 1,505;
    # no layer of dsc-cost's has them, and dsc-cost's own params stay 1,466. A Normalization given its mean and
    # variance keeps them as constants, not weights: count_params 1,498.
    model = small_sequential()
    norm = layer("Normalization", "norm", axis=-1)
    model["config"]["layers"].insert(1, norm)
    path = save_keras(tmp_path / "normalized.keras", model)
    network = read_network(path)
    assert network.notes is not None and network.notes.kept == 2 * 3 + 1
    assert main(["network", path, "--as", "keras", "--format", "json"]) == 0
    totals = json.loads(capsys.readouterr().out)["networks"][0]["totals"]
    assert (totals["params"], totals["as"]["params"]) == (SMALL_PARAMS, SMALL_KERAS + 7)
    assert main(["conventions", path]) == 0
    assert "statistics kept beside the weights as params (+7)" in capsys.readouterr().out
    norm["config"].update(mean=[0.5, 0.5, 0.5], variance=[0.25, 0.25, 0.25])
    given = read_network(save_keras(tmp_path / "given.keras", model))
    assert given.notes is None


def test_a_functional_model_of_branches_in_keras_2s_format_reads_as_keras_3s(tmp_path: Path) -> None:
    # Input 8×8×4 (channels last), Keras 2's inbound_nodes ([[layer, node, tensor, kwargs]]) and batch_input_shape:
    #   a   Conv2D 8, 3×3 valid, bias:     6×6×8; params 3·3·4·8 + 8 = 296; mults 36·8·36 = 10,368
    #   b   SeparableConv2D 8, 3×3 valid, multiplier 2, bias: 6×6×8; params 3·3·4·2 + 8·8 + 8 = 144;
    #       mults 36·72 (depthwise) + 36·8·8 (pointwise) = 2,592 + 2,304 = 4,896
    #   add Add(a, b); cat Concatenate(a, add): 6×6×16
    #   pad ZeroPadding2D ((1, 0), (0, 1)): 7×7×16; pool MaxPooling2D 2, stride 2, valid: 3×3×16
    #   up  UpSampling2D 2: 6×6×16
    #   t   Conv2DTranspose 4, 3×3, stride 2, same, no bias: 12×12×4 (Keras: 6·2); params 3·3·16·4 = 576;
    #       mults (input positions) 36·16·4·9 = 20,736
    # params 296 + 144 + 576 = 1,016; mults 10,368 + 4,896 + 20,736 = 36,000
    def k2(cls: str, name: str, inputs: list[str], **config: Any) -> dict[str, Any]:
        return {"class_name": cls, "name": name, "config": {"name": name, **config},
                "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]] if inputs else []}  # fmt: skip

    model = {"class_name": "Model", "config": {"name": "branches", "layers": [
        k2("InputLayer", "x", [], batch_input_shape=[None, 8, 8, 4]),
        k2("Conv2D", "a", ["x"], filters=8, kernel_size=[3, 3], padding="valid"),
        k2("SeparableConv2D", "b", ["x"], filters=8, kernel_size=3, depth_multiplier=2),
        k2("Add", "add", ["a", "b"]),
        k2("Concatenate", "cat", ["a", "add"], axis=-1),
        k2("ZeroPadding2D", "pad", ["cat"], padding=[[1, 0], [0, 1]]),
        k2("MaxPooling2D", "pool", ["pad"], pool_size=[2, 2], strides=None, padding="valid"),
        k2("UpSampling2D", "up", ["pool"], size=[2, 2], interpolation="nearest"),
        k2("Conv2DTranspose", "t", ["up"], filters=4, kernel_size=3, strides=2, padding="same", use_bias=False),
    ], "input_layers": [["x", 0, 0]], "output_layers": [["t", 0, 0]]}}  # fmt: skip
    path = save_h5(tmp_path / "branches.h5", model)
    network = read_network(path)
    result = cost_network(network)
    assert (result.total.params, result.total.mults) == (1_016, 36_000)
    assert [str(layer.output) for layer in result.layers] == [
        "8×6×6", "8×6×6", "8×6×6", "16×6×6", "16×7×7", "16×3×3", "16×6×6", "4×12×12",
    ]  # fmt: skip
    assert [n.inputs for n in network.nodes][:5] == [(), ("input",), ("a", "b"), ("a", "add"), ()]


def test_nested_models_gates_and_reshapes(tmp_path: Path) -> None:
    # Input 4×4×8; an SE gate written as EfficientNet writes it; a Sequential model inside (its layers MODEL/LAYER):
    #   squeeze GlobalAveragePooling2D → 8; se_reshape Reshape (1, 1, 8)
    #   se_reduce Conv2D 2, 1×1, bias, relu: params 8·2 + 2 = 18; mults 16
    #   se_expand Conv2D 8, 1×1, bias, sigmoid: params 2·8 + 8 = 24; mults 16
    #   excite Multiply(x, gate): 4×4×8; x + 3.0 (a keras.ops call): nothing
    #   head (Sequential): Conv1 Conv2D 6, 3×3 same, no bias: params 3·3·8·6 = 432; mults 16·6·72 = 6,912;
    #        ln LayerNormalization: 2·6 = 12 params; flat Flatten: 96; drop Dropout; fc Dense 5, bias: 96·5 + 5 = 485
    # params 18 + 24 + 432 + 12 + 485 = 971; mults 16 + 16 + 6,912 + 480 = 7,424
    x = tensor("input_layer", [None, 4, 4, 8])
    head = sequential([
        layer("Conv2D", "conv1", filters=6, kernel_size=3, padding="same", use_bias=False),
        layer("LayerNormalization", "ln", axis=[-1]),
        layer("Flatten", "flat"),
        layer("Dropout", "drop", rate=0.2),
        layer("Dense", "fc", units=5),
    ], name="head")  # fmt: skip
    head.update(name="head", inbound_nodes=[{"args": [tensor("plus", [None, 4, 4, 8])], "kwargs": {}}])
    plus = layer("Add", "plus", tensor("excite", [None, 4, 4, 8]))
    plus["module"] = "keras.src.ops.numpy"
    plus["inbound_nodes"][0]["args"].append(3.0)
    model = functional([
        input_layer([4, 4, 8]),
        layer("GlobalAveragePooling2D", "squeeze", x),
        layer("Reshape", "se_reshape", tensor("squeeze", [None, 8]), target_shape=[1, 1, -1]),
        layer("Conv2D", "se_reduce", tensor("se_reshape", [None, 1, 1, 8]), filters=2, kernel_size=1,
              activation="relu"),
        layer("Conv2D", "se_expand", tensor("se_reduce", [None, 1, 1, 2]), filters=8, kernel_size=1,
              activation="sigmoid"),
        layer("Multiply", "excite", x, tensor("se_expand", [None, 1, 1, 8]), merge=True),
        plus,
        head,
    ], "head")  # fmt: skip
    params, mults, _, names = costed(save_keras(tmp_path / "nested.keras", model))
    assert (params, mults) == (971, 7_424)
    assert names == [
        "squeeze", "se_reduce", "se_reduce_activation", "se_expand", "se_expand_activation", "excite",
        "head/conv1", "head/ln", "head/fc",
    ]  # fmt: skip


def test_one_and_three_dims_groups_causal_and_channels_first(tmp_path: Path) -> None:
    # Conv1D on 100×6 (length 100, 6 channels): 12 filters, 5, groups 3, causal, stride 2: 50×12;
    #   params 5·2·12 + 12 = 132; mults 50·12·10 = 6,000
    seq = sequential([input_layer([100, 6]),
                      layer("Conv1D", "c", filters=12, kernel_size=5, groups=3, padding="causal", strides=2)])  # fmt: skip
    assert costed(save_keras(tmp_path / "one.keras", seq))[:2] == (132, 6_000)
    # Conv3D on 4×8×8×2: 4 filters, 3×3×3 valid, no bias: 2×6×6×4; params 27·2·4 = 216; mults 72·4·54 = 15,552
    seq = sequential([input_layer([4, 8, 8, 2]),
                      layer("Conv3D", "c", filters=4, kernel_size=3, use_bias=False)])  # fmt: skip
    assert costed(save_keras(tmp_path / "three.keras", seq))[:2] == (216, 15_552)
    # channels_first: input 3×10×10 is 3 channels; Conv2D 4, 3×3 valid, no bias: 4×8×8; params 108; mults 64·4·27
    seq = sequential([input_layer([3, 10, 10]),
                      layer("Conv2D", "c", filters=4, kernel_size=3, use_bias=False, data_format="channels_first"),
                      layer("BatchNormalization", "bn", axis=1)])  # fmt: skip
    assert costed(save_keras(tmp_path / "first.keras", seq))[:3] == (108 + 8, 6_912, 8)


@pytest.mark.parametrize(
    ("padding", "kernel", "stride", "dilation", "output", "length"),
    [("valid", 3, 2, 1, None, 11), ("valid", 1, 3, 1, None, 15), ("same", 3, 2, 1, None, 10),
     ("same", 4, 2, 1, None, 10), ("same", 5, 1, 1, None, 5), ("same", 3, 2, 2, None, 10),
     ("valid", 3, 2, 1, 1, 12), ("same", 3, 3, 1, 2, 15)],
)  # fmt: skip
def test_transposed_padding_gives_keras_output_length(
    padding: str, kernel: int, stride: int, dilation: int, output: int | None, length: int
) -> None:
    # Keras' deconv_output_length on a length of 5, worked by hand: valid, no output_padding: 5·s + max(k' − s, 0);
    # same: 5·s; given: (5 − 1)·s + k' − 2·pad + output_padding, pad k' // 2 (same) or 0, k' = d·(k − 1) + 1
    pad, extra = transposed_padding(padding, kernel, stride, dilation, output)
    assert (5 - 1) * stride - 2 * pad + dilation * (kernel - 1) + extra + 1 == length


# ---------------------------------------------------------------- bad files: one located line each, exit 2


def lambda_model() -> dict[str, Any]:
    return sequential([input_layer([8, 8, 3]), layer("Conv2D", "c", filters=4, kernel_size=1),
                       layer("Lambda", "custom", function="..."), layer("Lambda", "custom2", function="...")])  # fmt: skip


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-config", "no config.json in the archive: expected a Keras model saved by model.save('….keras')"),
        ("not-zip", "not a .keras file: expected a zip archive holding config.json"),
        ("not-json", "config.json is not JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        ("wrong-shape", "model: expected a model: a mapping with class_name and config, found [1, 2, 3]"),
        ("not-a-model", "model: expected a Functional or Sequential model, found class_name 'Conv2D'"),
        ("bad-layer", "model.config.layers[1]: expected the layer's config, found 'conv'"),
        ("unknown", "layer custom (Lambda): a layer dsc-cost does not read (×2 in the model): dsc-cost costs only"
                    " the layers it reads (docs/keras.md lists them); --allow-unknown costs these as nothing and"
                    " marks the result approximate"),
        ("unknown-size", "layer input_layer (InputLayer): batch_shape: the input is N×?×?×3, its size not fixed:"
                         " give --input CxHxW"),
        ("bad-value", "layer c (Conv2D): filters: expected a whole number ≥ 1, found -4"),
        ("h5-no-config", "model_config: no model_config attribute: expected a Keras model saved by"
                         " model.save('….h5') (a file of weights alone has none)"),
        ("h5-not-hdf5", "not an HDF5 file"),
    ],
)  # fmt: skip
def test_bad_files_are_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    suffix = ".h5" if case.startswith("h5") else ".keras"
    path = tmp_path / f"{case}{suffix}"
    conv = layer("Conv2D", "c", filters=4, kernel_size=1)
    if case == "no-config":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("model.weights.h5", b"")
    elif case == "not-zip":
        path.write_text("name: tiny\n")
    elif case == "not-json":
        save_keras(path, "{not json")
    elif case == "wrong-shape":
        save_keras(path, [1, 2, 3])
    elif case == "not-a-model":
        save_keras(path, conv)
    elif case == "bad-layer":
        save_keras(path, sequential([input_layer([8, 8, 3]), {"class_name": "Conv2D", "config": "conv"}]))
    elif case == "unknown":
        save_keras(path, lambda_model())
    elif case == "unknown-size":
        save_keras(path, sequential([input_layer([None, None, 3]), conv]))
    elif case == "bad-value":
        save_keras(path, sequential([input_layer([8, 8, 3]), layer("Conv2D", "c", filters=-4, kernel_size=1)]))
    elif case == "h5-no-config":
        save_h5(path, None)
    else:
        path.write_bytes(b"\x00" * 64)
    for command in ("network", "import", "check"):
        assert main([command, str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"{path}: {message}\n", err


def test_an_unknown_layer_is_allowed_as_nothing_with_allow_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_keras(tmp_path / "lambda.keras", lambda_model())
    assert main(["network", path, "--format", "csv", "--allow-unknown"]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"dsc-cost: warning: {path}: 2 layers not read (Lambda ×2) costed as nothing (--allow-unknown): the result is"
        " approximate\n"
    )
    assert "lambda,c,pointwise,3x8x8,4x8x8,16,768," in out  # 3·4 + 4 params; 64·4·3 mults


def test_input_sets_an_unknown_size(tmp_path: Path) -> None:
    model = sequential([input_layer([None, None, 3]), layer("Conv2D", "c", filters=4, kernel_size=3, use_bias=False)])
    path = save_keras(tmp_path / "any.keras", model)
    # 3×3·3·4 = 108 params; on 3×10×10: 8×8 positions · 4 · 27 = 6,912 mults
    [spec] = load_files([path], onnx=KerasOptions(input=__import__("dsc_cost").formulas.Shape(3, 10, 10)))
    result = cost_network(spec.network)
    assert (result.total.params, result.total.mults) == (108, 6_912)


def test_the_bounds_are_the_model_descriptions_not_the_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_h5(tmp_path / "heavy.h5", small_sequential(), weights=1_000_000)  # 4 MB of weights
    assert main(["network", path, "--max-file-size", "20000", "--format", "csv"]) == 0
    capsys.readouterr()
    assert main(["network", path, "--max-file-size", "200"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"{path}: model_config: model_config is larger than 200 bytes")
    keras = save_keras(tmp_path / "heavy.keras", small_sequential())
    assert main(["network", keras, "--max-layers", "3"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (
        f"{keras}: the specs would have more than 3 layers in all (the bound of one run; --max-layers N raises it)\n"
    )


def test_a_keras_file_is_read_without_h5py_or_keras(tmp_path: Path) -> None:
    path = save_keras(tmp_path / "small.keras", small_sequential())
    code = (
        "import sys; from dsc_cost.spec import load_files; load_files([sys.argv[1]]);"
        " print(sorted(m for m in ('h5py', 'keras', 'tensorflow', 'torch', 'onnx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_an_h5_file_without_h5py_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_h5(tmp_path / "small.h5", small_sequential())
    monkeypatch.setitem(sys.modules, "h5py", None)  # import h5py now fails, as where it is not installed
    assert main(["network", path]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"{path}: reading a .h5 Keras file needs the h5py package: pip install 'dsc-cost[keras]'\n",
    )


def _config(cls: str) -> dict[str, Any]:
    """A config of ``cls`` as Keras writes one, for the smoke test of every class read."""
    if "Transpose" in cls:
        return {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}
    if cls.startswith(("Conv", "SeparableConv")):
        return {"filters": 4, "kernel_size": 3}
    if cls.startswith("DepthwiseConv"):
        return {"kernel_size": 3, "depth_multiplier": 2}
    return {
        "Dense": {"units": 3}, "Activation": {"activation": "hard_silu"}, "Reshape": {"target_shape": [-1]},
        "Rescaling": {"scale": 0.5}, "Normalization": {"axis": -1},
    }.get(cls, {"padding": 1} if cls.startswith("ZeroPadding") else {})  # fmt: skip


@pytest.mark.parametrize("cls", sorted(__import__("dsc_cost.readers.keras", fromlist=["HANDLERS"]).HANDLERS))
def test_every_class_read_reads_and_imports_as_the_same_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cls: str
) -> None:
    dims = 1 if "1D" in cls else 3 if "3D" in cls else 2
    shape = {1: [16, 4], 2: [8, 8, 4], 3: [4, 8, 8, 4]}[dims]
    x = tensor("input_layer", [None, *shape])
    if cls in ("Add", "Multiply", "Concatenate"):
        inputs = [layer("Conv2D", "a", x, filters=4, kernel_size=1), layer("Conv2D", "b", x, filters=4, kernel_size=1)]
        node = layer(cls, "it", tensor("a", [None, *shape]), tensor("b", [None, *shape]), merge=True)
    else:  # after a 1×1 conv: a class that costs nothing leaves a network of one layer
        inputs = [layer(f"Conv{dims}D", "a", x, filters=4, kernel_size=1)]
        node = layer(cls, "it", tensor("a", [None, *shape]), **_config(cls))
    path = save_keras(tmp_path / "one.keras", functional([input_layer(shape), *inputs, node], "it"))
    assert main(["network", path, "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert main(["import", path, "-o", str(tmp_path / "one.yaml")]) == 0
    assert main(["network", str(tmp_path / "one.yaml"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.replace("one,", "") == out.replace("one,", "")


def test_a_config_changed_anywhere_is_read_or_refused_never_a_traceback(tmp_path: Path) -> None:
    import copy
    import random

    from dsc_cost.errors import SpecError

    base = json.loads(zipfile.ZipFile(Path(__file__).parent / "data" / "tiny.keras").read("config.json"))
    values = [None, -1, 0, 2, 2.5, "x", "same", [], [1], [None, 1], {}, {"a": 1}, True, [[1, 2]], 10**30]
    rng = random.Random(27)
    path = tmp_path / "changed.keras"
    for _ in range(300):
        config = copy.deepcopy(base)
        places: list[tuple[Any, Any]] = []

        def walk(value: Any, places: list[tuple[Any, Any]] = places) -> None:
            for key in list(value) if isinstance(value, dict) else range(len(value)) if isinstance(value, list) else []:
                places.append((value, key))
                walk(value[key])

        walk(config)
        for _ in range(rng.randint(1, 4)):
            parent, key = rng.choice(places)
            if isinstance(parent, dict) and rng.random() < 0.3:
                parent.pop(key, None)
            else:
                try:
                    parent[key] = rng.choice(values)
                except (IndexError, KeyError):  # a place an earlier change removed
                    pass
        save_keras(path, config)
        try:
            read_network(str(path))
        except SpecError as error:  # one line per problem, each naming the file
            assert all("\n" not in str(p) and str(p).startswith(str(path)) for p in error.problems)
