"""Every zoo network's totals, each derived a second way here (the arithmetic
written out in plain Python), and compared with published figures.

Published figures: torchvision's model documentation (num_params and GFLOPS,
which are multiply-adds, rounded to two decimals); the GoogLeNet paper's
"budget of 1.5 billion multiply-adds"; Araujo et al. (Distill 2019) for the
receptive field of ResNet-50 v1.
"""

from __future__ import annotations

import pytest

import symcnn
from symcnn import zoo


def conv(cin, cout, k, hout, wout=None, bias=True, groups=1):
    """(weights, biases, macs) of a conv layer, by hand."""
    wout = hout if wout is None else wout
    weights = cout * (cin // groups) * k * k
    return weights, (cout if bias else 0), weights * hout * wout


def fc(n_in, n_out, bias=True):
    return n_in * n_out, (n_out if bias else 0), n_in * n_out


def totals(layers):
    w = sum(l[0] for l in layers)
    b = sum(l[1] for l in layers)
    m = sum(l[2] for l in layers)
    return w, b, m


def check(name, layers, *, activations=None):
    t = symcnn.table(name).totals
    w, b, m = totals(layers)
    assert (t["weights"], t["biases"], t["params"], t["macs"]) == (w, b, w + b, m)
    assert t["flops"] == 2 * m
    if activations is not None:
        assert t["activations"] == activations
        assert t["bytes_forward"] == 4 * activations
        assert t["bytes_forward_backward"] == 8 * activations
    return t


def test_zoo_lists_every_required_network():
    required = {"lenet5", "alexnet", "alexnet-224", "alexnet-torchvision", "zfnet", "vgg11", "vgg13", "vgg16",
                "vgg19", "vgg16-bn", "inception-naive", "inception-reduced", "googlenet", "resnet18", "resnet50"}
    assert required <= set(zoo.names())


@pytest.mark.parametrize("name", zoo.names())
def test_every_zoo_file_says_what_it_follows(name):
    text = zoo.text(name)
    assert text.startswith("#")
    net = zoo.load(name)
    assert net.source and net.title


def test_lenet5():
    layers = [conv(1, 6, 5, 28), conv(6, 16, 5, 10), fc(400, 120), fc(120, 84), fc(84, 10)]
    # input 32x32; conv1 6x28x28; pool 6x14x14; conv2 16x10x10; pool 16x5x5; fc 120, 84, 10
    acts = 32 * 32 + 6 * 28 * 28 + 6 * 14 * 14 + 16 * 10 * 10 + 16 * 5 * 5 + 120 + 84 + 10
    t = check("lenet5", layers, activations=acts)
    assert t["params"] == 61706  # 156 + 2416 + 48120 + 10164 + 850


def alexnet_layers(size, c=(96, 256, 384, 384, 256), fc_in_side=None):
    h1 = (size - 11) // 4 + 1
    p1 = (h1 - 3) // 2 + 1
    p2 = (p1 - 3) // 2 + 1
    p5 = (p2 - 3) // 2 + 1
    side = fc_in_side or p5
    return [
        conv(3, c[0], 11, h1), conv(c[0], c[1], 5, p1), conv(c[1], c[2], 3, p2), conv(c[2], c[3], 3, p2),
        conv(c[3], c[4], 3, p2), fc(c[4] * side * side, 4096), fc(4096, 4096), fc(4096, 1000),
    ], (h1, p1, p2, p5)


def test_alexnet_227():
    layers, sizes = alexnet_layers(227)
    assert sizes == (55, 27, 13, 6)
    t = check("alexnet", layers)
    assert t["params"] == 62_378_344  # the often-quoted "62.3 million"
    assert symcnn.table("alexnet").notes == []  # 227 tiles exactly


def test_alexnet_224_shows_where_arithmetic_stops_being_integral():
    layers, sizes = alexnet_layers(224)
    assert sizes == (54, 26, 12, 5)
    check("alexnet-224", layers)
    t = symcnn.table("alexnet-224")
    assert t.notes[0].startswith("conv1: height: (224 - 11 + 2*0)/4 + 1 = 54.25 is not an integer")
    with pytest.raises(symcnn.DerivationError, match="conv1.*54.25.*does not tile"):
        symcnn.table("alexnet-224", symcnn.Convention(division="exact"))


def test_alexnet_torchvision_published():
    # conv1 (224 + 2*2 - 11)//4 + 1 = 55; pools 27, 13, 6; adaptive pool keeps 6x6
    layers = [conv(3, 64, 11, 55), conv(64, 192, 5, 27), conv(192, 384, 3, 13), conv(384, 256, 3, 13),
              conv(256, 256, 3, 13), fc(256 * 6 * 6, 4096), fc(4096, 4096), fc(4096, 1000)]
    t = check("alexnet-torchvision", layers)
    assert t["params"] == 61_100_840  # torchvision AlexNet_Weights: num_params
    assert round(int(t["macs"]) / 1e9, 2) == 0.71  # torchvision: 0.71 GFLOPS


def test_zfnet_sizes_and_params():
    t = symcnn.table("zfnet")
    sizes = [int(r.output.h) for r in t.rows if r.kind in ("conv", "maxpool")]
    assert sizes == [110, 55, 26, 13, 13, 13, 13, 6]  # the paper's figure 3
    layers = [conv(3, 96, 7, 110), conv(96, 256, 5, 26), conv(256, 384, 3, 13), conv(384, 384, 3, 13),
              conv(384, 256, 3, 13), fc(256 * 6 * 6, 4096), fc(4096, 4096), fc(4096, 1000)]
    check("zfnet", layers)


VGG_STAGES = {"vgg11": (1, 1, 2, 2, 2), "vgg13": (2, 2, 2, 2, 2), "vgg16": (2, 2, 3, 3, 3),
              "vgg19": (2, 2, 4, 4, 4)}
VGG_PUBLISHED = {  # torchvision: num_params, GFLOPS (= GMACs)
    "vgg11": (132_863_336, 7.61), "vgg13": (133_047_848, 11.31), "vgg16": (138_357_544, 15.47),
    "vgg19": (143_667_240, 19.63),
}


def vgg_layers(stages):
    layers, acts, cin, side = [], 3 * 224 * 224, 3, 224
    for n, c in zip(stages, (64, 128, 256, 512, 512)):
        for _ in range(n):
            layers.append(conv(cin, c, 3, side))
            acts += c * side * side
            cin = c
        side //= 2
        acts += c * side * side  # the pool's output
    layers += [fc(512 * 7 * 7, 4096), fc(4096, 4096), fc(4096, 1000)]
    acts += 4096 + 4096 + 1000
    return layers, acts


@pytest.mark.parametrize("name", sorted(VGG_STAGES))
def test_vgg(name):
    layers, acts = vgg_layers(VGG_STAGES[name])
    t = check(name, layers, activations=acts)
    params, gmacs = VGG_PUBLISHED[name]
    assert t["params"] == params
    assert round(int(t["macs"]) / 1e9, 2) == gmacs


def test_vgg16_memory_as_cs231n_lays_it_out():
    # CS231n's VGG16 table: 224*224*3 = 150K input, 3.2M per 64-channel conv, ...
    # summing its own rows gives about 15.2M activations (its "24M" total is a
    # known slip): 61 MB forward per image in float32, twice that with backward.
    t = symcnn.table("vgg16").totals
    assert t["activations"] == 15_237_608
    assert t["bytes_forward"] == 15_237_608 * 4 == 60_950_432
    assert t["weights"] == 138_357_544 - (2 * 64 + 2 * 128 + 3 * 256 + 6 * 512 + 4096 + 4096 + 1000)


def test_vgg16_bn():
    layers, _acts = vgg_layers(VGG_STAGES["vgg16"])
    bn = [(c, c, 0) for n, c in zip(VGG_STAGES["vgg16"], (64, 128, 256, 512, 512)) for _ in range(n)]
    t = symcnn.table("vgg16-bn").totals
    w, b, m = totals(layers + bn)
    assert (t["weights"], t["biases"], t["macs"]) == (w, b, m)
    assert t["params"] == 138_365_992  # torchvision VGG16_BN_Weights


def inception_layers(cin, side, c1, r3, c3, r5, c5, pp, *, k5=5, bias=True):
    return [conv(cin, c1, 1, side, bias=bias), conv(cin, r3, 1, side, bias=bias), conv(r3, c3, 3, side, bias=bias),
            conv(cin, r5, 1, side, bias=bias), conv(r5, c5, k5, side, bias=bias), conv(cin, pp, 1, side, bias=bias)]


def test_inception_modules_problem_p7():
    naive = [conv(256, 128, 1, 32), conv(256, 192, 3, 32), conv(256, 96, 5, 32)]
    check("inception-naive", naive)
    reduced = inception_layers(256, 32, 128, 128, 192, 32, 96, 64)
    check("inception-reduced", reduced)
    assert symcnn.table("inception-naive").rows[-1].output.as_tuple() == (128 + 192 + 96 + 256, 32, 32)
    assert symcnn.table("inception-reduced").rows[-1].output.as_tuple() == (128 + 192 + 96 + 64, 32, 32)


GOOGLENET_MODULES = [  # (cin, side, c1, r3, c3, r5, c5, pp) from the paper's table 1
    (192, 28, 64, 96, 128, 16, 32, 32), (256, 28, 128, 128, 192, 32, 96, 64),
    (480, 14, 192, 96, 208, 16, 48, 64), (512, 14, 160, 112, 224, 24, 64, 64),
    (512, 14, 128, 128, 256, 24, 64, 64), (512, 14, 112, 144, 288, 32, 64, 64),
    (528, 14, 256, 160, 320, 32, 128, 128), (832, 7, 256, 160, 320, 32, 128, 128),
    (832, 7, 384, 192, 384, 48, 128, 128),
]


def test_googlenet_paper():
    layers = [conv(3, 64, 7, 112), conv(64, 64, 1, 56), conv(64, 192, 3, 56)]
    for m in GOOGLENET_MODULES:
        layers += inception_layers(*m)
    layers.append(fc(1024, 1000))
    t = check("googlenet", layers)
    # "a computational budget of 1.5 billion multiply-adds at inference time"
    assert 1.5e9 <= t["macs"] <= 1.6e9


def test_googlenet_torchvision_published():
    layers = [conv(3, 64, 7, 112, bias=False), conv(64, 64, 1, 56, bias=False), conv(64, 192, 3, 56, bias=False)]
    channels = [64, 64, 192]
    for m in GOOGLENET_MODULES:
        layers += inception_layers(*m, k5=3, bias=False)
        channels += list(m[2:])
    bn = [(c, c, 0) for c in channels]
    t = symcnn.table("googlenet-torchvision").totals
    w, b, m = totals(layers + bn + [fc(1024, 1000)])
    assert (t["weights"], t["biases"], t["macs"]) == (w, b, m)
    assert t["params"] == 6_624_904  # torchvision GoogLeNet_Weights
    assert round(int(t["macs"]) / 1e9, 2) == 1.50


def resnet_layers(blocks, bottleneck):
    layers = [conv(3, 64, 7, 112, bias=False)]
    bn = [64]
    cin, side = 64, 56
    for stage, (n, width) in enumerate(zip(blocks, (64, 128, 256, 512))):
        for i in range(n):
            stride = 2 if (i == 0 and stage > 0) else 1
            out_side = side // stride
            if bottleneck:
                cout = 4 * width
                layers += [conv(cin, width, 1, side, bias=False), conv(width, width, 3, out_side, bias=False),
                           conv(width, cout, 1, out_side, bias=False)]
                bn += [width, width, cout]
            else:
                cout = width
                layers += [conv(cin, width, 3, out_side, bias=False), conv(width, width, 3, out_side, bias=False)]
                bn += [width, width]
            if i == 0 and (stride != 1 or cin != cout):
                layers.append(conv(cin, cout, 1, out_side, bias=False))
                bn.append(cout)
            cin, side = cout, out_side
    layers.append(fc(cin, 1000))
    return layers + [(c, c, 0) for c in bn]


@pytest.mark.parametrize("name, blocks, bottleneck, params, gmacs", [
    ("resnet18", (2, 2, 2, 2), False, 11_689_512, 1.81),
    ("resnet50", (3, 4, 6, 3), True, 25_557_032, 4.09),
])
def test_resnet_published(name, blocks, bottleneck, params, gmacs):
    t = symcnn.table(name).totals
    w, b, m = totals(resnet_layers(blocks, bottleneck))
    assert (t["weights"], t["biases"], t["macs"]) == (w, b, m)
    assert t["params"] == params  # torchvision ResNet*_Weights: num_params
    assert round(int(t["macs"]) / 1e9, 2) == gmacs


def test_resnet50_receptive_field_matches_araujo():
    """Araujo et al. (Distill 2019) give 483 for ResNet-50 v1 (stride in the
    first 1x1 of a downsampling block).  Moving the strides there in our spec
    must give 483; torchvision's v1.5 layout gives 427 (each stride-2 3x3 sees
    a finer grid)."""
    text = zoo.text("resnet50")
    v1 = text.replace("conv1: conv w k=1 bias=false\n    bn1: bn\n    relu\n    conv2: conv w k=3 s=s p=1",
                      "conv1: conv w k=1 s=s bias=false\n    bn1: bn\n    relu\n    conv2: conv w k=3 p=1")
    assert v1 != text
    last_add = lambda t: [r for r in t.rows if r.kind == "add"][-1]  # noqa: E731
    assert last_add(symcnn.loads(v1).derive()).rf == (483, 483)
    assert last_add(symcnn.table("resnet50")).rf == (427, 427)


@pytest.mark.parametrize("name", zoo.names())
def test_every_zoo_network_derives_with_consistent_columns(name):
    t = symcnn.table(name)
    for r in t.rows:
        if r.kind == "conv":  # the weights and biases spelled out from the layer's fields and its input
            a = r.layer.arg_dict
            assert r.weights == a["k"][0] * a["k"][1] * (r.input.c / a["g"]) * r.output.c, r.name
            assert r.biases == (r.output.c if a["bias"] else 0), r.name
        assert r.activations == r.output.c * r.output.h * r.output.w
        assert r.flops == 2 * r.macs
        assert all(v.is_Integer and v > 0 for v in r.output.as_tuple()), r.name
    classes = 10 if name.startswith("lenet5") else 1000
    if name in ("inception-naive", "inception-reduced"):  # one module, not a classifier
        assert t.rows[-1].kind == "concat"
    else:
        assert t.rows[-1].output.as_tuple() == (classes, 1, 1)


def test_lenet5_papers_partially_connected_c3_against_its_connection_table():
    """Table I of LeCun et al. 1998: 6 maps read 3 contiguous S2 maps, 9 read 4, 1 reads all 6."""
    table_i = [[1, 1, 1, 0, 0, 0], [0, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1], [1, 0, 0, 0, 1, 1],
               [1, 1, 0, 0, 0, 1], [1, 1, 1, 1, 0, 0], [0, 1, 1, 1, 1, 0], [0, 0, 1, 1, 1, 1], [1, 0, 0, 1, 1, 1],
               [1, 1, 0, 0, 1, 1], [1, 1, 1, 0, 0, 1], [1, 1, 0, 1, 1, 0], [0, 1, 1, 0, 1, 1], [1, 0, 1, 1, 0, 1],
               [1, 1, 1, 1, 1, 1]]
    pairs = sum(map(sum, table_i))
    c3 = symcnn.table("lenet5-paper").row("conv2")
    assert (c3.weights, c3.biases, c3.params) == (25 * pairs, 16, 25 * pairs + 16) == (1500, 16, 1516)
    assert c3.macs == 10 * 10 * 25 * pairs
