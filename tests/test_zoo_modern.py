"""The modern CNNs of the zoo, each written by hand in the spec format, checked against
the real torchvision model (read by from_torch), against torchvision's published figures,
and, with the resolution symbolic, against the real model built at other resolutions."""

from __future__ import annotations

import importlib.util
import os
from collections import Counter

import pytest
import sympy as sp

import symcnn
from symcnn import zoo
from symcnn.whatif import whatif

#: zoo entry -> (torchvision model, crop size)
TWINS = {
    "mobilenet-v2": ("mobilenet_v2", 224),
    "mobilenet-v3-large": ("mobilenet_v3_large", 224),
    "efficientnet-b0": ("efficientnet_b0", 224),
    "densenet121": ("densenet121", 224),
    "squeezenet1-1": ("squeezenet1_1", 224),
    "shufflenet-v2-x1": ("shufflenet_v2_x1_0", 224),
    "inception-v3": ("inception_v3", 299),
    "convnext-tiny": ("convnext_tiny", 224),
    "regnet-y-400mf": ("regnet_y_400mf", 224),
    "vit-b-16": ("vit_b_16", 224),
}
MODERN = [*TWINS, "mobilenet-v1"]

#: inception_v3's auxiliary classifier, which the published count includes and the eval graph
#: never runs: conv 768->128 (1x1, no bias) + batch norm, conv 128->768 (5x5, no bias) + batch
#: norm, linear 768->1000
INCEPTION_AUX = 768 * 128 + 2 * 128 + 128 * 768 * 5 * 5 + 2 * 768 + 768 * 1000 + 1000


def test_the_modern_zoo_is_listed():
    assert set(MODERN) <= set(zoo.names())


@pytest.mark.parametrize("name", MODERN)
def test_width_and_resolution_are_symbolic(name):
    """alpha = 1 and R = the crop size give back the spec's own totals; alpha = 2 keeps every
    channel count an integer and equals the network with the values put in."""
    totals = symcnn.load(name).derive().totals
    w = whatif(name, width="alpha")
    a = w.symbol("alpha")
    assert w.totals["params"].subs(a, 1) == totals["params"]
    assert w.totals["macs"].subs(a, 1) == totals["macs"]
    assert w.totals["macs"].subs(a, 2) == w.network.subs({a: 2}).derive().totals["macs"]
    crop = TWINS.get(name, (None, 224))[1]
    r = whatif(name, resolution="R")
    assert r.totals["macs"].subs(r.symbol("R"), crop) == totals["macs"]


def test_mobilenet_v1_against_the_paper():
    """Howard et al. 2017: 569 million multiply-adds and 4.2 million parameters.  Spelled out
    with the paper's own cost of a depthwise separable layer, D_K^2 M D_F^2 + M N D_F^2
    (D_F the output size), plus the first convolution and the classifier; the parameters as
    9M + MN per block, 27*32 for the first convolution, the classifier, and batch norm's
    2 per channel after every convolution."""
    blocks = [(32, 64, 112), (64, 128, 56), (128, 128, 56), (128, 256, 28), (256, 256, 28), (256, 512, 14),
              *[(512, 512, 14)] * 5, (512, 1024, 7), (1024, 1024, 7)]
    macs = 3 * 3 * 3 * 32 * 112 * 112 + sum(9 * m * f * f + m * n * f * f for m, n, f in blocks) + 1024 * 1000
    params = 27 * 32 + 2 * 32 + sum(9 * m + 2 * m + m * n + 2 * n for m, n, _ in blocks) + 1024 * 1000 + 1000
    t = symcnn.load("mobilenet-v1").derive().totals
    assert t["macs"] == macs and t["params"] == params
    assert round(macs / 1e6) == 569 and round(params / 1e6, 1) == 4.2


if os.environ.get("SYMCNN_REQUIRE_TORCH") != "1" and (
        importlib.util.find_spec("torch") is None or importlib.util.find_spec("torchvision") is None):
    pytest.skip("needs torch and torchvision (pip install 'symcnn[torch]')", allow_module_level=True)


def _torchvision(name: str, **kwargs):
    from symcnn.pytorch.common import import_torchvision

    import_torchvision()
    import torch
    from torchvision.models import get_model, get_model_weights

    torch.manual_seed(0)
    return get_model(name, weights=None, **kwargs).eval(), get_model_weights(name).DEFAULT.meta


def _learned_rows(table):
    """The layers with parameters or multiply-adds, as (kind, params, MACs): the structure."""
    return Counter((r.kind, int(r.params), int(r.macs)) for r in table.rows if r.params or r.macs)


@pytest.mark.torch
@pytest.mark.parametrize("name", list(TWINS))
def test_zoo_entry_is_the_torchvision_model(name):
    from symcnn.pytorch import from_torch

    tv, crop = TWINS[name]
    model, meta = _torchvision(tv)
    mine = symcnn.load(name).derive()
    theirs = from_torch(model, (3, crop, crop)).derive()
    assert _learned_rows(mine) == _learned_rows(theirs)
    assert mine.totals["params"] == theirs.totals["params"]
    assert mine.totals["macs"] == theirs.totals["macs"]
    assert mine.rows[-1].output.as_tuple() == theirs.rows[-1].output.as_tuple()
    published = meta["num_params"] - (INCEPTION_AUX if name == "inception-v3" else 0)
    assert mine.totals["params"] == published
    assert round(int(mine.totals["macs"]) / 1e9, 3) == round(meta["_ops"], 3)


@pytest.mark.torch
@pytest.mark.parametrize("name", list(TWINS))
def test_symbolic_resolution_against_the_real_model_at_other_sizes(name):
    """The resolution as a symbol R (floors and all) against the real model run at two other
    input sizes (ViT is built for each size: its positional embedding has one row per patch)."""
    from symcnn.pytorch import from_torch

    tv, crop = TWINS[name]
    w = whatif(name, resolution="R")
    R = w.symbol("R")
    sizes = (160, 256) if name == "vit-b-16" else (crop - 31, crop + 37)
    model = None if name == "vit-b-16" else _torchvision(tv)[0]
    for r in sizes:
        if name == "vit-b-16":
            model = _torchvision(tv, image_size=r)[0]
        theirs = from_torch(model, (3, r, r)).derive().totals
        assert w.totals["macs"].subs(R, r) == theirs["macs"], r
        assert w.totals["params"].subs(R, r) == theirs["params"], r
        assert sp.sympify(w.totals["activations"].subs(R, r)).is_Integer
