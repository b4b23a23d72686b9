"""EfficientNet-B0 and MNASNet 1.0 (configs/efficientnet_b0.yaml, configs/mnasnet1_0.yaml): their totals are
the exact figures of issue 11's table (torchvision 0.29 at 224×224: params are sum(p.numel()) with batch-norm,
mults fvcore's conv + linear multiply-accumulates), re-derived here from torchvision's layer definitions with
plain arithmetic, and held against each paper's rounded figures."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, config_network, conv, rounds_to

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def inverted_stages(
    cin: int, size: int, stages: list[tuple[int, int, int, int, int]], se: bool
) -> tuple[int, int, int, int]:
    """(params, mults, channels, size) of stacked inverted residuals, rows (expand, kernel, stride, out, n):
    expansion 1×1 (none when expand is 1), depthwise k×k (stride on a row's first block), optional
    squeeze-and-excitation (biased 1×1 convs, squeezed to max(1, block input // 4)), projection 1×1."""
    params = mults = 0
    for expand, k, stride, cout, n in stages:
        for i in range(n):
            mid, out_size = cin * expand, (size + 2 * (k // 2) - k) // (stride if i == 0 else 1) + 1
            parts = [conv(mid, mid, k, out_size, groups=mid), conv(mid, cout, 1, out_size)]
            if expand != 1:
                parts.append(conv(cin, mid, 1, size))
            if se:
                squeeze = max(1, cin // 4)
                parts.append((mid * squeeze + squeeze + squeeze * mid + mid, 2 * mid * squeeze))
            params += sum(p for p, _ in parts)
            mults += sum(m for _, m in parts)
            cin, size = cout, out_size
    return params, mults, cin, size


def test_efficientnet_b0_is_torchvisions_and_rounds_to_the_papers_figures(run: Run) -> None:
    t = config_network(run, "efficientnet_b0.yaml")["totals"]
    # Issue 11's table (torchvision 0.29 efficientnet_b0): 5,288,548 params, 385,814,752 mults.
    assert (t["params"], t["mults"]) == (5_288_548, 385_814_752)
    assert t["standard"] and t["separable"]  # the what-if columns are there
    # By hand, torchvision's efficientnet.py (Table 1 of the paper, rows expand, kernel, stride, out, layers):
    stem = conv(3, 32, 3, 112)
    rows = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3)]
    rows += [(6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]
    p, m, c, size = inverted_stages(32, 112, rows, se=True)
    assert (c, size) == (320, 7)
    head, fc = conv(320, 1280, 1, 7), (1280 * 1000 + 1000, 1280 * 1000)
    assert stem[0] + p + head[0] + fc[0] == 5_288_548
    assert stem[1] + m + head[1] + fc[1] == 385_814_752
    # The paper (Tan and Le, ICML 2019, Table 2): 5.3M params and 0.39B FLOPs (multiply-adds): both round.
    assert rounds_to(t["params"], "5.3", 10**6) and rounds_to(t["mults"], "0.39", 10**9)
    assert (t["params"] - t["batchnorm_params"], t["batchnorm_params"]) == (5_246_532, 42_016)  # regression pin


def test_mnasnet1_0_is_torchvisions_b1_not_the_papers_a1(run: Run) -> None:
    t = config_network(run, "mnasnet1_0.yaml")["totals"]
    # Issue 11's table (torchvision 0.29 mnasnet1_0): 4,383,312 params, 314,415,872 mults.
    assert (t["params"], t["mults"]) == (4_383_312, 314_415_872)
    assert t["standard"] and t["separable"]
    # By hand, torchvision's mnasnet.py: stem conv, depthwise 3×3, pointwise to 16, six stacks, 1×1 to 1280, fc.
    stem = [conv(3, 32, 3, 112), conv(32, 32, 3, 112, groups=32), conv(32, 16, 1, 112)]
    rows = [(3, 3, 2, 24, 3), (3, 5, 2, 40, 3), (6, 5, 2, 80, 3), (6, 3, 1, 96, 2), (6, 5, 2, 192, 4)]
    rows += [(6, 3, 1, 320, 1)]
    p, m, c, size = inverted_stages(16, 112, rows, se=False)
    assert (c, size) == (320, 7)
    head, fc = conv(320, 1280, 1, 7), (1280 * 1000 + 1000, 1280 * 1000)
    assert sum(x[0] for x in stem) + p + head[0] + fc[0] == 4_383_312
    assert sum(x[1] for x in stem) + m + head[1] + fc[1] == 314_415_872
    # The MnasNet paper (Tan et al., CVPR 2019, Table 1) gives 312M multiply-adds and 3.9M params for
    # MnasNet-A1, which has squeeze-and-excitation and other widths and repeats; torchvision's mnasnet1_0 is
    # the B1 variant, without squeeze-and-excitation. Its counts do not round to A1's, with or without
    # batch-norm (4,345,392 params without it).
    assert t["params"] - t["batchnorm_params"] == 4_345_392
    assert not rounds_to(t["mults"], "312", 10**6)
    assert not rounds_to(t["params"], "3.9", 10**6) and not rounds_to(4_345_392, "3.9", 10**6)


def test_efficientnet_b0_reads_like_table_1_in_at_most_60_lines() -> None:
    text = (CONFIGS / "efficientnet_b0.yaml").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 60
    assert [f"stage{i}" in text for i in range(1, 10)] == [True] * 9
