"""Where a what-if network exists: the smallest valid resolution of each network, checked two
independent ways (the network derived with numbers just below and at the bound; torchvision's
published ``min_size`` for the same architecture), answers and sweeps kept inside the domain,
values outside a symbol's declared domain refused, and layer shares at the point asked."""

from __future__ import annotations

import pytest

import symcnn
from symcnn.errors import SymcnnError
from symcnn.whatif import whatif

from .harness import run_cli

# torchvision's published weights meta "min_size" for the architectures these zoo entries are
PUBLISHED_MIN_SIZE = {
    "alexnet-torchvision": 63, "googlenet-torchvision": 15, "squeezenet1-1": 17, "inception-v3": 75,
    "densenet121": 29, "resnet18": 1, "vgg11": 32, "mobilenet-v3-large": 1, "efficientnet-b0": 1,
    "shufflenet-v2-x1": 1, "regnet-y-400mf": 1, "convnext-tiny": 32,
}


def _exists(name: str, r: int) -> bool:
    net = symcnn.load(name)
    try:
        net.with_input(type(net.input)(net.input.c, r, r)).derive()
    except SymcnnError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(PUBLISHED_MIN_SIZE))
def test_smallest_resolution_is_torchvisions_min_size(name):
    (bound,) = whatif(name, resolution="R").domain.bounds.values()
    assert bound.low == PUBLISHED_MIN_SIZE[name]


@pytest.mark.parametrize("name", ["alexnet", "alexnet-224", "zfnet", "lenet5", "vgg16", "googlenet", "inception-v3",
                                  "densenet121", "squeezenet1-1"])
def test_bound_against_the_network_derived_with_numbers(name):
    """Below the bound the network (derived with numbers, the ordinary path) refuses; at it, it derives."""
    (bound,) = whatif(name, resolution="R").domain.bounds.values()
    low = int(bound.low)
    assert _exists(name, low) and _exists(name, low + 1)
    if low > 1:
        assert not _exists(name, low - 1)


def test_alexnet_valid_from_67_and_the_reason():
    w = whatif("alexnet", resolution="R")
    assert w.domain.describe() == ["valid for R >= 67 (below it, pool5: output height >= 1 fails)"]
    R = w.symbol("R")
    assert w.domain.failing({R: 66}).layer == "pool5" and w.domain.failing({R: 67}) is None
    # the example, R = 50: the layer named is the one the numeric derivation refuses
    with pytest.raises(SymcnnError) as refused:
        symcnn.load("alexnet").with_input(type(w.network.input)(3, 50, 50)).derive()
    assert f"'{w.domain.failing({R: 50}).layer}'" in str(refused.value)


def test_width_bound_is_the_smallest_channel_count():
    w = whatif("alexnet", width="alpha")
    (bound,) = w.domain.bounds.values()
    smallest = min(int(r.output.c) for r in symcnn.load("alexnet").derive().rows)
    assert bound.low * smallest == 1


def test_solve_answers_inside_the_domain():
    w = whatif("alexnet", resolution="R")
    with pytest.raises(SymcnnError, match="smallest valid R, 67"):
        w.solve("bytes", 200_000)
    a = w.solve("activations", 200_000)
    assert a.value >= 67 and w.domain.contains({w.symbol("R"): a.value})


def test_sweep_marks_points_outside_and_refuses_undeclared_values():
    w = whatif("alexnet", resolution="R")
    data = w.sweep({"R": [10, 50, 66, 67, 70]}, quantities=("params",))
    assert list(data["valid"]) == [False, False, False, True, True]
    assert [_exists("alexnet", r) for r in (10, 50, 66, 67, 70)] == list(data["valid"])
    with pytest.raises(SymcnnError, match="positive integer"):
        w.sweep({"R": [symcnn_rational(1, 2), 1]})
    w2 = whatif("alexnet", width="alpha")
    with pytest.raises(SymcnnError, match="positive"):
        w2.sweep({"alpha": [-1, 1]})


def symcnn_rational(p, q):
    import sympy as sp

    return sp.Rational(p, q)


def test_shares_at_the_point_asked_not_at_one():
    """vgg16 with width and resolution symbolic: fc7's share of the multiply-adds at 224 is about 0.001
    (16,777,216 of 15.47 G), not the ~0.998 that putting 1 in for every symbol gives."""
    w = whatif("vgg16", width="alpha", resolution="R")
    shares = dict(w.shares_at("macs"))
    t = symcnn.load("vgg16").derive()
    assert shares["fc7"] == symcnn_rational(int(t.row("fc7").macs), int(t.totals["macs"]))
    assert float(shares["fc7"]) < 0.002
    small = dict(w.shares_at("macs", {"R": 32}))
    t32 = symcnn.load("vgg16").with_input(type(t.input)(3, 32, 32)).derive()
    assert small["fc7"] == symcnn_rational(int(t32.row("fc7").macs), int(t32.totals["macs"]))


def test_limit_shares_match_large_resolutions():
    """The exact limit as R grows agrees with the shares at a large R."""
    w = whatif("alexnet", resolution="R")
    (name, limit), *_ = w.limit_shares("macs", w.symbol("R"))
    at = dict(w.shares_at("macs", {"R": 227 * 64}))
    assert name == "conv2" and abs(float(at[name] - limit)) < 0.01


def test_cli_at_and_refusals(tmp_path):
    rc, out, err = run_cli(["whatif", "vgg16", "--width", "alpha", "--resolution", "R", "-q", "macs", "--at",
                            "R=32"], directory=tmp_path)
    assert rc == 0 and "largest shares at R = 32, alpha = 1" in out
    for argv, needle in ((["--width", "alpha", "--resolution", "R", "--at", "R=0"], "R is positive"),
                         (["--resolution", "R", "--at", "Q=3"], "no symbol 'Q'"),
                         (["--resolution", "R", "--sweep", "R=0.5:3:0.5"], "positive integer"),
                         (["--width", "alpha", "--sweep", "alpha=-1:1:0.5"], "alpha is positive")):
        rc, out, err = run_cli(["whatif", "alexnet", *argv], codes=(2,), directory=tmp_path)
        assert needle in err


@pytest.mark.parametrize("name", ["alexnet", "lenet5", "vgg11"])
def test_exact_division_gives_the_progression_of_whole_sizes(name):
    """Under --exact every size must be whole: the progression the domain states is exactly the set of
    inputs the network derives on with numbers (every R from 1 to 200 tried)."""
    from symcnn.convention import Convention

    exact = Convention(division="exact")
    w = whatif(name, resolution="R", convention=exact)
    (bound,) = w.domain.bounds.values()
    step = int(bound.reason.split(" + ")[1].split("k")[0])
    net = symcnn.load(name)
    for r in range(1, 201):
        try:
            net.with_input(type(net.input)(net.input.c, r, r)).derive(exact)
            derives = True
        except SymcnnError:
            derives = False
        assert derives == (r >= bound.low and (r - bound.low) % step == 0), r
