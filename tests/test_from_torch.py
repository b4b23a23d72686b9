"""``dsc_cost.from_torch`` and ``dsc_cost.summary`` on PyTorch modules: small ones costed by hand, and every
torchvision model of configs/, whose numbers must be the config's, torch's own params and fvcore's conv + linear
count, with the table of docs/torch.md measured again (scripts/torch_table.py makes it).

Skipped where torch, torchvision, torchinfo, fvcore or onnx is missing, as tests/test_against_torch.py is; with
``DSC_COST_REFERENCE=1`` (CI's reference environment) a missing package fails the run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from reference_packages import need

ROOT = Path(__file__).resolve().parent.parent


torch = need("torch")
for _name in ("torchvision", "torchinfo", "fvcore.nn", "onnx"):
    need(_name)
nn = torch.nn

sys.path.insert(0, str(ROOT / "scripts"))
import torch_table  # noqa: E402

from dsc_cost import from_torch, summary  # noqa: E402
from dsc_cost.errors import SpecError  # noqa: E402
from dsc_cost.savings import savings_vs_standard  # noqa: E402


class Block(nn.Module):  # type: ignore[misc]
    """A depthwise separable block with a residual sum: the sum is an op the block runs itself."""

    def __init__(self) -> None:
        super().__init__()
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.act = nn.ReLU()
        self.pw = nn.Conv2d(16, 16, 1, bias=False)

    def forward(self, x: object) -> object:
        return x + self.pw(self.act(self.bn(self.dw(x))))


def small() -> object:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False),
        nn.Sequential(Block()),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(16, 10),
    )


def test_a_small_module_costs_what_hand_arithmetic_says_with_its_module_paths() -> None:
    model = small().train()
    result = from_torch(model, (2, 3, 32, 32))
    assert model.training  # its own mode, given back
    names = [layer.name for layer in result.layers]
    assert names[:6] == ["0", "1.0.dw", "1.0.bn", "1.0.act", "1.0.pw", "1.0.add"]
    assert result.network.name == "Sequential" and result.batch == 2
    # By hand, on 3×32×32 (a batch of 2: mults × 2):
    #   0      conv 3→16 3×3/2 to 16×16: 3·9·16 = 432 params, 432·256 = 110,592 mults
    #   dw     16 3×3 on 16×16: 144 params, 144·256 = 36,864 mults
    #   bn     2·16 = 32 params (γ, β), no mults
    #   pw     16→16: 256 params, 256·256 = 65,536 mults
    #   linear 16→10 and its bias: 170 params, 160 mults
    params = 432 + 144 + 32 + 256 + 170
    mults = 110_592 + 36_864 + 65_536 + 160
    assert (result.total.params, result.total.mults) == (params, 2 * mults)
    assert result.bn_params == 32
    # As standard, the pair dw + pw is one 16→16 3×3 conv: 2,304 params, 2,304·256 = 589,824 mults
    assert result.standard.mults == 2 * (110_592 + 589_824 + 160)
    assert dict(zip(names, (layer.type for layer in result.layers), strict=True))["1.0.dw"] == "depthwise"


def test_the_module_paths_of_a_torchvision_model_are_its_named_modules() -> None:
    model = torch_table.model("mobilenet_v2")
    result = from_torch(model, (1, 3, 224, 224))
    modules = dict(model.named_modules())
    names = [layer.name for layer in result.layers]
    assert "features.3.conv.1.0" in names and "features.3.conv.2" in names
    assert "features.3.add" in names  # the residual sum InvertedResidual's forward runs itself
    leaves = [name for name in names if name in modules]
    assert all(not any(True for _ in modules[name].children()) for name in leaves)
    # every conv, norm and activation module that ran is a layer of its own name
    convs = [name for name, m in modules.items() if isinstance(m, nn.Conv2d | nn.BatchNorm2d | nn.ReLU6)]
    assert set(convs) <= set(names)


def test_a_module_run_twice_is_one_name_and_its_second_run_is_numbered() -> None:
    result = from_torch(torch_table.model("resnet18"), (1, 3, 224, 224))
    names = [layer.name for layer in result.layers]
    # BasicBlock calls its one `relu` after bn1 and after the sum
    assert names[4:11] == [
        "layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu", "layer1.0.conv2", "layer1.0.bn2", "layer1.0.add",
        "layer1.0.relu_2",
    ]  # fmt: skip


def test_summary_prints_the_network_table_and_returns_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    result = summary(small(), (1, 3, 32, 32), width=140)
    out = capsys.readouterr().out
    assert result.total.params == 1034
    assert out.startswith("Sequential · input 3×32×32 → output 10×1×1")
    for words in ("1.0.dw", "1.0.pw", "as standard", "as separable", "saves vs standard"):
        assert words in out


def test_an_op_the_reader_does_not_understand_is_one_located_problem() -> None:
    class Sorts(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)

        def forward(self, x: object) -> object:
            return torch.sort(self.conv(x), dim=1).values

    with pytest.raises(SpecError) as caught:
        from_torch(Sorts(), (1, 3, 16, 16))
    [problem] = caught.value.problems
    assert problem.file == "<Sorts>"
    assert str(problem).startswith("<Sorts>: 1 op not understood") and "TopK" in str(problem)
    approximate = from_torch(Sorts(), (1, 3, 16, 16), allow_unknown=True)
    assert approximate.total.params == 3 * 9 * 8 + 8


def test_an_input_size_without_the_batch_is_refused() -> None:
    with pytest.raises(ValueError, match=r"input_size: expected the batch, the channels and the spatial sizes"):
        from_torch(small(), (3, 32))


@pytest.mark.parametrize("name", torch_table.MODELS)
def test_a_torchvision_model_costs_what_its_config_and_the_counters_say(name: str) -> None:
    row = torch_table.measure(name)
    result, config = row.result, row.config
    # params: torch's own, batch-norm's two per channel included (torchinfo and fvcore agree)
    assert result.total.params == row.torch_params == row.torchinfo_params == row.fvcore_params
    # mults: fvcore's conv + linear count
    assert result.total.mults == row.fvcore_conv_linear
    # the config's numbers, and its headline saving (mults, vs the all-standard form)
    assert result.total == config.total and result.bn_params == config.bn_params
    assert result.standard.mults == config.standard.mults
    assert (
        savings_vs_standard(result.total, result.standard).mults
        == savings_vs_standard(config.total, config.standard).mults
    )
    # As standard, a config's pair drops the batch-norm between its depthwise conv and its partner with the
    # depthwise conv; the exported module keeps that batch-norm, a layer of its own: its params stay.
    kept = sum(
        result.layers[i].cost.params
        for pair in result.pairing.pairs
        for i in pair.between
        if result.layers[i].type == "batchnorm"
    )
    assert result.standard.params - config.standard.params == kept
    # docs/torch.md's table has this row
    assert torch_table.line(row) in (ROOT / "docs" / "torch.md").read_text(encoding="utf-8")


def test_the_examples_of_docs_torch_md_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import doctest

    monkeypatch.chdir(ROOT)
    page = ROOT / "docs" / "torch.md"
    test = doctest.DocTestParser().get_doctest(page.read_text(encoding="utf-8"), {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, clear_globs=False)
    assert runner.summarize(verbose=False).failed == 0
    # the table under <!-- summary --> is what summary prints for the page's model
    shown = page.read_text(encoding="utf-8").split("<!-- summary -->\n```text\n", 1)[1].split("```", 1)[0]
    summary(test.globs["model"], (1, 3, 64, 64), width=100)
    printed = capsys.readouterr().out
    assert [line.rstrip() for line in printed.splitlines()] == shown.splitlines()
