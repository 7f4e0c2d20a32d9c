"""symcnn against real PyTorch layers.  Marked `torch`: without PyTorch these
tests are skipped (run the rest with `pytest -m "not torch"`); CI installs
symcnn[torch] and sets SYMCNN_REQUIRE_TORCH=1 so they cannot be skipped there."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import symcnn
from symcnn import zoo
from symcnn.cli import main
from symcnn.errors import SymcnnError

if os.environ.get("SYMCNN_REQUIRE_TORCH") == "1":
    import torch
torch = pytest.importorskip("torch")
nn = torch.nn

pytestmark = pytest.mark.torch

from symcnn.pytorch import from_torch, to_torch  # noqa: E402


def forward_shape(module, c, h, w):
    module.eval()
    with torch.no_grad():
        y = module(torch.zeros(1, c, h, w))
    return tuple(y.shape[1:])


def sym_shape(row, table=None):
    """The shape PyTorch gives: a flattened vector (after a flatten, linear layer, global mean or
    token select) has one axis."""
    out = tuple(int(v) for v in row.output.as_tuple())
    rows = list(table.rows[: table.rows.index(row) + 1]) if table is not None else [row]
    flat = any(r.kind in ("linear", "flatten", "mean", "token") for r in rows)
    return (out[0],) if flat and out[1:] == (1, 1) else out


def count_macs(module, c, h, w) -> int:
    """Multiply-adds counted from the real tensors a forward pass produces."""
    total = 0

    def conv_hook(m, inp, out):
        nonlocal total
        total += out[0].numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear_hook(m, inp, out):
        nonlocal total
        total += out[0].numel() * m.in_features

    hooks = [m.register_forward_hook(conv_hook) for m in module.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(linear_hook) for m in module.modules() if isinstance(m, nn.Linear)]
    module.eval()
    with torch.no_grad():
        module(torch.zeros(1, c, h, w))
    for hk in hooks:
        hk.remove()
    return total


conv_case = st.fixed_dictionaries({
    "gin": st.integers(1, 3), "gout": st.integers(1, 3), "g": st.integers(1, 4), "h": st.integers(1, 23),
    "w": st.integers(1, 23), "kh": st.integers(1, 5), "kw": st.integers(1, 5), "sh": st.integers(1, 3),
    "sw": st.integers(1, 3), "ph": st.integers(0, 3), "pw": st.integers(0, 3), "d": st.integers(1, 3),
    "bias": st.booleans(),
})


@settings(max_examples=1500)
@given(case=conv_case)
def test_random_conv_layers(case):
    c = case
    cin, cout = c["gin"] * c["g"], c["gout"] * c["g"]
    assume(c["h"] + 2 * c["ph"] >= c["d"] * (c["kh"] - 1) + 1 and c["w"] + 2 * c["pw"] >= c["d"] * (c["kw"] - 1) + 1)
    layer = nn.Conv2d(cin, cout, (c["kh"], c["kw"]), stride=(c["sh"], c["sw"]), padding=(c["ph"], c["pw"]),
                      dilation=c["d"], groups=c["g"], bias=c["bias"])
    spec = (f"input {cin} {c['h']} {c['w']}\nconv {cout} k={c['kh']},{c['kw']} s={c['sh']},{c['sw']} "
            f"p={c['ph']},{c['pw']} d={c['d']} g={c['g']} bias={str(c['bias']).lower()}")
    t = symcnn.loads(spec).derive()
    assert sym_shape(t.rows[0]) == forward_shape(layer, cin, c["h"], c["w"])
    assert t.totals["params"] == sum(p.numel() for p in layer.parameters())
    assert t.totals["macs"] == count_macs(layer, cin, c["h"], c["w"])


pool_case = st.fixed_dictionaries({
    "max": st.booleans(), "c": st.integers(1, 4), "h": st.integers(1, 25), "w": st.integers(1, 25),
    "k": st.integers(1, 5), "s": st.integers(1, 4), "p": st.integers(0, 2), "d": st.integers(1, 2),
    "ceil": st.booleans(),
})


@settings(max_examples=1500)
@given(case=pool_case)
def test_random_pool_layers(case):
    c = case
    d = c["d"] if c["max"] else 1
    span = d * (c["k"] - 1) + 1
    assume(2 * c["p"] <= c["k"] and c["h"] + 2 * c["p"] >= span and c["w"] + 2 * c["p"] >= span)
    if c["max"]:
        layer = nn.MaxPool2d(c["k"], c["s"], c["p"], dilation=d, ceil_mode=c["ceil"])
        spec = f"maxpool k={c['k']} s={c['s']} p={c['p']} d={d} ceil={str(c['ceil']).lower()}"
    else:
        layer = nn.AvgPool2d(c["k"], c["s"], c["p"], ceil_mode=c["ceil"])
        spec = f"avgpool k={c['k']} s={c['s']} p={c['p']} ceil={str(c['ceil']).lower()}"
    t = symcnn.loads(f"input {c['c']} {c['h']} {c['w']}\n{spec}").derive()
    assert sym_shape(t.rows[0]) == forward_shape(layer, c["c"], c["h"], c["w"])
    assert t.totals["params"] == 0


@settings(max_examples=300)
@given(c=st.integers(1, 8), h=st.integers(1, 20), o=st.integers(1, 7), n_out=st.integers(1, 30),
       affine=st.booleans(), bias=st.booleans())
def test_random_adaptive_bn_linear(c, h, o, n_out, affine, bias):
    spec = f"input {c} {h} {h}\nbn affine={str(affine).lower()}\nadaptiveavgpool {o}\nflatten\nlinear {n_out} bias={str(bias).lower()}"
    t = symcnn.loads(spec).derive()
    module = nn.Sequential(nn.BatchNorm2d(c, affine=affine), nn.AdaptiveAvgPool2d(o), nn.Flatten(),
                           nn.Linear(c * o * o, n_out, bias=bias))
    assert forward_shape(module, c, h, h) == (n_out,)
    assert t.totals["params"] == sum(p.numel() for p in module.parameters())
    assert t.totals["macs"] == count_macs(module, c, h, h)


stack_layer = st.one_of(
    st.tuples(st.just("conv"), st.integers(1, 4), st.integers(1, 2), st.integers(0, 2), st.integers(1, 2)),
    st.tuples(st.just("avgpool"), st.integers(2, 3), st.integers(1, 2), st.integers(0, 1), st.just(1)),
)


@settings(max_examples=300)
@given(layers=st.lists(stack_layer, min_size=1, max_size=5), size=st.integers(40, 96))
def test_random_stacks_and_receptive_fields_by_gradient(layers, size):
    """Shapes of a stack, and its receptive field: the input pixels with a
    non-zero gradient for one output pixel of a positive-weight stack.

    The recurrences give a pixel's field exactly when the field lies inside
    the image (near a border the real support is cut by padding and by rows
    a floor never covers), so the pixel is chosen inside; any pixel's
    support must lie within its field."""
    lines, mods = [f"input 1 {size} {size}"], []
    for kind, k, s, p, d in layers:
        if kind == "conv":
            lines.append(f"conv 1 k={k} s={s} p={p} d={d} bias=false")
            m = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
            nn.init.constant_(m.weight, 1.0)
        else:
            p = min(p, k // 2)
            lines.append(f"avgpool k={k} s={s} p={p}")
            m = nn.AvgPool2d(k, s, p)
        mods.append(m)
    try:
        t = symcnn.loads("\n".join(lines)).derive()
    except symcnn.DerivationError:
        assume(False)
    net = nn.Sequential(*mods)
    x = (torch.rand(1, 1, size, size) + 0.5).requires_grad_(True)
    y = net(x)
    assert tuple(y.shape[1:]) == sym_shape(t.rows[-1])
    f = t.rows[-1].field
    r, j, c0 = int(f.rh), int(f.jh), float(f.starth)

    def field(o):
        centre = c0 + o * j
        return centre - (r - 1) / 2, centre + (r - 1) / 2

    inside = [o for o in range(y.shape[2]) if field(o)[0] >= 0 and field(o)[1] <= size - 1]
    corner = y.shape[2] - 1
    for o, exact in ([(inside[len(inside) // 2], True)] if inside else []) + [(corner, False)]:
        x.grad = None
        net(x)[0, 0, o, o].backward()
        rows, cols = torch.nonzero(x.grad[0, 0] > 0, as_tuple=True)
        lo, hi = field(o)
        if not exact and rows.numel() == 0:
            continue  # a corner pixel that sees only padding: the empty set is within any field
        got_r = (rows.min().item(), rows.max().item())
        got_c = (cols.min().item(), cols.max().item())
        if exact:
            assert got_r == (lo, hi) and got_c == (lo, hi)
        else:
            assert lo <= got_r[0] and got_r[1] <= hi and lo <= got_c[0] and got_c[1] <= hi


#: zoo networks with kinds torch.nn has no module for (export refuses them, naming the layer)
NOT_EXPORTABLE = {"shufflenet-v2-x1": "split", "convnext-tiny": "layer norm", "vit-b-16": "tokens",
                  "lenet5-paper": "partialconv"}  # C3's connection table has no torch.nn module
#: kinds that are no-ops at inference: exported as nn.Identity, they read back as nothing
NO_OPS = {"identity", "stochasticdepth"}


@pytest.mark.parametrize("name", [n for n in zoo.names() if n not in NOT_EXPORTABLE])
def test_zoo_exports_and_reads_back(name):
    net = symcnn.load(name)
    t = net.derive()
    module = to_torch(net)
    c, h, w = (int(v) for v in net.input.as_tuple())
    assert sum(p.numel() for p in module.parameters()) == t.totals["params"]
    assert forward_shape(module, c, h, w) == sym_shape(t.rows[-1], t)
    assert count_macs(module, c, h, w) == t.totals["macs"]
    back = from_torch(module, (c, h, w)).derive()
    assert {k: back.totals[k] for k in ("params", "macs", "flops")} == {k: t.totals[k] for k in ("params", "macs", "flops")}
    rows = lambda table: [(r.kind, r.output, r.params) for r in table.rows if r.kind not in NO_OPS]  # noqa: E731
    assert rows(back) == rows(t)


@pytest.mark.parametrize("name", list(NOT_EXPORTABLE))
def test_zoo_export_refuses_what_torch_nn_cannot_build(name):
    with pytest.raises(SymcnnError) as err:
        to_torch(symcnn.load(name))
    assert NOT_EXPORTABLE[name] in str(err.value) and "\n" not in str(err.value)


MODEL = '''
import torch
from torch import nn
import torch.nn.functional as F

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.conv2(y))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.block = Block(16)
        self.a = nn.Conv2d(16, 8, 1)
        self.b = nn.Sequential(nn.Conv2d(16, 4, 1), nn.ReLU(), nn.Conv2d(4, 8, 3, padding=1))
        self.fc = nn.Linear(16, 10)
    def forward(self, x):
        x = self.block(F.relu(self.stem(x)))
        x = torch.cat([self.a(x), self.b(x)], dim=1)
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(x.view(x.size(0), -1))

class WithSort(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3)
    def forward(self, x):
        return torch.sort(self.c(x), dim=1)[0]
'''


def test_user_model_through_the_cli(tmp_path, capsys):
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    ns = {}
    exec(compile(MODEL, "model", "exec"), ns)
    params = sum(p.numel() for p in ns["Net"]().parameters())
    assert main(["table", "--torch", f"{path}:Net", "--input", "3,32,32", "-f", "json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["params"] == params
    assert [l["kind"] for l in data["layers"]].count("add") == 1
    assert [l["kind"] for l in data["layers"]].count("concat") == 1
    # the same module's answer key, from the command line
    out = tmp_path / "keys"
    assert main(["answer-key", "--torch", f"{path}:Net", "--input", "3,32,32", "-o", str(out), "-f", "markdown"]) == 0
    capsys.readouterr()
    (page,) = out.glob("*.md")
    text = page.read_text()
    assert "*Notation*" in text and f"| parameters with biases | {params:,} |" in text
    assert main(["table", "--torch", f"{path}:WithSort", "--input", "3,8,8"]) == 2
    err = capsys.readouterr().err
    assert "sort" in err and err.count("\n") == 1


def test_a_user_file_importing_a_library_that_imports_torchvision_is_read(tmp_path):
    """A file whose imports reach torchvision only through another library (timm does), in a fresh process where
    torchvision's compiled ops do not load beside the CPU torch: the import is tried again with the two op schemas
    declared, never refused with 'operator torchvision::nms does not exist'."""
    import importlib.util

    if importlib.util.find_spec("timm") is None:
        pytest.skip("timm is not installed")
    path = tmp_path / "via_timm.py"
    path.write_text("import timm\nimport torch.nn as nn\n\n"
                    "def build():\n    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))\n")
    run = subprocess.run([sys.executable, "-m", "symcnn", "table", "--torch", f"{path}:build", "--input", "3,8,8",
                          "-f", "json"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    import json

    assert json.loads(run.stdout)["totals"]["params"] == (27 * 4 + 4) + (144 * 2 + 2)


def test_export_cli_writes_runnable_source(tmp_path, capsys):
    out = tmp_path / "net.py"
    assert main(["export", "--torch", "googlenet-torchvision", "-o", str(out)]) == 0
    code = subprocess.run([sys.executable, "-c", f"import runpy, torch; m = runpy.run_path({str(out)!r})['build']();"
                           "print(sum(p.numel() for p in m.parameters()), tuple(m(torch.zeros(1,3,224,224)).shape))"],
                          capture_output=True, text=True, timeout=300)
    assert code.returncode == 0, code.stderr
    assert code.stdout.split()[0] == "6624904"


def test_export_needs_numbers(capsys):
    assert main(["export", "--torch", "examples/mynet.cnn"]) == 2
    assert "export needs numbers" in capsys.readouterr().err


FIXED_SIZE = '''
import torch
from torch import nn


class Fixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 32 * 32, 10)
    def forward(self, x):
        return self.fc(torch.flatten(self.c(x), 1))
'''


def test_a_module_that_does_not_run_at_the_input_is_one_line(tmp_path, capsys):
    """torch.fx's ShapeProp prints a traceback before it raises: the user sees symcnn's one line, which names
    the node and torch's own reason."""
    path = tmp_path / "fixed.py"
    path.write_text(FIXED_SIZE)
    for command in (["table"], ["answer-key", "-o", str(tmp_path / "keys")]):
        assert main([*command, "--torch", f"{path}:Fixed", "--input", "3,8,8"]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "at fc" in err and "cannot be multiplied" in err
    assert not (tmp_path / "keys").exists()


def test_a_module_that_never_returns_is_refused_within_its_time_budget(tmp_path, capsys, monkeypatch):
    """An endless loop at import or in __init__ (even one inside 'except Exception') is cut off by the time
    budget (SYMCNN_TORCH_SECONDS) with one line, instead of hanging the command."""
    import time

    monkeypatch.setenv("SYMCNN_TORCH_SECONDS", "2")
    (tmp_path / "at_import.py").write_text("import torch\nwhile True:\n    pass\n")
    (tmp_path / "in_init.py").write_text(
        "import torch\nfrom torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        while True:\n            try:\n                pass\n"
        "            except Exception:\n                pass\n")
    for spec in (f"{tmp_path / 'at_import.py'}:Net", f"{tmp_path / 'in_init.py'}:Net"):
        start = time.monotonic()
        assert main(["table", "--torch", spec, "--input", "3,8,8"]) == 2
        err = capsys.readouterr().err
        assert time.monotonic() - start < 15 and "did not finish within 2 s" in err
        assert len(err.strip().splitlines()) == 1
