"""`dsc-cost check`: numbers as people write them, limits from budgets and flags, baselines, the three
report formats, exit codes, the atomic baseline update, and the pre-commit hook and CI snippets."""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import stat
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from conftest import Run

from dsc_cost import check, files, units
from dsc_cost.check import (
    Baseline,
    BaselineCheck,
    BaselineError,
    LimitCheck,
    Limits,
    MissingCheck,
    Report,
    Where,
    evaluate,
    parse_budget,
    parse_limit,
)
from dsc_cost.cli import command, main, parse
from dsc_cost.formulas import Cost
from dsc_cost.report import check_output, to_text
from dsc_cost.report.checks import phrase
from dsc_cost.units import NumberError, parse_count, parse_fraction, parse_percent

ROOT = Path(__file__).resolve().parent.parent
MOBILENET = "configs/mobilenet_v1.yaml"  # budget: {max_params: 4.5M, max_mults: 600M}
MOBILENET_PARAMS = 4_210_088  # `dsc-cost network configs/mobilenet_v1.yaml`: 4.21M params
MOBILENET_MULTS = 568_740_352  # 568.7M mults

# One separable block, 3 → 128 channels, 3×3, on 7×7 (the first worked example):
#   params 27 + 384 = 411; mults 675 + 9,600 = 10,275; FLOPs 20,550;
#   as standard 128 · 3 · 3 · 3 · 5 · 5 = 86,400 mults, so it saves 1 − 10,275/86,400 = 76,125/86,400 ≈ 88.11%.
TINY = """\
name: tiny
input: [3, 7, 7]
budget: {max_params: 500, max_mults: 20K}
layers:
  - {name: block, type: separable, out: 128, kernel: 3}
"""
TINY_SAVINGS = Fraction(76_125, 86_400)


def text(report: Report, width: int = 200) -> str:
    """The text report as plain text, ``width`` columns wide."""
    return to_text(check_output(report, "text"), width)


@pytest.fixture
def tiny(tmp_path: Path) -> str:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return str(path)


# ---------------------------------------------------------------- numbers as people write them


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("600M", 600_000_000),
        ("4.5m", 4_500_000),  # 4.5 · 1000², exactly (no binary float on the way)
        ("1.2G", 1_200_000_000),
        ("750_000", 750_000),
        ("1.2e9", 1_200_000_000),
        ("1.2E+9", 1_200_000_000),
        ("12e-1", None),  # 1.2: not whole (below)
        ("1k", 1_000),
        ("1K", 1_000),
        ("2m", 2_000_000),
        ("2M", 2_000_000),
        ("3g", 3_000_000_000),
        ("3G", 3_000_000_000),
        ("4t", 4_000_000_000_000),
        ("4T", 4_000_000_000_000),
        ("0.5K", 500),
        ("1_000.5K", 1_000_500),
        ("  600M ", 600_000_000),
        ("1200000000.0", 1_200_000_000),  # what PyYAML's float 1.2e+9 prints as
        ("1e+16", 10**16),
        ("4.999999999999999999999M", None),  # one digit too many to be whole
    ],
)
def test_parse_count(text: str, value: int | None) -> None:
    if value is None:
        with pytest.raises(NumberError, match="expected a whole count"):
            parse_count(text)
    else:
        assert parse_count(text) == value
        assert isinstance(parse_count(text), int)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6OOM", "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found '6OOM'"),
        ("-1", "expected a positive count, found '-1'"),
        ("0", "expected a positive count, found '0'"),
        ("0.0M", "expected a positive count, found '0.0M'"),
        ("1e3M", "expected scientific notation or a K, M, G, T suffix, not both (1.2e9 or 1.2G), found '1e3M'"),
        ("4.5", "expected a whole count, found '4.5'"),
        ("1.2345K", "expected a whole count, found '1.2345K' (= 1234.5)"),
        ("1.5e-7", "expected a whole count, found '1.5e-7' (= 0.00000015)"),
        ("", "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found ''"),
        ("M", "found 'M'"),
        ("600 M", "found '600 M'"),
        ("600MB", "found '600MB'"),
        ("1__000", "found '1__000'"),
        ("_1000", "found '_1000'"),
        ("1000_", "found '1000_'"),
        ("1.", "found '1.'"),
        (".5M", "found '.5M'"),
        ("+5", "found '+5'"),
        ("1e", "found '1e'"),
        ("1e1000", "found '1e1000'"),  # exponents have at most 3 digits
        ("inf", "found 'inf'"),
        ("nan", "found 'nan'"),
        ("1" * 65, "expected a count such as"),  # longer than anyone means
    ],
)
def test_error_parse_count(text: str, message: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_count(text)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)
    assert info.value.found == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.8", Fraction(4, 5)),
        ("80%", Fraction(4, 5)),
        ("82.5%", Fraction(33, 40)),
        ("0", Fraction(0)),
        ("0%", Fraction(0)),
        ("0.999", Fraction(999, 1000)),
    ],
)
def test_parse_fraction(text: str, value: Fraction) -> None:
    assert parse_fraction(text) == value


@pytest.mark.parametrize("text", ["1", "100%", "1.5", "-0.1", "-10%", "abc", "0.8%%", "80 %", "", "1e-1"])
def test_error_parse_fraction(text: str) -> None:
    with pytest.raises(
        NumberError, match=re.escape(f"expected a fraction from 0 to below 1, such as 0.8 or 80%, found {text!r}")
    ):
        parse_fraction(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", Fraction(1, 50)),
        ("2%", Fraction(1, 50)),
        ("0.5%", Fraction(1, 200)),
        ("0", Fraction(0)),
        ("150", Fraction(3, 2)),
    ],
)
def test_parse_percent(text: str, value: Fraction) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["-1", "x", "2%%", "", "1e2"])
def test_error_parse_percent(text: str) -> None:
    with pytest.raises(
        NumberError, match=re.escape(f"expected a percentage of 0 or more, such as 2 or 0.5%, found {text!r}")
    ):
        parse_percent(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(4, 5), "80%"),
        (Fraction(33, 40), "82.5%"),
        (Fraction(1, 3), "33.33%"),
        (Fraction(1, 200), "0.5%"),
        (Fraction(1, 200_000), "0%"),
        (Fraction(-1, 50), "-2%"),
        (Fraction(1, 8), "12.5%"),
        (Fraction(1, 1600), "0.06%"),  # 0.0625 rounds half up
    ],
)
def test_percent_of(value: Fraction, text: str) -> None:
    assert units.percent_of(value) == text


# ---------------------------------------------------------------- budget values as YAML and JSON deliver them


def test_budget_values_of_every_yaml_type() -> None:
    raw = yaml.safe_load(
        "max_params: 750_000\n"  # YAML 1.1 reads this as the int 750000
        "max_mults: 1.2e9\n"  # a string: YAML 1.1 floats need a dot and a signed exponent
        "max_flops: 1.2e+9\n"  # the float 1200000000.0
        "min_savings: 0.8\n"  # the float 0.8, read back as exactly 4/5
    )
    assert raw == {"max_params": 750_000, "max_mults": "1.2e9", "max_flops": 1.2e9, "min_savings": 0.8}
    limits, problems = parse_budget(raw)
    assert problems == []
    assert limits == Limits(
        max_params=750_000, max_mults=1_200_000_000, max_flops=1_200_000_000, min_savings_vs_standard=Fraction(4, 5)
    )


def test_budget_values_from_json() -> None:
    raw = json.loads('{"max_params": 4500000, "max_mults": 6e8, "max_flops": "1.2G", "min_savings": "80%"}')
    limits, problems = parse_budget(raw)
    assert problems == []
    assert limits == Limits(4_500_000, 600_000_000, 1_200_000_000, Fraction(4, 5))


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("max_params", 4.5, "expected a whole count, found 4.5"),
        ("max_params", -1, "expected a positive count, found -1"),
        ("max_params", 0, "expected a positive count, found 0"),
        ("max_mults", "6OOM", "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found '6OOM'"),
        (
            "max_mults",
            "1e3M",
            "expected scientific notation or a K, M, G, T suffix, not both (1.2e9 or 1.2G), found '1e3M'",
        ),
        ("max_mults", True, "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found true"),
        ("max_flops", None, "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found nothing (null)"),
        ("max_flops", [1], "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found [1]"),
        ("max_flops", float("inf"), "found inf"),
        ("min_savings", 1, "expected a fraction from 0 to below 1, such as 0.8 or 80%, found 1"),
        ("min_savings", 80, "expected a fraction from 0 to below 1, such as 0.8 or 80%, found 80"),
        ("min_savings", "-0.1", "found '-0.1'"),
    ],
)
def test_error_budget_value(key: str, raw: object, message: str) -> None:
    limits, problems = parse_budget({key: raw})
    assert limits == Limits()
    [(found_key, found_message)] = problems
    assert found_key == key
    assert message in found_message


def test_error_budget_unknown_keys() -> None:
    limits, problems = parse_budget({"max_macs": "1M", "max_mults": "600M", 5: 1})
    assert limits == Limits(max_mults=600_000_000)
    unknown = "unknown key: expected one of max_params, max_mults, max_flops, min_savings_vs_standard, max_weight_bytes, max_peak_memory, max_latency"
    assert problems == [("max_macs", unknown), (5, unknown)]


def test_parse_limit_is_exact() -> None:
    assert parse_limit("max_params", "4.5M") == 4_500_000
    assert parse_limit("min_savings", 0.1) == Fraction(1, 10)  # not 0.1000000000000000055511151231257827


# ---------------------------------------------------------------- checks, by hand

W = Where("net", "net.yaml")


@pytest.mark.parametrize(
    ("check_", "ok", "margin"),
    [
        (LimitCheck(W, "max_mults", 568_740_352, 600_000_000), True, Fraction(31_259_648, 600_000_000)),  # 5.2% left
        (LimitCheck(W, "max_mults", 568_740_352, 500_000_000), False, Fraction(-68_740_352, 500_000_000)),  # 13.7% over
        (LimitCheck(W, "max_params", 411, 411), True, Fraction(0)),  # at the limit passes
        (LimitCheck(W, "max_params", 412, 411), False, Fraction(-1, 411)),
        (LimitCheck(W, "max_flops", 20_550, 20_000), False, Fraction(-550, 20_000)),
        (LimitCheck(W, "min_savings_vs_standard", TINY_SAVINGS, Fraction(4, 5)), True, TINY_SAVINGS - Fraction(4, 5)),
        (
            LimitCheck(W, "min_savings_vs_standard", TINY_SAVINGS, Fraction(9, 10)),
            False,
            TINY_SAVINGS - Fraction(9, 10),
        ),
        (LimitCheck(W, "min_savings_vs_standard", Fraction(4, 5), Fraction(4, 5)), True, Fraction(0)),
    ],
)
def test_limit_check(check_: LimitCheck, ok: bool, margin: Fraction) -> None:
    assert check_.ok is ok
    assert check_.margin == margin


@pytest.mark.parametrize(
    ("before", "after", "tolerance", "ok", "delta", "growth"),
    [
        (1_000, 1_000, Fraction(0), True, 0, Fraction(0)),  # unchanged
        (1_000, 900, Fraction(0), True, -100, Fraction(-1, 10)),  # an improvement
        (1_000, 1_001, Fraction(0), False, 1, Fraction(1, 1000)),  # any growth fails at tolerance 0
        (1_000, 1_020, Fraction(2, 100), True, 20, Fraction(2, 100)),  # growth equal to the tolerance passes
        (1_000, 1_021, Fraction(2, 100), False, 21, Fraction(21, 1000)),  # beyond it fails
        (0, 5, Fraction(1), False, 5, None),  # from nothing: no percentage grows it
        (0, 0, Fraction(0), True, 0, None),
    ],
)
def test_baseline_check(
    before: int, after: int, tolerance: Fraction, ok: bool, delta: int, growth: Fraction | None
) -> None:
    check_ = BaselineCheck(W, "params", before, after, tolerance)
    assert (check_.ok, check_.delta, check_.growth) == (ok, delta, growth)


@pytest.mark.parametrize(
    ("check_", "text"),
    [
        (LimitCheck(W, "max_mults", 568_740_352, 600_000_000), "mults 568.7M / 600M (5.2% headroom)"),
        (LimitCheck(W, "max_mults", 568_740_352, 500_000_000), "mults 568.7M / 500M (13.7% over)"),
        (LimitCheck(W, "max_params", 411, 400), "params 411 / 400 (2.8% over)"),  # 11/400 = 2.75%, half up
        (LimitCheck(W, "max_params", 411, 411), "params 411 / 411 (at the limit)"),
        (LimitCheck(W, "max_flops", 20_550, 20_000), "FLOPs 20.55K / 20K (2.8% over)"),
        # 10,275 and 10,276 both read 10.28K: shown in full, and the margin 1/10,276 is below 0.1%
        (LimitCheck(W, "max_mults", 10_275, 10_276), "mults 10,275 / 10,276 (<0.1% headroom)"),
        # a limit whose short form is not the limit itself is shown in full
        (LimitCheck(W, "max_mults", 10_275, 10_001), "mults 10,275 / 10,001 (2.7% over)"),  # 274/10,001 = 2.74%
        (
            LimitCheck(W, "min_savings_vs_standard", TINY_SAVINGS, Fraction(9, 10)),
            "savings vs standard 88.11% / min 90% (1.9 points short)",
        ),
        (
            LimitCheck(W, "min_savings_vs_standard", TINY_SAVINGS, Fraction(4, 5)),
            "savings vs standard 88.11% / min 80% (8.1 points headroom)",
        ),
        (
            BaselineCheck(W, "params", 4_209_088, 4_210_088),
            "params grew 4,209,088 → 4,210,088 (+1,000, +0.02%; tolerance 0%)",
        ),
        (BaselineCheck(W, "mults", 1_000, 990, Fraction(1, 50)), "mults fell 1,000 → 990 (-10, -1%)"),
        (
            BaselineCheck(W, "mults", 10**9, 10**9 + 1),
            "mults grew 1,000,000,000 → 1,000,000,001 (+1, +<0.01%; tolerance 0%)",
        ),
        (BaselineCheck(W, "mults", 0, 5), "mults grew 0 → 5 (+5, from 0; tolerance 0%)"),
        (BaselineCheck(W, "mults", 768, 768), "mults unchanged at 768"),
        (MissingCheck(W, "costs.json"), "not in the baseline costs.json (add it with --update-baseline)"),
    ],
)
def test_phrase(check_: check.Check, text: str) -> None:
    assert phrase(check_) == text


def _targets(text: str, file: str = "net.yaml") -> list[check.Target]:
    from dsc_cost.spec import cost_specs, load_text

    specs = load_text(text, file)
    return [check.Target(s, c, parse_budget(s.budget)[0]) for s, c in zip(specs, cost_specs(specs), strict=True)]


def test_evaluate_limits_from_the_file() -> None:
    report = evaluate(_targets(TINY))
    assert report.checks == (
        LimitCheck(Where("tiny", "net.yaml", 0, ("budget", "max_params")), "max_params", 411, 500),
        LimitCheck(Where("tiny", "net.yaml", 0, ("budget", "max_mults")), "max_mults", 10_275, 20_000),
    )
    assert report.exit_code == 0


def test_evaluate_flag_overrides_the_file_for_every_network() -> None:
    two = TINY + "---\nname: other\ninput: [3, 7, 7]\nlayers: [{type: conv, out: 128, kernel: 3}]\n"
    report = evaluate(_targets(two), Limits(max_mults=10_000, min_savings_vs_standard=Fraction(1, 2)))
    assert [
        (c.where.network, c.key, c.value, c.limit, c.source) for c in report.checks if isinstance(c, LimitCheck)
    ] == [
        ("tiny", "max_params", 411, 500, "budget"),
        ("tiny", "max_mults", 10_275, 10_000, "--max-mults"),  # the file's 20K is overridden
        ("tiny", "min_savings_vs_standard", TINY_SAVINGS, Fraction(1, 2), "--min-savings-vs-standard"),
        ("other", "max_mults", 86_400, 10_000, "--max-mults"),  # a network without a budget gets the flag too
        ("other", "min_savings_vs_standard", 0, Fraction(1, 2), "--min-savings-vs-standard"),  # saves nothing
    ]
    # a flag's limit points at the value it overrides, else the budget block, else the network's first line
    assert [c.where.path for c in report.checks] == [
        ("budget", "max_params"),
        ("budget", "max_mults"),
        ("budget",),
        (),
        (),
    ]
    assert [c.ok for c in report.checks] == [True, False, True, False, False]
    assert report.exit_code == 1


def test_evaluate_network_without_limits_is_listed_not_failed() -> None:
    report = evaluate(_targets("name: bare\ninput: [3, 7, 7]\nlayers: [{type: conv, out: 4, kernel: 3}]\n"))
    assert report.checks == ()
    assert report.unchecked() == [Where("bare", "net.yaml")]
    assert report.exit_code == 0
    assert text(report) == (
        "skip  bare  no limits: no budget: block, no --max-params, --max-mults, --max-flops, "
        "--min-savings-vs-standard, --max-weight-bytes, --max-peak-memory or --max-latency\n"
        "\n"
        "ok: 1 network, 0 checks: 0 passed, 1 network without limits\n"
    )


def test_evaluate_against_a_baseline() -> None:
    two = TINY + "---\nname: new\ninput: [3, 7, 7]\nlayers: [{type: conv, out: 128, kernel: 3}]\n"
    baseline = Baseline("costs.json", {"tiny": Cost(400, 10_300)})
    report = evaluate(_targets(two), Limits(), baseline, Fraction(0))
    baseline_checks = [c for c in report.checks if not isinstance(c, LimitCheck)]
    assert baseline_checks == [
        BaselineCheck(Where("tiny", "net.yaml"), "params", 400, 411),  # grew by 11: fails
        BaselineCheck(Where("tiny", "net.yaml"), "mults", 10_300, 10_275),  # fell by 25: passes
        MissingCheck(Where("new", "net.yaml", 1), "costs.json"),  # not silently passed
    ]
    assert [report.failed(c) for c in baseline_checks] == [True, False, True]
    # updating the baseline accepts growth and new networks
    updating = evaluate(_targets(two), Limits(), baseline, Fraction(0), "costs.json", update=True)
    assert updating.failures == []
    assert updating.writes_baseline


def test_evaluate_refuses_two_networks_of_one_name_against_a_baseline() -> None:
    targets = _targets(TINY + "---\n" + TINY)
    assert evaluate(targets).exit_code == 0  # without a baseline, names need not be unique
    with pytest.raises(check.CheckError, match=re.escape("two networks are named 'tiny' (twice in net.yaml)")):
        evaluate(targets, baseline_file="costs.json")


# ---------------------------------------------------------------- baselines: reading and writing


def test_baseline_from_network_json() -> None:
    document = {"networks": [{"name": "a", "batch": 1, "totals": {"params": 1, "mults": 2, "standard": {}}}]}
    assert check.baseline_from(document, "b.json") == Baseline("b.json", {"a": Cost(1, 2)})


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        ([], "found no list of networks"),
        ({"networks": {}}, "found no list of networks"),
        ({"networks": [5]}, "but networks[0] has no name"),
        ({"networks": [{"name": "a"}]}, "but networks[0] (a) has no whole totals.params and totals.mults"),
        ({"networks": [{"name": "a", "totals": {"params": 1.5, "mults": 2}}]},
         "but networks[0] (a) has no whole totals.params and totals.mults"),
        ({"networks": [{"name": "a", "totals": {"params": True, "mults": -2}}]},
         "but networks[0] (a) has no whole totals.params and totals.mults"),
        ({"networks": [{"name": "a", "batch": 8, "totals": {"params": 1, "mults": 2}}]},
         "but networks[0] (a) was costed with batch 8: write it without --batch"),
        ({"networks": [{"name": "a", "totals": {"params": 1, "mults": 2}}] * 2},
         "but networks[1] (a): the name appears twice, and networks are matched by name"),
    ],
)  # fmt: skip
def test_error_baseline_document(document: object, detail: str) -> None:
    with pytest.raises(BaselineError) as info:
        check.baseline_from(document, "b.json")
    assert str(info.value) == (
        f"b.json: not a baseline: expected what 'dsc-cost network FILE... --format json' prints, {detail}"
    )


def test_read_baseline_errors(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.json")
    with pytest.raises(
        BaselineError, match=re.escape("none.json: no such baseline file (write one with --update-baseline)")
    ):
        check.read_baseline(missing)
    assert check.read_baseline(missing, missing_ok=True) is None
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(BaselineError, match=re.escape("bad.json: not a baseline: not valid JSON")):
        check.read_baseline(str(bad))
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(BaselineError, match=re.escape("bad.json: not a baseline: not valid JSON")):
        check.read_baseline(str(bad))
    with pytest.raises(BaselineError, match="cannot read the baseline"):
        check.read_baseline(str(tmp_path))  # a folder


def test_write_atomically_creates_replaces_and_keeps_mode_and_links(tmp_path: Path) -> None:
    path = tmp_path / "costs.json"
    check.write_atomically(str(path), "one\n")
    assert path.read_text() == "one\n"
    path.chmod(0o640)
    check.write_atomically(str(path), "two\n")
    assert path.read_text() == "two\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    link = tmp_path / "link.json"
    link.symlink_to(path)
    check.write_atomically(str(link), "three\n")
    assert link.is_symlink() and path.read_text() == "three\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["costs.json", "link.json"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_write_atomically_leaves_the_file_untouched_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException | type[BaseException]
) -> None:
    path = tmp_path / "costs.json"
    path.write_text("old\n")

    def fail(*args: object) -> None:
        raise failure

    monkeypatch.setattr(files.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt if failure is KeyboardInterrupt else BaselineError):
        check.write_atomically(str(path), "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["costs.json"]  # no temporary file left behind


def test_write_atomically_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(
        BaselineError, match=re.escape("nowhere/costs.json: cannot write the baseline: No such file or directory")
    ):
        check.write_atomically(str(tmp_path / "nowhere" / "costs.json"), "x")


def test_baseline_fixture_is_the_earlier_mobilenet() -> None:
    # tests/data/baseline.json is `dsc-cost network tests/data/mobilenet_v1_earlier.yaml --format json`:
    # MobileNet V1 before its classifier had a bias, 1,000 params fewer than configs/mobilenet_v1.yaml
    [target] = check.load(["tests/data/mobilenet_v1_earlier.yaml"])
    baseline = check.read_baseline("tests/data/baseline.json")
    assert baseline is not None
    assert baseline.networks == {"MobileNet V1 1.0-224": Cost(MOBILENET_PARAMS - 1_000, MOBILENET_MULTS)}
    assert baseline.networks == {target.name: target.cost.total}


# ---------------------------------------------------------------- the command line: the acceptance


def test_mobilenet_within_600m_exits_0(run: Run) -> None:
    code, out, err = run("check", MOBILENET, "--max-mults", "600M")
    assert (code, err) == (0, "")
    # (4,500,000 − 4,210,088) / 4,500,000 = 6.44%; (600,000,000 − 568,740,352) / 600,000,000 = 5.21%
    assert out == (
        "ok  MobileNet V1 1.0-224  params 4.21M / 4.5M (6.4% headroom)\n"
        "ok  MobileNet V1 1.0-224  mults 568.7M / 600M (5.2% headroom)\n"
        "\n"
        "ok: 1 network, 2 checks: 2 passed\n"
    )


def test_mobilenet_over_500m_exits_1(run: Run) -> None:
    code, out, err = run("check", MOBILENET, "--max-mults", "500M")
    assert (code, err) == (1, "")
    # (568,740,352 − 500,000,000) / 500,000,000 = 13.75% → 13.7% (13.748…)
    assert out == (
        "FAIL  MobileNet V1 1.0-224  mults 568.7M / 500M (13.7% over)\n"
        "ok    MobileNet V1 1.0-224  params 4.21M / 4.5M (6.4% headroom)\n"
        "\n"
        "FAIL: 1 network, 2 checks: 1 passed, 1 failed\n"
    )


@pytest.mark.parametrize(
    ("flag", "within", "over", "line_within", "line_over"),
    [
        ("--max-params", "500", "400", "params 411 / 500 (17.8% headroom)", "params 411 / 400 (2.8% over)"),
        ("--max-mults", "20K", "10K", "mults 10.28K / 20K (48.6% headroom)", "mults 10.28K / 10K (2.8% over)"),
        ("--max-flops", "1e5", "20k", "FLOPs 20.55K / 100K (79.5% headroom)", "FLOPs 20.55K / 20K (2.8% over)"),
        ("--min-savings", "0.8", "90%", "savings vs standard 88.11% / min 80% (8.1 points headroom)",
         "savings vs standard 88.11% / min 90% (1.9 points short)"),
    ],
)  # fmt: skip
def test_within_and_over_each_limit(
    run: Run,
    tmp_path: Path,
    flag: str,
    within: str,
    over: str,
    line_within: str,
    line_over: str,
) -> None:
    # TINY's block: 411 params, 10,275 mults, 20,550 FLOPs, saves 88.11% (see TINY); no budget here
    path = tmp_path / "net.yaml"
    path.write_text(TINY.replace("budget: {max_params: 500, max_mults: 20K}\n", ""))
    code, out, _ = run("check", str(path), flag, within)
    assert (code, out) == (0, f"ok  tiny  {line_within}\n\nok: 1 network, 1 check: 1 passed\n")
    code, out, _ = run("check", str(path), flag, over)
    assert (code, out) == (1, f"FAIL  tiny  {line_over}\n\nFAIL: 1 network, 1 check: 0 passed, 1 failed\n")


def test_flag_overrides_the_file_both_ways(run: Run, tiny: str) -> None:
    code, out, _ = run("check", tiny, "--max-mults", "10K")  # stricter than the file's 20K
    assert code == 1 and "FAIL  tiny  mults 10.28K / 10K (2.8% over)\n" in out
    tight = Path(tiny).read_text().replace("max_mults: 20K", "max_mults: 10K")
    Path(tiny).write_text(tight)
    assert run("check", tiny)[0] == 1
    code, out, _ = run("check", tiny, "--max-mults", "1M")  # looser than the file's 10K
    assert code == 0 and "ok  tiny  mults 10.28K / 1M (99.0% headroom)\n" in out


USAGE = "Usage: dsc-cost check [OPTIONS] FILE...\nTry 'dsc-cost check --help' for help.\n\nError: "


@pytest.mark.parametrize("flag", ["--max-params", "--max-mults", "--max-flops"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("6OOM", "expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found '6OOM'"),
        ("-1", "expected a positive count, found '-1'"),
        ("1e3M", "expected scientific notation or a K, M, G, T suffix, not both (1.2e9 or 1.2G), found '1e3M'"),
        ("4.5", "expected a whole count, found '4.5'"),
        ("0", "expected a positive count, found '0'"),
    ],
)
def test_error_malformed_limit_flag(run: Run, flag: str, value: str, message: str) -> None:
    code, out, err = run("check", MOBILENET, f"{flag}={value}")
    assert (code, out) == (2, "")
    assert err == f"{USAGE}Invalid value for '{flag}': {message}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--min-savings", "1"],
            "Invalid value for '--min-savings-vs-standard' / '--min-savings': expected a fraction from 0 to below 1, such as 0.8 or 80%, found '1'",
        ),
        (
            ["--tolerance", "-2", "--baseline", "x.json"],
            "Invalid value for '--tolerance': expected a percentage of 0 or more, such as 2 or 0.5%, found '-2'",
        ),
        (["--update-baseline"], "--update-baseline needs --baseline FILE"),
        (["--tolerance", "2"], "--tolerance needs --baseline FILE"),
        (["--format", "table"], "Invalid value for '--format' / '-f': 'table' is not one of 'text', 'json', 'github'."),
        (["--max-mult", "1M"], "No such option: --max-mult. Did you mean --max-mults?"),
    ],
)
def test_error_usage(run: Run, argv: list[str], message: str) -> None:
    code, out, err = run("check", MOBILENET, *argv)
    assert (code, out) == (2, "")
    assert err == f"{USAGE}{message}\n"


def test_error_no_file(run: Run) -> None:
    code, out, err = run("check")
    assert (code, out) == (2, "")
    assert err == f"{USAGE}Missing argument 'FILE'.\n"


def test_error_bad_budget_is_a_located_spec_error(run: Run) -> None:
    code, out, err = run("check", "tests/data/bad_budget.yaml", MOBILENET)
    assert (code, out) == (2, "")
    assert err == (
        "tests/data/bad_budget.yaml:5:15: budget.max_params: expected a whole count, found 4.5\n"
        "tests/data/bad_budget.yaml:6:14: budget.max_mults: expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found '6OOM'\n"
        "tests/data/bad_budget.yaml:7:14: budget.max_flops: expected scientific notation or a K, M, G, T suffix, not both (1.2e9 or 1.2G), found '1e3M'\n"
        "tests/data/bad_budget.yaml:8:16: budget.min_savings: expected a fraction from 0 to below 1, such as 0.8 or 80%, found 80\n"
        "tests/data/bad_budget.yaml:9:3: budget.max_macs: unknown key: expected one of max_params, max_mults, max_flops, min_savings_vs_standard, max_weight_bytes, max_peak_memory, max_latency\n"
    )


def test_error_bad_spec_reports_budget_and_shape_problems_together(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(
        "name: x\ninput: [3, 4, 4]\nbudget: {max_mults: 6OOM}\nlayers:\n  - {type: conv, out: 4, kernel: 5}\n"
    )
    code, out, err = run("check", str(path))
    assert (code, out) == (2, "")
    lines = [line.replace(str(tmp_path) + "/", "") for line in err.splitlines()]
    assert lines == [
        "net.yaml:3:21: budget.max_mults: expected a count such as 600M, 4.5m, 1.2G, 750_000 or 1.2e9, found '6OOM'",
        "net.yaml:5:34: layers[0] (conv1): kernel: kernel 5 (dilation 1) does not fit the input height 4 with padding 0: output height would be 0",
    ]
    code, out, err = run("check", "tests/data/bad.yaml")  # the network command's bad spec
    assert (code, out) == (2, "") and err.startswith("tests/data/bad.yaml:4:50: ")


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Exit status:" in out and "0: every network within every limit, and no growth beyond the baseline" in out
    assert "1: a limit exceeded, growth beyond the tolerance, or a network missing from the baseline" in out
    assert "2: bad usage, a bad spec or a bad baseline file" in out
    assert "dsc-cost check configs/mobilenet_v1.yaml --max-mults 600M" in out


# ---------------------------------------------------------------- formats


def test_github_format(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    other = "---\nname: other\ninput: [3, 7, 7]\nlayers: [{type: conv, out: 128, kernel: 3}]\n"
    path.write_text(TINY.replace("name: tiny", 'name: "a, b: c"') + other)
    code, out, err = run("check", str(path), "--max-flops", "100K", "--format", "github")
    assert (code, err) == (1, "")
    file = str(path).replace(":", "%3A").replace(",", "%2C")
    # a failure is a workflow command, properties and message escaped (',' ':' '%'): here a flag's
    # limit for a network without a budget, at the network's first line (line 7, after '---')
    assert out.splitlines() == [
        f"::error file={file},line=7,col=1,title=other%3A FLOPs over budget::other: FLOPs 172.8K / 100K (72.8%25 over)",
        "ok  a, b: c  params 411 / 500 (17.8% headroom)",
        "ok  a, b: c  mults 10.28K / 20K (48.6% headroom)",
        "ok  a, b: c  FLOPs 20.55K / 100K (79.5% headroom)",
        "",
        "FAIL: 2 networks, 4 checks: 3 passed, 1 failed",
    ]
    # a limit of the file, or a flag that overrides it: at the value in the budget block (line 3, column 22)
    code, out, _ = run("check", str(path), "--max-params", "400", "--format", "github")
    assert out.splitlines()[0] == (
        f"::error file={file},line=3,col=22,title=a%2C b%3A c%3A params over budget::a, b: c: params 411 / 400 (2.8%25 over)"
    )
    # a flag's limit that the budget block does not have: at the block (line 3, column 9)
    code, out, _ = run("check", str(path), "--min-savings", "0.9", "--format", "github")
    assert out.splitlines()[0] == (
        f"::error file={file},line=3,col=9,title=a%2C b%3A c%3A savings vs standard below budget::"
        "a, b: c: savings vs standard 88.11%25 / min 90%25 (1.9 points short)"
    )


def test_github_format_from_stdin_has_no_file() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", "check", "-", "--max-params", "400", "--format", "github"],
        input=TINY, capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert (
        done.stdout.splitlines()[0] == "::error title=tiny%3A params over budget::tiny: params 411 / 400 (2.8%25 over)"
    )


def test_json_format(run: Run, tiny: str, tmp_path: Path) -> None:
    baseline = tmp_path / "costs.json"
    baseline.write_text(json.dumps({"networks": [{"name": "tiny", "totals": {"params": 400, "mults": 10_275}}]}))
    code, out, err = run(
        "check", tiny, "--min-savings", "0.9", "--baseline", str(baseline), "--tolerance", "5", "-f", "json"
    )
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "ok": False,
        "networks": [
            {
                "name": "tiny",
                "file": tiny,
                "ok": False,
                "limits": {
                    "max_params": {"value": 411, "limit": 500, "ok": True, "margin": 89 / 500, "source": "budget"},
                    "max_mults": {"value": 10_275, "limit": 20_000, "ok": True, "margin": 9_725 / 20_000, "source": "budget"},
                    "min_savings_vs_standard": {"value": 76_125 / 86_400, "limit": 0.9, "ok": False,
                                                "margin": float(TINY_SAVINGS - Fraction(9, 10)),
                                                "source": "--min-savings-vs-standard"},
                },
                "baseline": {
                    "found": True,
                    "params": {"before": 400, "after": 411, "delta": 11, "growth": 11 / 400, "ok": True},  # 2.75% ≤ 5%
                    "mults": {"before": 10_275, "after": 10_275, "delta": 0, "growth": 0.0, "ok": True},
                    "ok": True,
                },
            }
        ],
        "baseline": {"file": str(baseline), "tolerance": 0.05, "updated": False},
    }  # fmt: skip


# ---------------------------------------------------------------- baselines through the command line


@pytest.fixture
def costs(tmp_path: Path, tiny: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """A baseline of TINY written the documented way: `dsc-cost network FILE --format json > costs.json`."""
    assert main(["network", tiny, "--format", "json"]) == 0
    path = tmp_path / "costs.json"
    path.write_text(capsys.readouterr().out)
    return path


def _change(tiny: str, old: str, new: str) -> None:
    Path(tiny).write_text(Path(tiny).read_text().replace(old, new))


def test_baseline_unchanged(run: Run, tiny: str, costs: Path) -> None:
    code, out, _ = run("check", tiny, "--baseline", str(costs))
    assert code == 0
    assert "ok  tiny  params unchanged at 411\nok  tiny  mults unchanged at 10,275\n" in out


def test_baseline_regression_and_tolerance(run: Run, tiny: str, costs: Path) -> None:
    _change(tiny, "budget: {max_params: 500, max_mults: 20K}", "budget: {}")
    _change(tiny, "out: 128", "out: 130")
    # params 27 + 3·130 = 417 (+6 = +1.46%); mults 675 + 3·130·25 = 10,425 (+150 = +1.46%)
    code, out, _ = run("check", tiny, "--baseline", str(costs))
    assert code == 1
    assert out == (
        "FAIL  tiny  params grew 411 → 417 (+6, +1.46%; tolerance 0%)\n"
        "FAIL  tiny  mults grew 10,275 → 10,425 (+150, +1.46%; tolerance 0%)\n"
        "\n"
        "FAIL: 1 network, 2 checks: 0 passed, 2 failed\n"
    )
    assert run("check", tiny, "--baseline", str(costs), "--tolerance", "1.4")[0] == 1
    code, out, _ = run("check", tiny, "--baseline", str(costs), "--tolerance", "1.5%")
    assert code == 0
    assert "ok  tiny  params grew 411 → 417 (+6, +1.46%; tolerance 1.5%)\n" in out


def test_baseline_improvement(run: Run, tiny: str, costs: Path) -> None:
    _change(tiny, "out: 128", "out: 64")
    # params 27 + 3·64 = 219 (−192); mults 675 + 3·64·25 = 5,475 (−4,800 = −46.72%)
    code, out, _ = run("check", tiny, "--baseline", str(costs))
    assert code == 0
    assert (
        "ok  tiny  params fell 411 → 219 (-192, -46.72%)\nok  tiny  mults fell 10,275 → 5,475 (-4,800, -46.72%)\n"
        in out
    )


def test_baseline_missing_network(run: Run, tiny: str, costs: Path) -> None:
    code, out, _ = run("check", tiny, "configs/seeds.yaml", "--baseline", str(costs), "--format", "json")
    assert code == 1
    networks = json.loads(out)["networks"]
    assert [(n["name"], n["ok"], n["baseline"]["found"]) for n in networks] == [
        ("tiny", True, True),
        ("seed 7x7x3 to 128", False, False),
        ("seed 7x7x3 to 128, separable", False, False),
        ("seed 6x6x3 to 4", False, False),
        ("seed 6x6x3 to 4, separable", False, False),
    ]
    code, out, _ = run("check", "configs/seed_16_to_32.json", "--baseline", str(costs))
    assert code == 1
    assert out.startswith(
        f"FAIL  seed 16 to 32 channels, 128x128  not in the baseline {costs} (add it with --update-baseline)\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline file (write one with --update-baseline)"),
        ("{", "not a baseline: not valid JSON"),
        ('{"networks": [{"name": "tiny", "batch": 2, "totals": {"params": 1, "mults": 2}}]}',
         "was costed with batch 2: write it without --batch"),
    ],
)  # fmt: skip
def test_error_bad_baseline_exits_2(run: Run, tiny: str, tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "costs.json"
    if content is not None:
        path.write_text(content)
    code, out, err = run("check", tiny, "--baseline", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}: ") and message in err and err.count("\n") == 1


def test_error_two_networks_of_one_name_with_a_baseline(run: Run, tiny: str, costs: Path) -> None:
    code, out, err = run("check", tiny, tiny, "--baseline", str(costs))
    assert (code, out) == (2, "")
    assert err == (
        f"two networks are named 'tiny' (twice in {tiny}): a baseline matches networks by name, so give them distinct names\n"
    )


# ---------------------------------------------------------------- --update-baseline: atomic, and only on success


def _network_json(run: Run, *files: str) -> str:
    code, out, err = run("network", *files, "--format", "json")
    assert (code, err) == (0, "")
    return out


def test_update_baseline_writes_the_network_document(run: Run, tiny: str, costs: Path) -> None:
    _change(tiny, "out: 128", "out: 130")
    code, out, err = run(
        "check", tiny, "configs/seeds.yaml", "--max-mults", "1M", "--baseline", str(costs), "--update-baseline"
    )
    assert (code, err) == (0, "")
    assert "accept  tiny                          params grew 411 → 417 (+6, +1.46%; tolerance 0%)\n" in out
    assert f"accept  seed 7x7x3 to 128             not in the baseline {costs}: added\n" in out
    assert out.endswith(f"ok: 5 networks, 12 checks: 6 passed, 6 accepted\nbaseline {costs} updated (5 networks)\n")
    assert costs.read_text() == _network_json(run, tiny, "configs/seeds.yaml")
    assert run("check", tiny, "configs/seeds.yaml", "--baseline", str(costs))[0] == 0


def test_update_baseline_creates_a_missing_baseline(run: Run, tiny: str, tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    code, out, _ = run("check", tiny, "--baseline", str(path), "--update-baseline", "-f", "json")
    assert code == 0
    assert json.loads(out)["baseline"] == {"file": str(path), "tolerance": 0.0, "updated": True}
    assert path.read_text() == _network_json(run, tiny)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--max-params", "400"], 1),  # a limit exceeded: the baseline stays as it was
        (["--max-params", "6OOM"], 2),  # a bad flag
        (["--format", "xml"], 2),
        (["tests/data/bad_budget.yaml"], 2),  # a bad spec among the files
        (["tests/data/bad.yaml"], 2),
        (["--tolerance", "x"], 2),
    ],
)
def test_update_baseline_leaves_the_file_untouched_when_the_run_fails(
    run: Run, tiny: str, costs: Path, argv: list[str], code: int
) -> None:
    _change(tiny, "out: 128", "out: 130")
    before = costs.read_bytes()
    assert run("check", tiny, "--baseline", str(costs), "--update-baseline", *argv)[0] == code
    assert costs.read_bytes() == before
    assert [p.name for p in costs.parent.iterdir() if p.name.startswith(".")] == []


def test_update_baseline_refuses_to_overwrite_what_is_not_a_baseline(run: Run, tiny: str, tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\n")
    code, out, err = run("check", tiny, "--baseline", str(path), "--update-baseline")
    assert (code, out) == (2, "")
    assert "not a baseline: not valid JSON" in err
    assert path.read_text() == "[project]\n"


def test_update_baseline_interrupted_while_writing(
    capsys: pytest.CaptureFixture[str], tiny: str, costs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _change(tiny, "out: 128", "out: 130")
    before = costs.read_bytes()
    real_fsync = os.fsync

    def interrupt(fd: int) -> None:  # Ctrl-C after the new text is written, before the rename
        real_fsync(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    assert main(["check", tiny, "--baseline", str(costs), "--update-baseline"]) == 130
    assert capsys.readouterr().out == ""
    assert costs.read_bytes() == before
    assert sorted(p.name for p in costs.parent.iterdir()) == ["costs.json", "tiny.yaml"]


def test_update_baseline_write_error_exits_2_without_output(run: Run, tiny: str, tmp_path: Path) -> None:
    path = tmp_path / "missing" / "costs.json"
    code, out, err = run("check", tiny, "--baseline", str(path), "--update-baseline")
    assert (code, out) == (2, "")
    assert err == f"{path}: cannot write the baseline: No such file or directory\n"


def test_readme_update_example_writes_nothing(run: Run) -> None:
    # docs/check.md runs exactly this to show that a failing run leaves the baseline alone
    before = (ROOT / "tests/data/baseline.json").read_bytes()
    argv = ["check", MOBILENET, "--max-params", "1M", "--baseline", "tests/data/baseline.json", "--update-baseline"]
    code, out, _ = run(*argv)
    assert code == 1
    assert out.endswith("baseline tests/data/baseline.json not updated: a limit is exceeded\n")
    assert (ROOT / "tests/data/baseline.json").read_bytes() == before


# ---------------------------------------------------------------- start-up


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_check_for_machines_does_not_import_rich_tables(fmt: str) -> None:
    # the text report is a rich table; JSON and GitHub annotations stay light
    code = (
        "import sys; from dsc_cost.cli import main; main(['check', %r, '-f', %r]); "
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('rich.table'))))"
    )
    done = subprocess.run([sys.executable, "-c", code % (MOBILENET, fmt)], capture_output=True, text=True, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, "[]")


def test_compare_does_not_import_check() -> None:
    code = "import sys; from dsc_cost.cli import main; main(['compare', '-c', '3', '-o', '4', '--size', '6']); sys.stderr.write(repr('dsc_cost.check' in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "False")


# ---------------------------------------------------------------- the pre-commit hook and the CI snippets


def _subcommands() -> set[str]:
    return set(command().commands)  # type: ignore[attr-defined]


def test_pre_commit_hook_names_an_existing_command() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    [hook] = [h for h in hooks if h["id"] == "dsc-cost-check"]
    assert set(hook) >= {"id", "name", "entry", "language"}
    assert hook["language"] == "python"  # pre-commit installs this repository, which installs the command
    assert hook["types"] == ["yaml"]
    for path in (".pre-commit-config.yaml", ".pre-commit-hooks.yaml", ".github/workflows/ci.yaml"):
        assert re.search(hook["exclude"], path), path
    assert not re.search(hook["exclude"], "configs/mobilenet_v1.yaml")
    program, command, *options = shlex.split(hook["entry"])
    assert command == "check" and command in _subcommands()
    assert options == []
    # the program is this package's console script, and its function exists
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    scripts = pyproject[pyproject.index("[project.scripts]") :]
    target = re.search(rf'^{re.escape(program)} = "([\w.]+):(\w+)"$', scripts, re.M)
    assert target is not None, f"{program} is not a console script of pyproject.toml"
    assert callable(getattr(importlib.import_module(target.group(1)), target.group(2)))


def _ci_section() -> str:
    return (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_readme_pre_commit_snippet_uses_the_hook() -> None:
    blocks = re.findall(r"^```yaml\n(.*?)^```", _ci_section(), re.S | re.M)
    configs = [yaml.safe_load(b) for b in blocks if b.startswith("repos:")]
    assert len(configs) == 1
    [repo] = configs[0]["repos"]
    [hook] = repo["hooks"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] in {h["id"] for h in hooks}
    assert re.search(hook["files"], "configs/mobilenet_v1.yaml") and not re.search(hook["files"], ".github/ci.yaml")
    parse(["check", *hook["args"], "configs/mobilenet_v1.yaml"])  # the args are check options


def test_readme_ci_commands_parse() -> None:
    section = _ci_section()
    commands = [line.strip() for line in section.splitlines() if line.strip().startswith("dsc-cost check ")]
    assert len(commands) == 2
    for line in commands:
        name, values = parse(shlex.split(line)[1:])
        assert name == "check" and values["baseline"] == "costs.json"
    assert any("--format github" in c for c in commands) and any("--update-baseline" in c for c in commands)
    # the Actions step is a YAML list item with a run: script
    [step] = yaml.safe_load(re.search(r"^```yaml\n(\s+- name:.*?)^```", section, re.S | re.M).group(1))  # type: ignore[union-attr]
    assert "dsc-cost check" in step["run"]


def test_report_of_nothing() -> None:
    report = Report((), ())
    assert report.exit_code == 0 and text(report) == "ok: 0 networks, 0 checks: 0 passed\n"
