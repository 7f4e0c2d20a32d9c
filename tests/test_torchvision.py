"""Every torchvision classification model, read by ``from_torch`` and checked three ways.

For each model (weights=None, eval mode, at its published weights' crop size):

- parameters: symcnn's total plus what it reports as never run equals the module's
  ``numel()`` sum, and torchvision's published ``meta["num_params"]`` is one of the two
  readings (inception_v3 counts its auxiliary head, googlenet does not);
- multiply-adds: equal to an independent count made by running the model, torch's
  ``FlopCounterMode`` (every convolution and matrix product the forward pass executes, halved),
  with each multi-head attention recomputed by explicit matrix products (which the counter
  sees) and checked against the module's own output; and equal to ``meta["_ops"]`` (GMACs)
  to every decimal torchvision prints;
- output shape: equal to a real forward pass.

The big models take minutes on two cores: they are marked ``slow`` (CI runs them; a quick
local run is ``pytest -m "not slow"``).  Models symcnn cannot read yet are strict xfails
naming what is missing, so that reading one fails this file until the mark is removed.
"""

from __future__ import annotations

import gc
import importlib.util
import math
import os

import pytest

if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1":
    pytest.importorskip("torch")
    if importlib.util.find_spec("torchvision") is None:
        pytest.skip("torchvision is not installed (pip install 'symcnn[torch]')", allow_module_level=True)

import torch

from symcnn.pytorch.common import import_torchvision

import_torchvision()
import torchvision  # noqa: E402
from torchvision.models import get_model, get_model_weights, list_models  # noqa: E402

from symcnn.pytorch import from_torch  # noqa: E402

pytestmark = pytest.mark.torch

MODELS = sorted(list_models(module=torchvision.models))

#: what symcnn cannot read yet, by model-name prefix (issue 15 stays open for these)
NOT_YET: dict[str, str] = {}

#: quick enough for every local run (the rest are marked slow)
QUICK = {"resnet18", "mobilenet_v3_small", "shufflenet_v2_x0_5", "squeezenet1_1", "mnasnet0_5",
         "efficientnet_b0", "regnet_y_400mf", "vit_b_32", "convnext_tiny", "googlenet", "inception_v3"}


def _case(name: str):
    marks = []
    reason = next((why for prefix, why in NOT_YET.items() if name.startswith(prefix)), None)
    if reason:
        marks.append(pytest.mark.xfail(reason=reason, strict=True, raises=Exception))
    if name not in QUICK:
        marks.append(pytest.mark.slow)
    return pytest.param(name, marks=marks, id=name)


def _build(name: str):
    weights = next(iter(get_model_weights(name)))
    crop = weights.transforms().crop_size[0]
    kwargs = {"image_size": crop} if name.startswith("vit") and crop != 224 else {}
    torch.manual_seed(0)
    return get_model(name, weights=None, **kwargs).eval(), crop, weights.meta


def _attention_macs(m, x) -> int:
    """One nn.MultiheadAttention recomputed with explicit matrix products under FlopCounterMode,
    checked against the module's own output: the multiply-adds it performs."""
    from torch.nn import functional as F
    from torch.utils.flop_counter import FlopCounterMode

    n, length, e = x.shape
    h = m.num_heads
    with FlopCounterMode(display=False) as counter:
        q, k, v = F.linear(x, m.in_proj_weight, m.in_proj_bias).chunk(3, dim=-1)
        heads = [t.reshape(n, length, h, e // h).transpose(1, 2) for t in (q, k, v)]
        scores = heads[0] @ heads[1].transpose(-1, -2) / math.sqrt(e // h)
        mixed = (scores.softmax(dim=-1) @ heads[2]).transpose(1, 2).reshape(n, length, e)
        y = F.linear(mixed, m.out_proj.weight, m.out_proj.bias)
    expected = m(x, x, x, need_weights=False)[0]
    assert torch.allclose(y, expected, atol=1e-4), "the reference attention is not the module's"
    return counter.get_total_flops() // 2


def _measured_macs(model, crop: int) -> tuple[int, tuple[int, ...]]:
    """Multiply-adds counted by running the model, and its output shape."""
    from torch.utils.flop_counter import FlopCounterMode

    seen: list = []  # (attention module, its input), recomputed after the counted run

    def hook(module, args, kwargs, output):
        seen.append((module, args[0]))

    handles = [m.register_forward_hook(hook, with_kwargs=True) for m in model.modules()
               if isinstance(m, torch.nn.MultiheadAttention)]
    try:
        with torch.no_grad():
            # the fast attention path runs one fused kernel the counter does not see: those
            # modules are counted by recomputing them instead (what the counter saw of them
            # is taken out, so nothing is counted twice)
            with FlopCounterMode(display=False) as counter:
                y = model(torch.randn(1, 3, crop, crop))
            inside = sum(sum(counter.get_flop_counts().get(_fqn(model, m), {}).values()) for m, _ in seen)
    finally:
        for handle in handles:
            handle.remove()
    with torch.no_grad():
        attention = sum(_attention_macs(m, x) for m, x in seen)
    return (counter.get_total_flops() - inside) // 2 + attention, tuple(y.shape[1:])


def _fqn(model, module) -> str:
    """The module's name as FlopCounterMode keys it: the root's class, then the dotted path."""
    return f"{type(model).__name__}." + next(name for name, m in model.named_modules() if m is module)


@pytest.mark.parametrize("fastpath", [True, False])
def test_attention_is_counted_once_on_either_path(fastpath):
    """With the fused fast path the counter sees no attention; without it, it sees the
    projections only: either way the measured count is the same."""
    model, crop, _ = _build("vit_b_32")
    before = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(fastpath)
    try:
        measured, _ = _measured_macs(model, crop)
    finally:
        torch.backends.mha.set_fastpath_enabled(before)
    assert measured == int(from_torch(model, (3, crop, crop)).derive().totals["macs"])


@pytest.mark.parametrize("name", [_case(n) for n in MODELS])
def test_torchvision_model(name):
    model, crop, meta = _build(name)
    try:
        net = from_torch(model, (3, crop, crop))
        table = net.derive()
        params = int(table.totals["params"])
        never_run = sum(count for _, count in net.not_run)
        assert params + never_run == sum(p.numel() for p in model.parameters())
        assert meta["num_params"] in (params, params + never_run)

        macs = int(table.totals["macs"])
        assert round(macs / 1e9, 3) == round(meta["_ops"], 3), (macs, meta["_ops"])
        measured, shape = _measured_macs(model, crop)
        assert macs == measured
        out = table.rows[-1].output
        assert (int(out.c),) == shape and int(out.h) == int(out.w) == 1
    finally:
        del model
        gc.collect()


def test_every_model_is_listed():
    """The list is torchvision's own: a model added or dropped shows here, not silently."""
    assert len(MODELS) == 80
    assert all(any(n.startswith(p) for n in MODELS) for p in NOT_YET)
    assert not NOT_YET, "every model is read: an entry here is a regression to explain"


@pytest.mark.parametrize("name", ["resnet50", "vit_b_32", "densenet121", "efficientnet_b0", "mobilenet_v3_small"])
def test_the_cli_builds_on_the_meta_device_with_the_same_result(name, capsys):
    """`symcnn table --torch torchvision.models:NAME` builds the model on the meta device (no
    weights initialised): the totals equal those of the real model read by from_torch."""
    import json

    from symcnn.cli import main

    model, crop, _ = _build(name)
    real = from_torch(model, (3, crop, crop)).derive().totals
    assert main(["table", "--torch", f"torchvision.models:{name}", "--input", f"3,{crop},{crop}", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["params"] == int(real["params"]) and data["totals"]["macs"] == int(real["macs"])


def test_a_module_that_needs_real_values_to_build_is_built_for_real(tmp_path, capsys):
    path = tmp_path / "needs_values.py"
    path.write_text(
        "import torch\nfrom torch import nn\n\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.c = nn.Conv2d(3, 4, 3)\n"
        "        if float(self.c.weight.abs().sum()) < 0:  # reads a value: cannot run on the meta device\n"
        "            raise ValueError\n\n"
        "    def forward(self, x):\n"
        "        return self.c(x)\n")
    from symcnn.cli import main

    assert main(["table", "--torch", f"{path}:Net", "--input", "3,8,8", "-f", "json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["totals"]["params"] == 4 * 3 * 9 + 4
