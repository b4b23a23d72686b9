"""docs/notebook.ipynb, executed by nbclient on a real kernel (ipykernel): every cell runs, each result shows
itself as the HTML table (no script), and the numbers it prints are those of hand arithmetic (the spec, the ONNX
file) and of torchinfo (the PyTorch model), measured in this test.

Skipped where nbclient, ipykernel, torch, torchvision or torchinfo is missing; with ``DSC_COST_REFERENCE=1`` (CI's
reference environment) a missing package fails the run.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from reference_packages import need

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"


nbclient = need("nbclient")
nbformat = need("nbformat")
need("ipykernel")
torch = need("torch")
torchvision = need("torchvision")
torchinfo = need("torchinfo")


@pytest.fixture(scope="module")
def executed() -> list[dict[str, Any]]:
    """The notebook's code cells, each with its outputs, after a run from docs/ on a fresh kernel."""
    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def text(cell: dict[str, Any]) -> str:
    """The cell's result as Python shows it (text/plain of its execute_result)."""
    [result] = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
    return str(result["data"]["text/plain"])


def html(cell: dict[str, Any]) -> str:
    [result] = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
    return str(result["data"]["text/html"])


def value(cell: dict[str, Any]) -> Any:
    """The cell's result read back (tuples, lists, numbers, strings; ``Cost(...)`` as a tuple)."""
    return ast.literal_eval(text(cell).replace("Cost(params=", "(").replace(", mults=", ", "))


def test_every_cell_runs_and_no_error_is_shown(executed: list[dict[str, Any]]) -> None:
    for cell in executed:
        assert all(o["output_type"] != "error" for o in cell["outputs"]), cell["source"]
        assert all(o.get("name") != "stderr" for o in cell["outputs"]), cell["source"]


def test_the_spec_shows_as_a_table_of_hand_computed_costs(executed: list[dict[str, Any]]) -> None:
    shown, totals, layers = executed[0], executed[1], executed[2]
    page = html(shown)
    assert page.startswith('<div class="dsc-cost">') and "<script" not in page.lower()
    assert "<td>stem</td>" in page and "<td>block</td>" in page and "as standard" in page
    # By hand, on 3×32×32: stem, conv 3→32 3×3/2 ('same') to 32×16×16: 3·9·32 = 864 params, 864·256 = 221,184
    # mults; block, separable 32→64 3×3: depthwise 32·9 = 288 and pointwise 32·64 = 2,048 params, (288 + 2,048)·256
    # = 598,016 mults. As standard the block is a full 3×3 conv: 32·9·64 = 18,432 params, 18,432·256 = 4,718,592.
    # As separable the stem is 3·9 + 3·32 = 123 params, 123·256 = 31,488 mults.
    assert value(totals) == (
        (864 + 2336, 221_184 + 598_016),
        (864 + 18_432, 221_184 + 4_718_592),
        (123 + 2336, 31_488 + 598_016),
    )
    assert value(layers) == [("stem", 864, 221_184, 221_184), ("block", 2336, 598_016, 4_718_592)]


def test_the_onnx_file_shows_its_nodes_and_hand_computed_costs(executed: list[dict[str, Any]]) -> None:
    shown, total = executed[3], executed[4]
    assert "<td>stem/conv</td>" in html(shown) and "<td>head/fc</td>" in html(shown)
    # tests/data/tiny.onnx, on 3×32×32 (every conv and the fc with a bias):
    #   stem/conv  3→16 3×3/2 to 16×16: 3·9·16 + 16 = 448 params, 432·256 = 110,592 mults
    #   block      depthwise 16 3×3 (+16 bias) and pointwise 16→16 (+16 bias): 432 params, 400·256 = 102,400
    #   head/conv  16→32 3×3/2 to 8×8: 16·9·32 + 32 = 4,640 params, 4,608·64 = 294,912 mults
    #   head/fc    32→10: 330 params, 320 mults
    assert value(total) == (448 + 432 + 4640 + 330, 110_592 + 102_400 + 294_912 + 320)


def test_the_torch_model_has_torchinfos_params_and_its_module_paths(executed: list[dict[str, Any]]) -> None:
    shown, totals, names, printed = executed[5], executed[6], executed[7], executed[8]
    assert "<td>features.1.block.0.0</td>" in html(shown)
    torch.manual_seed(0)
    model = torchvision.models.mobilenet_v3_small()
    stats = torchinfo.summary(model, input_size=(1, 3, 224, 224), verbose=0)
    params, mults, standard = value(totals)
    assert params == int(stats.total_params) == 2_542_856
    # torchinfo's mult-adds are the conv + linear mults plus one for each of batch-norm's γ and β and each bias
    # (the biases of the squeeze-and-excitation convs on 1×1 maps and of the classifier's linear layers)
    nn = torch.nn
    norms = sum(p.numel() for m in model.modules() if isinstance(m, nn.BatchNorm2d) for p in m.parameters())
    biases = sum(m.bias.numel() for m in model.modules() if isinstance(m, nn.Conv2d | nn.Linear) and m.bias is not None)
    assert (norms, biases) == (12_112, 2_888 + 2_024)
    assert int(stats.total_mult_adds) == mults + norms + biases == 56_527_424
    assert standard > mults
    assert value(names) == [
        "features.0.0", "features.0.1", "features.0.2", "features.1.block.0.0", "features.1.block.0.1",
        "features.1.block.0.2",
    ]  # fmt: skip
    # summary's table, printed by rich into the notebook
    outputs = json.dumps(printed["outputs"], ensure_ascii=False)
    assert "saves vs standard" in outputs and "features.1.block.0.0" in outputs
