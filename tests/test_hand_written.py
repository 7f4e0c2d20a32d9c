"""Models written by hand, in the styles of models outside libraries (issue 25's held-out zoo): each read exactly,
parameters to numel(), multiply-adds to torch's FlopCounterMode on a real forward pass, one figure per model worked
by hand; the modules whose code no layer kind reads are composite layers."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1":
    pytest.importorskip("torch")


from .harness import exact_against_torch

pytestmark = pytest.mark.torch

HERE = Path(__file__).parent / "hand_written"


def _load(file: str, name: str):
    spec = importlib.util.spec_from_file_location(f"hand_written_{file}", HERE / f"{file}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)().eval()


def _exact(model, shape):
    return exact_against_torch(model, shape)


def test_a_cifar_resnet20_with_zero_padding_shortcuts():
    table = _exact(_load("resnet20", "ResNet20"), (3, 32, 32))
    # the shortcut that subsamples and pads channels with zeros: a composite of views, nothing learned or multiplied
    short = next(r for r in table.rows if r.name == "layer2.0.shortcut")
    assert (short.kind, short.params, short.macs, str(short.output)) == ("composite", 0, 0, "32x16x16")
    # by hand: 269,722, the 0.27 M published for ResNet-20 (a 3x3 stem of 16, 3 stages of 3 blocks, 16/32/64)
    convs = 3 * 3 * 3 * 16 + 6 * (9 * 16 * 16) + (9 * 16 * 32 + 5 * 9 * 32 * 32) + (9 * 32 * 64 + 5 * 9 * 64 * 64)
    norms = 2 * (16 + 6 * 16 + 6 * 32 + 6 * 64)
    assert table.totals["params"] == convs + norms + 64 * 10 + 10 == 269_722


def test_a_convnext_with_its_own_channels_first_layer_norm():
    table = _exact(_load("convnext_swin", "ConvNeXtTiny"), (3, 32, 32))
    assert {r.name for r in table.rows if r.kind == "composite"} == {"stem.1", "down.0"}
    # the hand-written norm: a scale and a shift per channel, read from its own arithmetic
    assert next(r for r in table.rows if r.name == "stem.1").params == 2 * 32


def test_a_swin_with_window_functions_and_a_relative_position_table():
    table = _exact(_load("convnext_swin", "TinySwin"), (3, 32, 32))
    block = next(r for r in table.rows if r.name == "blocks.0")
    assert block.kind == "composite"
    # by hand: 8 x 8 tokens of width 32 in 4 windows of 16; qkv 64 x 32 x 96, scores and sums 4 windows x 2 heads x
    # 16 x 16 x 16 each, proj 64 x 32 x 32, the MLP 64 x 32 x 64 twice
    assert block.macs == 64 * 32 * 96 + 2 * (4 * 2 * 16 * 16 * 16) + 64 * 32 * 32 + 2 * 64 * 32 * 64
    # the table of (2 x 4 - 1)^2 = 49 entries per head is counted, the index buffer is not
    assert block.params == (96 * 32 + 96) + (32 * 32 + 32) + 49 * 2 + 2 * 2 * 32 + (64 * 32 + 64) + (32 * 64 + 32)


def test_a_vit_whose_heads_are_views_and_matmuls():
    table = _exact(_load("tiny_vit", "TinyViT"), (3, 32, 32))
    assert [r.name for r in table.rows if r.kind == "composite"] == ["blocks.0.att", "blocks.1.att"]


def test_squeeze_excite_gates_and_a_spatial_attention_map():
    table = _exact(_load("se_cbam", "Net"), (3, 32, 32))
    sa = next(r for r in table.rows if r.name == "sa")
    # the 7 x 7 convolution over the mean and max maps after the second stage (16 x 16): 2 x 49 weights, 256
    # positions x 98 multiply-adds
    assert (sa.params, sa.macs) == (98, 16 * 16 * 98)


def test_a_vit_written_with_einops_patterns_and_a_repeated_class_token():
    pytest.importorskip("einops")
    table = _exact(_load("einops_vit", "ViT"), (3, 32, 32))
    # einops' own reshape and expand of the class token, traced: the token is a layer of its own, 64 weights
    token = [r for r in table.rows if r.kind == "classtoken"]
    assert [(r.params, str(r.output)) for r in token] == [(64, "65x64")]
    # by hand: patches of 4 x 4 x 3 = 48 (two norms and a 48 -> 64 linear), 65 positions and a class token of 64,
    # two layers of (norm, qkv 64 -> 192 without bias, out 64 -> 64, norm, 64 -> 128 -> 64), a norm, the head
    layer = 128 + 64 * 192 + (64 * 64 + 64) + 128 + (64 * 128 + 128) + (128 * 64 + 64)
    assert table.totals["params"] == 96 + (48 * 64 + 64) + 128 + 65 * 64 + 64 + 2 * layer + 128 + (64 * 10 + 10) \
        == 74_922


def test_an_mlp_mixer_of_einops_layers():
    pytest.importorskip("einops")
    table = _exact(_load("einops_vit", "MLPMixer"), (3, 32, 32))
    # token mixing: 1-wide Conv1d over the 64 patches, 64 -> 256 -> 64, at each of the 64 channels
    assert table.totals["macs"] >= 2 * 64 * (64 * 256 * 2)


def test_h_swish_written_as_its_own_arithmetic():
    table = _exact(_load("hswish_mobilenet", "MobileNetV3Small"), (3, 64, 64))
    # x * relu6(x + 3) / 6 on 16 x 32 x 32, read as its four steps: a number added, relu6, the gate, a number
    # divided by; no multiply-add, nothing learned
    after = [r.name for r in table.rows].index("bn1") + 1
    hs = table.rows[after:after + 4]
    assert [(r.kind, r.params, r.macs, str(r.output)) for r in hs] == \
        [(k, 0, 0, "16x32x32") for k in ("offset", "relu6", "mul", "multiply")]
