"""Memory and time (dsc_cost.memory, dsc_cost.devices): every number derived by hand in the test, or from
the datasheets the shipped profiles cite."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run

from dsc_cost.devices import DTYPES, Device, DeviceError, inline, parse_profiles, resolve, shipped
from dsc_cost.memory import Settings, network_memory
from dsc_cost.network import NetworkCost
from dsc_cost.spec import cost_specs, load_files, load_text

ROOT = Path(__file__).resolve().parent.parent


def _cost(text: str) -> NetworkCost:
    [result] = cost_specs(load_text(text, "net.yaml"))
    return result


def _device(peak: int, bandwidth: int) -> Device:
    return Device("toy", "toy", "", tuple((dtype, peak) for dtype in DTYPES), bandwidth)


SEED = "name: seed\ninput: [3, 7, 7]\nlayers:\n  - {name: conv, type: conv, out: 128, kernel: 3}\n"
SEED_SEPARABLE = "name: seed\ninput: [3, 7, 7]\nlayers:\n  - {name: block, type: separable, out: 128, kernel: 3}\n"


def test_the_seed_conv_bytes_peak_intensity_and_time() -> None:
    # 3×3 conv, 3 → 128 on 7×7: 3,456 weights, 5×5 output positions, 86,400 mults; fp32: 4 bytes a value
    memory = network_memory(_cost(SEED), device=_device(1_000_000, 100_000))
    [layer] = memory.layers
    assert layer.weight_bytes == 3_456 * 4 == 13_824
    assert layer.input_bytes == 3 * 7 * 7 * 4 == 588
    assert layer.output_bytes == 128 * 5 * 5 * 4 == 12_800
    assert layer.intermediate_bytes == 0
    assert (memory.weight_bytes, memory.activation_bytes) == (13_824, 12_800)
    assert (memory.peak_bytes, memory.peak_layer) == (588 + 12_800, "conv")
    assert memory.roofline is not None
    [time] = memory.roofline.layers
    moved = 13_824 + 588 + 12_800  # 27,212 bytes
    assert time.intensity == Fraction(86_400, moved)
    # 86,400 mults at 1M MACs/s: 86.4 ms; 27,212 bytes at 100 KB/s: 272.12 ms, so memory-bound
    assert (time.compute_seconds, time.memory_seconds) == (Fraction(86_400, 10**6), Fraction(moved, 10**5))
    assert time.seconds == Fraction(27_212, 100_000) and time.bound == "memory"
    # as separable: depthwise 27 weights, 675 mults, 588 + 300 bytes of activations; pointwise 384 weights,
    # 9,600 mults, 300 + 12,800 bytes: each memory-bound, (108 + 888) / 1e5 + (1,536 + 13,100) / 1e5
    assert time.separable_seconds == Fraction(996 + 14_636, 100_000)
    assert time.standard_seconds == time.seconds
    assert memory.roofline.seconds == time.seconds


def test_the_seed_separable_block_counts_its_intermediate_tensor() -> None:
    memory = network_memory(_cost(SEED_SEPARABLE), device=_device(10_000, 1_000_000))
    [layer] = memory.layers
    assert layer.weight_bytes == (27 + 384) * 4
    assert (layer.input_bytes, layer.output_bytes) == (588, 12_800)
    assert layer.intermediate_bytes == 3 * 5 * 5 * 4 == 300  # the depthwise output, written and read back
    assert memory.peak_bytes == 588 + 300 + 12_800
    assert memory.roofline is not None
    [time] = memory.roofline.layers
    # depthwise: 675 mults / 10K MACs/s = 67.5 ms against 996 B / 1 MB/s ≈ 1 ms; pointwise 960 ms against 14.6 ms
    assert time.intensity == Fraction(675 + 9_600, 996 + 14_636)
    assert time.seconds == Fraction(675 + 9_600, 10_000) and time.bound == "compute"
    assert [(kind, bound) for kind, _, bound in time.steps] == [("depthwise", "compute"), ("pointwise", "compute")]
    assert time.standard_seconds == Fraction(86_400, 10_000)  # the full conv, compute-bound: 8.64 s


RESIDUAL = """
name: residual
input: [4, 8, 8]
layers:
  - {name: stem, type: pointwise, out: 8}
  - {name: a, type: conv, out: 8, kernel: 3, padding: 1}
  - {name: b, type: conv, out: 8, kernel: 3, padding: 1}
  - {name: sum, type: add, inputs: [stem, b]}
  - {name: pool, type: pool, global: true}
"""


def test_a_residual_network_keeps_its_branch_alive() -> None:
    memory = network_memory(_cost(RESIDUAL), device=_device(1_000_000, 1_000_000))
    # fp32; the input 4·8·8 = 256 values = 1,024 B; every 8×8×8 map 512 values = 2,048 B; the pool's 8 values 32 B
    rows = [(m.name, m.weight_bytes, m.input_bytes, m.output_bytes, m.live_bytes) for m in memory.layers]
    assert rows == [
        ("stem", 4 * 8 * 4, 1_024, 2_048, 1_024 + 2_048),  # the input and the stem's output
        ("a", 8 * 8 * 9 * 4, 2_048, 2_048, 2_048 + 2_048),  # stem (read by a, kept for sum) and a
        ("b", 2_304, 2_048, 2_048, 2_048 + 2_048 + 2_048),  # stem, a, b
        ("sum", 0, 4_096, 2_048, 2_048 + 2_048 + 2_048),  # stem, b and the sum (a is gone)
        ("pool", 0, 2_048, 32, 2_048 + 32),
    ]
    assert (memory.peak_bytes, memory.peak_layer) == (6_144, "b")  # b is the first to reach it
    assert memory.weight_bytes == 128 + 2 * 2_304
    assert memory.activation_bytes == 4 * 2_048 + 32
    roofline = memory.roofline
    assert roofline is not None
    times = [(t.seconds, t.bound) for t in roofline.layers]
    # 1M MACs/s and 1 MB/s: a mult and a byte take a microsecond each
    assert times == [
        (Fraction(128 + 1_024 + 2_048, 10**6), "memory"),  # 2,048 mults against 3,200 bytes
        (Fraction(8 * 8 * 576, 10**6), "compute"),  # 36,864 mults against 6,400 bytes
        (Fraction(36_864, 10**6), "compute"),
        (Fraction(4_096 + 2_048, 10**6), "memory"),  # no mults
        (Fraction(2_048 + 32, 10**6), "memory"),
    ]
    assert roofline.seconds == Fraction(85_152, 10**6)
    assert roofline.standard_seconds == roofline.seconds
    # as separable, a and b are depthwise (72 weights, 4,608 mults against 288 + 4,096 bytes: compute-bound,
    # 4.608 ms) and pointwise (64 weights, 4,096 mults against 256 + 4,096 bytes: memory-bound, 4.352 ms)
    assert roofline.separable_seconds == Fraction(3_200 + 2 * (4_608 + 4_352) + 6_144 + 2_080, 10**6)
    assert roofline.separable_seconds == Fraction(29_344, 10**6)


SHUFFLE_UNIT = """
name: shuffle-unit
input: [8, 4, 4]
layers:
  - {name: stem, type: pointwise, out: 8}
  - {name: split, type: split, parts: 2}
  - {name: branch, type: pointwise, out: 4, from: split.1}
  - {name: cat, type: concat, inputs: [split.0, branch]}
  - {name: shuffle, type: shuffle, groups: 2}
  - {name: aux, type: pool, global: true, from: stem, train_only: true}
  - {name: aux.fc, type: linear, out: 3, train_only: true}
"""


def test_a_split_is_views_of_its_input_which_stays_alive_and_train_only_layers_are_left_out() -> None:
    memory = network_memory(_cost(SHUFFLE_UNIT), device=_device(1_000_000, 1_000_000))
    # fp32: 8×4×4 = 128 values = 512 B (the input, stem, cat, shuffle); a half 4×4×4 = 64 values = 256 B
    rows = [(m.name, m.weight_bytes, m.input_bytes, m.output_bytes, m.live_bytes) for m in memory.layers]
    assert rows == [
        ("stem", 8 * 8 * 4, 512, 512, 512 + 512),  # the input and stem
        # the split makes no tensor: its halves are views of stem, which stays alive, whole, until cat reads split.0
        ("split", 0, 512, 0, 512),
        ("branch", 4 * 4 * 4, 256, 256, 512 + 256),  # stem (under both halves) and branch
        ("cat", 0, 256 + 256, 512, 512 + 256 + 512),  # stem, branch, cat: the peak
        ("shuffle", 0, 512, 512, 512 + 512),  # cat and shuffle: stem is gone (aux, train-only, keeps nothing)
        # train-only: not run at inference, so nothing alive; its bytes are still given (8 values, 32 B)
        ("aux", 0, 512, 8 * 4, 0),
        ("aux.fc", 8 * 3 * 4, 32, 3 * 4, 0),
    ]
    assert (memory.peak_bytes, memory.peak_layer) == (1_280, "cat")  # had aux kept stem: shuffle, 1,536
    assert memory.weight_bytes == 256 + 64  # aux.fc's 96 B are not the model's at inference
    assert memory.activation_bytes == 512 + 0 + 256 + 512 + 512  # the outputs of the layers run at inference
    roofline = memory.roofline
    assert roofline is not None
    # 1M MACs/s and 1 MB/s: a mult and a byte take a microsecond each
    times = [(t.seconds, t.bound) for t in roofline.layers]
    assert times == [
        (Fraction(256 + 512 + 512, 10**6), "memory"),  # 64 weights at 16 positions: 1,024 mults against 1,280 B
        (Fraction(0), "memory"),  # a split moves nothing and has no mults
        (Fraction(64 + 256 + 256, 10**6), "memory"),  # 16 weights at 16 positions: 256 mults against 576 B
        (Fraction(512 + 512, 10**6), "memory"),
        (Fraction(512 + 512, 10**6), "memory"),
        (Fraction(512 + 32, 10**6), "memory"),
        (Fraction(96 + 32 + 12, 10**6), "memory"),  # 24 mults against 140 B
    ]
    assert roofline.seconds == Fraction(1_280 + 0 + 576 + 1_024 + 1_024, 10**6)  # the train-only two left out
    assert roofline.by_kind["pointwise"] == Fraction(1_280 + 576, 10**6)
    # a split of the network's input, 2 + 6 of 8 channels, its part 0 read by the next layer without naming it and
    # again by name: one tensor, the input (512 B), alive until cat; a part of 2 channels is 2·16 values = 128 B
    text = """
name: split-input
input: [8, 4, 4]
layers:
  - {name: split, type: split, sizes: [2, 6]}
  - {name: left, type: pointwise, out: 2}
  - {name: cat, type: concat, inputs: [split.0, left, split.1]}
"""
    memory = network_memory(_cost(text))
    rows = [(m.name, m.input_bytes, m.output_bytes, m.live_bytes) for m in memory.layers]
    assert rows == [
        ("split", 512, 0, 512),
        ("left", 128, 128, 512 + 128),
        ("cat", 128 + 128 + 384, 640, 512 + 128 + 640),  # 2 + 2 + 6 = 10 channels: 160 values
    ]
    assert (memory.peak_bytes, memory.peak_layer) == (1_280, "cat")


def test_a_layer_value_used_again_has_the_bytes_of_each_of_its_inputs() -> None:
    from dsc_cost.formulas import Shape
    from dsc_cost.network import AddLayer, Network, Node, PointwiseLayer, cost_network

    block = PointwiseLayer(8)  # 8·c weights on c channels
    nodes = (
        Node("a", "pointwise", block),  # 4×4×4 (64 values, 256 B) → 8×4×4 (128 values, 512 B); 32 weights
        Node("b", "pointwise", block),  # 8×4×4 → 8×4×4; 64 weights
        Node("c", "pointwise", block),  # the same again
        Node("sum", "add", AddLayer(), ("a", "c")),
        Node("aux", "pointwise", block, ("c",), train_only=True),  # and again, in training only
    )
    result = cost_network(Network("shared", Shape(4, 4, 4), nodes))
    memory = network_memory(result, device=_device(1_000_000, 1_000_000))
    rows = [(m.name, m.weight_bytes, m.input_bytes, m.output_bytes, m.live_bytes) for m in memory.layers]
    assert rows == [
        ("a", 128, 256, 512, 256 + 512),  # the input and a
        ("b", 256, 512, 512, 512 + 512),  # a (kept for sum) and b
        ("c", 256, 512, 512, 512 + 512 + 512),  # a, b and c (aux, train-only, keeps nothing)
        ("sum", 0, 1_024, 512, 512 + 512 + 512),  # a, c and the sum
        ("aux", 256, 512, 512, 0),
    ]
    assert (memory.peak_bytes, memory.peak_layer) == (1_536, "c")
    roofline = memory.roofline
    assert roofline is not None
    # 1M MACs/s and 1 MB/s: a mult and a byte take a microsecond each. a: 32 weights at 16 positions, 512 mults
    # against 896 B; b, c (and aux): 1,024 mults against 1,280 B; sum: no mults, 1,536 B. All memory-bound.
    assert [t.seconds for t in roofline.layers] == [Fraction(n, 10**6) for n in (896, 1_280, 1_280, 1_536, 1_280)]
    assert roofline.seconds == Fraction(896 + 2 * 1_280 + 1_536, 10**6)  # aux left out
    assert roofline.by_kind["pointwise"] == Fraction(896 + 2 * 1_280, 10**6)
    # rows made without their inputs (``inputs=()``): the same bytes, the inputs worked out from the network
    bare = result._replace(layers=tuple(layer._replace(inputs=()) for layer in result.layers))
    assert network_memory(bare, device=_device(1_000_000, 1_000_000)) == memory


def test_dtypes_scale_bytes_and_pick_the_peak() -> None:
    result = _cost(RESIDUAL)
    int8 = network_memory(result, "int8", "int8")
    assert int8.weight_bytes == (128 + 2 * 2_304) // 4
    assert int8.peak_bytes == 6_144 // 4
    mixed = network_memory(result, "int8", "fp16", Device("d", "d", "", (("fp16", 10), ("int8", 20)), 1))
    assert mixed.weight_bytes == (32 + 2 * 576) and mixed.peak_bytes == 6_144 // 2
    assert mixed.roofline is not None and mixed.roofline.dtype == "fp16"  # int8 weights widened to fp16
    with pytest.raises(DeviceError, match="no peak for fp32"):
        network_memory(result, device=Device("d", "d", "", (("int8", 1),), 1))


def test_a_batch_multiplies_activations_not_weights() -> None:
    [result] = cost_specs(load_text(RESIDUAL, "net.yaml"), batch=4)
    memory = network_memory(result)
    assert memory.weight_bytes == 128 + 2 * 2_304
    assert memory.peak_bytes == 4 * 6_144


def test_mobilenet_v1_depthwise_layers_are_memory_bound_on_every_gpu() -> None:
    [result] = cost_specs(load_files([str(ROOT / "configs/mobilenet_v1.yaml")]))
    depthwise_mults = result.by_kind["depthwise"].mults
    gpus = [device for device in shipped().values() if device.kind == "gpu"]
    assert {device.name for device in gpus} >= {"jetson-orin-nano", "apple-m2", "a100", "h100"}
    for device in gpus:
        roofline = network_memory(result, device=device).roofline
        assert roofline is not None
        steps = [step for layer in roofline.layers for step in layer.steps if step[0] == "depthwise"]
        assert len(steps) == 13 and all(bound == "memory" for _, _, bound in steps), device.name
        time_share = roofline.by_kind["depthwise"] / roofline.seconds
        assert time_share > Fraction(depthwise_mults, result.total.mults), device.name


def test_shipped_profiles_cite_their_sources() -> None:
    devices = shipped()
    assert {"stm32h7", "raspberry-pi-4", "apple-a17-pro", "jetson-orin-nano", "apple-m2", "a100", "h100"} <= set(
        devices
    )
    for device in devices.values():
        assert device.source.startswith("https://"), device.name
        assert "MACs" in device.note or "FMA" in device.note, device.name
    # the vendors' FLOPS halved: A100 FP32 19.5 TFLOPS, FP16 tensor 312 TFLOPS, 2,039 GB/s (datasheet)
    a100 = devices["a100"]
    assert (a100.peak_for("fp32"), a100.peak_for("fp16"), a100.bandwidth) == (
        9_750 * 10**9,
        156 * 10**12,
        2_039 * 10**9,
    )
    # H100 SXM: FP32 67 TFLOPS, FP16 989.4 TFLOPS dense, 3.35 TB/s
    h100 = devices["h100"]
    assert (h100.peak_for("fp32"), h100.peak_for("fp16"), h100.bandwidth) == (
        33_500 * 10**9,
        494_700 * 10**9,
        3_350 * 10**9,
    )
    # Cortex-M7 at 480 MHz: one FMA a cycle
    assert devices["stm32h7"].peak_for("fp32") == 480 * 10**6


def test_inline_and_unknown_devices() -> None:
    device = inline("peak=2T,bandwidth=50G")
    assert device.peak_for("int8") == 2 * 10**12 and device.bandwidth == 50 * 10**9
    assert inline("name=board,peak=1.5G,bandwidth=4GB/s").name == "board"
    with pytest.raises(DeviceError, match="missing bandwidth"):
        inline("peak=2T")
    with pytest.raises(DeviceError, match="expected peak=N,bandwidth=N"):
        inline("speed=2T,bandwidth=1G")
    with pytest.raises(DeviceError, match="unknown device: expected one of stm32h7"):
        resolve("tpu")


def test_a_devices_file_is_read_and_its_problems_located(tmp_path: Path) -> None:
    good = tmp_path / "devices.yaml"
    good.write_text("board:\n  title: My board\n  peak: {fp32: 2G, int8: 8G}\n  bandwidth: 10G\n  source: https://x\n")
    assert resolve("board", [str(good)]).peak_for("int8") == 8 * 10**9
    text = "board:\n  peak: {fp32: fast, fp64: 1G}\n  bandwidth: -1\n  colour: red\n"
    with pytest.raises(DeviceError) as error:
        parse_profiles(text, "d.yaml")
    assert str(error.value).splitlines() == [
        "d.yaml:2:16: board.peak.fp32: expected MACs per second, a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9,"
        " found 'fast'",
        "d.yaml:2:22: board.peak.fp64: unknown dtype: expected one of fp32, fp16, bf16, int8",
        "d.yaml:3:14: board.bandwidth: expected bytes per second, a positive count, found -1",
        "d.yaml:4:3: board.colour: unknown field: expected one of title, kind, peak, bandwidth, source, note,"
        " calibration",
    ]


def test_network_json_has_memory_always_and_roofline_with_a_device(run: Run) -> None:
    code, out, _ = run("network", "configs/seeds.yaml", "--format", "json", "--device", "peak=1M,bandwidth=100K")
    assert code == 0
    [first, *_] = json.loads(out)["networks"]
    # the seed conv above: 27,212 bytes at 100 KB/s; as separable 15,632 bytes
    assert first["layers"][0]["roofline"] == {
        "intensity": 86_400 / 27_212,
        "seconds": 0.27212,
        "bound": "memory",
        "standard_seconds": 0.27212,
        "separable_seconds": 0.15632,
    }
    assert first["totals"]["roofline"] == {
        "device": "peak=1M,bandwidth=100K",
        "dtype": "fp32",
        "seconds": 0.27212,
        "standard_seconds": 0.27212,
        "separable_seconds": 0.15632,
        "peak_macs_per_second": 1_000_000,
        "bandwidth_bytes_per_second": 100_000,
    }


def test_compare_with_a_device_shows_time_beside_mults(run: Run) -> None:
    code, out, _ = run("compare", "-c", "3", "-o", "128", "--size", "7", "--device", "peak=1M,bandwidth=100K")
    assert code == 0
    assert "time" in out and "272.1 ms" in out and "156.3 ms" in out
    assert "0.5745" in out  # 15,632 / 27,212, beside the mults ratio 10,275 / 86,400 = 0.1189
    code, out, _ = run(
        "compare", "-c", "3", "-o", "128", "--size", "7", "--device", "peak=1M,bandwidth=100K", "-f", "json"
    )
    document = json.loads(out)
    assert document["roofline"]["ratio"] == 15_632 / 27_212
    assert document["memory"]["depthwise"] == {"weight_bytes": 108, "input_bytes": 588, "output_bytes": 300}


def test_devices_lists_the_profiles(run: Run) -> None:
    code, out, _ = run("devices", "--format", "json")
    assert code == 0
    names = [d["name"] for d in json.loads(out)["devices"]]
    assert names[:2] == ["stm32h7", "raspberry-pi-4"] and "h100" in names


def test_a_bad_device_is_a_usage_error(run: Run) -> None:
    code, _, err = run("network", "configs/seeds.yaml", "--device", "tpu")
    assert code == 2 and "unknown device" in err and "Traceback" not in err
    code, _, err = run("network", "configs/seeds.yaml", "--device", "apple-a17-pro")
    assert code == 2 and "no peak for fp32" in err


def test_settings_default_to_fp32_without_a_device() -> None:
    assert Settings() == Settings("fp32", "fp32", None, False)


# torchinfo 1.8.0's summary of torchvision's models on 1×3×224×224 (regression pins of its own output, which
# tests/test_against_torch.py checks against torchinfo itself)
TORCHINFO_LINES = {
    "mobilenet_v2.yaml": [
        "Input size (MB): 0.60",
        "Forward/backward pass size (MB): 106.86",
        "Params size (MB): 14.02",
        "Estimated Total Size (MB): 121.48",
    ],
    "resnet18.yaml": [
        "Input size (MB): 0.60",
        "Forward/backward pass size (MB): 39.75",
        "Params size (MB): 46.76",
        "Estimated Total Size (MB): 87.11",
    ],
}


@pytest.mark.parametrize("config", sorted(TORCHINFO_LINES))
def test_torchinfo_memory_lines_are_pinned(config: str, run: Run) -> None:
    from dsc_cost.conventions import torchinfo_memory

    [result] = cost_specs(load_files([str(ROOT / "configs" / config)]))
    memory = torchinfo_memory(result)
    assert memory.lines() == TORCHINFO_LINES[config]
    # the input: 3·224·224 fp32 values and the 64 bytes torchinfo's sys.getsizeof adds for the storage object;
    # the params: every one × 4 bytes (3,504,872 and 11,689,512 params)
    assert memory.input_bytes == 3 * 224 * 224 * 4 + 64
    assert memory.params_bytes == 4 * result.total.params
    code, out, _ = run("network", f"configs/{config}", "--as", "torchinfo")
    assert code == 0 and all(line in out for line in TORCHINFO_LINES[config])


def test_torchinfo_memory_counts_each_leaf_with_params_twice() -> None:
    # the seed conv with batch-norm as PyTorch builds it: Conv2d and BatchNorm2d, each output 3,200 values,
    # counted × 2 (torchinfo's "for gradients") × 4 bytes; a ReLU has no params: not counted
    from dsc_cost.conventions import torchinfo_memory

    text = "input: [3, 7, 7]\nlayers:\n  - {type: conv, out: 128, kernel: 3, batchnorm: true}\n  - {type: activation, fn: relu}\n"
    memory = torchinfo_memory(_cost(text))
    assert memory.forward_backward_bytes == 2 * (3_200 + 3_200) * 4
    assert memory.params_bytes == (3_456 + 256) * 4


def test_check_budgets_on_bytes_peak_and_latency(tmp_path: Path, run: Run) -> None:
    # the residual network above: 4,736 weight bytes, a 6,144-byte peak; 85.152 ms at 1M MACs/s and 1 MB/s
    spec = tmp_path / "net.yaml"
    spec.write_text(RESIDUAL + "budget: {max_weight_bytes: 4736, max_peak_memory: 6K, max_latency: 85ms}\n")
    code, out, _ = run("check", str(spec), "--device", "peak=1M,bandwidth=1M", "--format", "json")
    limits = json.loads(out)["networks"][0]["limits"]
    assert code == 1
    assert limits["max_weight_bytes"]["value"] == 4_736 and limits["max_weight_bytes"]["ok"]
    assert limits["max_peak_memory"]["value"] == 6_144 and not limits["max_peak_memory"]["ok"]  # 6K = 6,000
    assert limits["max_latency"]["value"] == 0.085152 and not limits["max_latency"]["ok"]
    code, out, _ = run("check", str(spec), "--device", "peak=1M,bandwidth=1M", "--max-peak-memory", "6KiB",
                       "--max-latency", "86ms")  # fmt: skip
    assert code == 0, out
    code, out, _ = run("check", str(spec), "--max-peak-memory", "6KiB", "--max-latency", "86ms", "--dtype", "int8")
    assert code == 2  # a latency limit needs a device
    code, _, err = run("check", str(spec), "--max-peak-memory", "6X")
    assert code == 2 and "expected a size in bytes such as 512K, 2MiB" in err


def test_sweep_filters_and_sorts_on_memory_and_latency(run: Run) -> None:
    code, out, _ = run("sweep", "configs/mobilenet_v1.yaml", "-w", "1,0.5", "-r", "224,128", "--sort", "peak_memory",
                       "--format", "json")  # fmt: skip
    assert code == 0
    peaks = [v["memory"]["peak_bytes"] for v in json.loads(out)["variants"]]
    assert peaks == sorted(peaks) and len(peaks) == 4
    # MobileNet V1 at width 1, 224: block1's step holds its 32×112×112 input, its 32×112×112 depthwise output
    # and its 64×112×112 output, 128·112·112 fp32 values
    assert max(peaks) == 128 * 112 * 112 * 4
    code, out, _ = run("sweep", "configs/mobilenet_v1.yaml", "-w", "1,0.5", "-r", "224,128", "--max-peak-memory",
                       "2MiB", "--format", "json")  # fmt: skip
    kept = json.loads(out)["variants"]
    assert kept and all(v["memory"]["peak_bytes"] <= 2 * 1024 * 1024 for v in kept) and len(kept) < 4
    code, _, err = run("sweep", "configs/mobilenet_v1.yaml", "--max-latency", "3ms")
    assert code == 2 and "--device" in err
    code, out, _ = run("sweep", "configs/mobilenet_v1.yaml", "-r", "224", "-w", "1", "--device", "a100", "-f", "json")
    assert json.loads(out)["variants"][0]["roofline"]["device"] == "a100"


def test_memory_columns_only_when_asked(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "net.yaml"
    spec.write_text(RESIDUAL)
    _, plain, _ = run("network", str(spec))
    assert "peak" not in plain and "weights" not in plain
    _, table, _ = run("network", str(spec), "--memory", "--exact")
    assert "6,144 B ◀ peak" in table and "peak activation memory, at b" in table
    _, csv, _ = run("network", str(spec), "--memory", "--device", "peak=1M,bandwidth=1M", "--format", "csv")
    header, stem, *_ = csv.splitlines()
    assert header.endswith("weight_bytes,input_bytes,output_bytes,intermediate_bytes,live_bytes,intensity,seconds,"
                           "bound,standard_seconds,separable_seconds")  # fmt: skip
    assert stem.endswith("128,1024,2048,0,3072,0.64,0.0032,memory,0.0032,0.0032")  # 2,048 mults / 3,200 bytes
    _, markdown, _ = run("network", str(spec), "--device", "peak=1M,bandwidth=1M", "--format", "markdown")
    assert "| time on peak=1M,bandwidth=1M |" in markdown and "| 85.15 ms |" in markdown
