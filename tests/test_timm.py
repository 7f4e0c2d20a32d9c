"""timm's image models (issue 25), read as any user would: each one of a sample across timm's families is either
exact (parameters to numel(), multiply-adds to torch's dispatch-level FlopCounterMode on a real forward pass) or
refused on one line naming what stops it; never silently wrong.  `python scripts/timm_reach.py` runs the same
check on a longer list and writes the table into the README."""

from __future__ import annotations

import os

import pytest

from symcnn.errors import SymcnnError

if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1":
    pytest.importorskip("torch")

from symcnn.pytorch.common import import_torchvision

import_torchvision()  # timm imports torchvision, whose compiled ops do not load beside the CPU torch
timm = pytest.importorskip("timm") if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1" else __import__("timm")

import torch  # noqa: E402

from symcnn.pytorch import from_torch  # noqa: E402
from symcnn.pytorch.common import flop_counter  # noqa: E402

pytestmark = pytest.mark.torch

#: read exactly today (a model leaving this list is a regression)
EXACT = [
    "resnet18",
    "resnet50d",
    "resnext26ts",
    "seresnet18",
    "efficientnet_b0",
    "efficientnet_lite0",
    "mobilenetv2_050",
    "mobilenetv3_small_050",
    "mobilenetv3_large_100",
    "mnasnet_small",
    "tinynet_e",
    "regnetx_002",
    "regnety_002",
    "densenet121",
    "cspresnet50",
    "cspdarknet53",
    "dla34",
    "dpn48b",
    "ese_vovnet19b_dw",
    "vovnet39a",
    "hrnet_w18_small",
    "xception41",
    "inception_v3",
    "inception_v4",
    "ghostnet_100",
    "rexnet_100",
    "selecsls42b",
    "hardcorenas_a",
    "lcnet_050",
    "fbnetc_100",
    "spnasnet_100",
    "mixnet_s",
    "semnasnet_050",
    "gernet_s",
    "repvgg_a0",
    "darknet17",
    "cs3darknet_s",
    "resnetv2_50",
    "inception_resnet_v2",
    "convnext_atto",
    "vit_tiny_patch16_224",
    "deit_tiny_patch16_224",
    "poolformer_s12",
    "res2net50_14w_8s",
    "beit_base_patch16_224",
    "tresnet_m",
    "nf_resnet26",
    "nfnet_l0",
    "convnextv2_atto",
    # attention, windows and token mixing written in each model's own code: read as composite layers
    "eva02_tiny_patch14_224",
    "fastvit_sa12",
    "efficientformer_l1",
    "levit_128s",
    "davit_tiny",
    "swin_tiny_patch4_window7_224",
    "mixer_s32_224",
    "resmlp_12_224",
    "resnest14d",
    "skresnet18",
    "botnet26t_256",
    "edgenext_x_small",
    "efficientvit_m0",
    "vit_relpos_small_patch16_224",
    "caformer_s18",
    # modules torch.fx cannot trace, read through torch.export
    "bat_resnext26ts",
    "mobilevit_xxs",
    "tiny_vit_5m_224",
    "twins_svt_small",
    # a position embedding computed from learned tensors, added at the model's own level
    "xcit_nano_12_p8_224",
    # 'max' over tokens in the model's own forward: the stretch of the graph around it, a composite
    "volo_d1_224",
    # a tensor computed and never read (DLA's pooled map of a tree that is not its level's root; CoaT-Lite's view)
    "dla60",
    "coat_lite_tiny",
    # a computed class token joined to the patch tokens along the sequence (CaiT's class-attention blocks)
    "cait_xxs24_224",
    # class tokens split off again at a length read off their own shape (PiT)
    "pit_ti_224",
    # a kept-whole module that caches what it computed on itself (ConViT's relative indices)
    "convit_tiny",
    # three scales' class tokens stacked into a sequence of three, mixed by a Conv1d (CoaT's head)
    "coat_tiny",
    # modules giving the feature map's size beside their tokens, handed to the next (MViTv2's attention)
    "mvitv2_tiny",
    # a bias computed by an MLP from a buffer, handed to every block: one side layer, counted once (ViT-SRelPos)
    "vit_srelpos_small_patch16_224",
    # attention layers kept whole and run for their shapes without the tracer recording their insides; two heads'
    # logits stacked and averaged (CrossViT)
    "crossvit_tiny_240",
]
#: refused today, each by name (a model that starts to read moves to EXACT)
REFUSED = [
    "sequencer2d_s",
]


def _model(name: str):
    model = timm.create_model(name, pretrained=False).eval()
    return model, tuple(model.pretrained_cfg.get("input_size", (3, 224, 224)))


def _exact(model, shape, table) -> None:
    """Parameters against numel(); multiply-adds against the FLOPs torch's dispatcher counts (2 per multiply-add),
    attention included (torch's FlopCounterMode with its own formula registered for the CPU attention kernel)."""
    # torch's module tracker in FlopCounterMode asserts on a parameter expanded and handed to a submodule (CaiT's
    # class token) while parameters require grad; no count depends on it
    model.requires_grad_(False)
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, *shape))
    assert int(table.totals["params"]) == sum(p.numel() for p in model.parameters())
    assert 2 * int(table.totals["macs"]) == counter.get_total_flops()


@pytest.mark.slow
@pytest.mark.parametrize("name", EXACT)
def test_read_exactly(name):
    model, shape = _model(name)
    _exact(model, shape, from_torch(model, shape).derive())


@pytest.mark.slow
@pytest.mark.parametrize("name", REFUSED)
def test_refused_by_name_or_exact(name):
    """Never silently wrong: a model either reads exactly or is refused with one line."""
    model, shape = _model(name)
    try:
        table = from_torch(model, shape).derive()
    except SymcnnError as exc:
        assert "\n" not in exc.message and exc.message
        return
    _exact(model, shape, table)


@pytest.mark.slow
def test_an_attention_module_holding_a_parameter_it_does_not_read_is_refused():
    """BEiT's attention is read whole (its separate query and value biases, its relative position table); one more
    learned tensor in it is refused by name, never left uncounted or counted blind."""
    model, shape = _model("beit_base_patch16_224")
    model.blocks[3].attn.extra = torch.nn.Parameter(torch.zeros(7))
    with pytest.raises(SymcnnError, match="parameters attention does not read: extra") as info:  # never counted
        from_torch(model, shape)
    assert "\n" not in info.value.message
