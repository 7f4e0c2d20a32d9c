"""The torch import contract (issue 12): every node of the traced graph is
accounted for or refused by name; every parameter tensor is counted exactly
once or the import is refused; parameters no traced layer runs are listed.

Random modules are built from a small vocabulary: shared submodules applied
several times, adds of constants and of learned tensors, reshapes of several
kinds, residual adds and channel concatenations.  Whatever symcnn accepts must
agree with ``numel()`` and with multiply-adds counted by forward hooks on the
real tensors; whatever it refuses must be refused with one line naming a node
or module."""

from __future__ import annotations

import os

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symcnn.errors import SymcnnError

if os.environ.get("SYMCNN_REQUIRE_TORCH") == "1":
    import torch
torch = pytest.importorskip("torch")
nn = torch.nn

pytestmark = pytest.mark.torch

from symcnn.pytorch import from_torch  # noqa: E402

from .harness import exact_against_torch as _exact_against_torch  # noqa: E402
from .harness import scaled  # noqa: E402
from .test_torch import count_macs  # noqa: E402


def numel(module) -> int:
    return sum(p.numel() for p in module.parameters())  # unique tensors: shared ones once


class Step(nn.Module):
    """One random step applied to x (C channels, H x W), keeping the shape."""

    def __init__(self, op: str, c: int, shared: nn.Module | None):
        super().__init__()
        self.op = op
        if op in ("conv", "shared", "residual", "concat", "constant", "param"):
            self.conv = shared if op == "shared" else nn.Conv2d(c, c, 3, padding=1)
        if op == "concat":
            self.other = nn.Conv2d(c, c, 1)
            self.squeeze = nn.Conv2d(2 * c, c, 1)
        if op == "param":
            self.offset = nn.Parameter(torch.zeros(1, c, 1, 1))

    def forward(self, x):
        if self.op in ("conv", "shared"):
            return torch.relu(self.conv(x))
        if self.op == "residual":
            return self.conv(x) + x
        if self.op == "concat":
            return self.squeeze(torch.cat([self.conv(x), self.other(x)], 1))
        if self.op == "constant":
            return self.conv(x) + 1
        if self.op == "param":
            return self.conv(x) + self.offset
        if self.op == "reshape-noop":
            return x.reshape(x.shape)
        if self.op == "view-split":
            return x.view(x.size(0), x.size(1), -1).view(x.shape)
        return x


class Head(nn.Module):
    def __init__(self, how: str, c: int, h: int, w: int):
        super().__init__()
        self.how = how
        self.fc = nn.Linear(c * h * w, 5)

    def forward(self, x):
        if self.how == "view":
            x = x.view(x.size(0), -1)
        elif self.how == "reshape":
            x = x.reshape(x.shape[0], -1)
        elif self.how == "flatten-kw":
            x = x.flatten(start_dim=1)
        elif self.how == "torch-flatten":
            x = torch.flatten(x, 1)
        else:
            x = nn.functional.relu(x).flatten(1)
        return self.fc(x)


class Net(nn.Module):
    """The steps applied as modules (``wrapped``: an operation no layer kind reads makes its step a composite layer,
    read operation by operation) or their code run in Net's own forward (the same operation is refused by name)."""

    def __init__(self, ops, head, c, h, w, unused: bool, wrapped: bool = False):
        super().__init__()
        self.wrapped = wrapped
        shared = nn.Conv2d(c, c, 3, padding=1)
        self.shared = shared
        self.steps = nn.ModuleList(Step(op, c, shared) for op in ops)
        self.head = Head(head, c, h, w)
        if unused:
            self.aux = nn.Sequential(nn.Conv2d(c, 2, 1), nn.Linear(2, 2))

    def forward(self, x):
        for s in self.steps:
            x = s(x) if self.wrapped else s.forward(x)
        return self.head(x)


OPS = ["conv", "shared", "residual", "concat", "constant", "param", "reshape-noop", "view-split", "none"]
#: refused at the model's own level (a learned offset added there is a composite layer of the add and the tensor; a
#: number added is an offset layer)
REFUSED = {"view-split": "view"}


@settings(max_examples=scaled(300), deadline=None)
@given(ops=st.lists(st.sampled_from(OPS), min_size=1, max_size=5),
       head=st.sampled_from(["view", "reshape", "flatten-kw", "torch-flatten", "relu-flatten"]),
       c=st.integers(1, 4), h=st.integers(3, 7), w=st.integers(3, 7), unused=st.booleans(), wrapped=st.booleans())
def test_random_modules_are_counted_exactly_or_refused_by_name(ops, head, c, h, w, unused, wrapped):
    torch.manual_seed(0)
    module = Net(ops, head, c, h, w, unused, wrapped)
    # a map viewed as tokens and back is read (tokens, untokens) unless its channels equal its positions, when
    # which axis is which cannot be told from the shapes; inside a module of its own any of these is read as that
    # module's operations (a composite layer)
    refused = [op for op in ops if op in REFUSED and (op != "view-split" or c == h * w)] if not wrapped else []
    try:
        net = from_torch(module, (c, h, w))
    except SymcnnError as exc:
        message = exc.oneline()
        assert refused, (ops, head, message)
        assert "\n" not in message and "graph node" in message, message
        return
    assert not refused, (ops, head)
    table = net.derive()
    aux = sum(p.numel() for p in module.aux.parameters()) if unused else 0
    # the shared conv is a parameter of the module even when no step applies it
    shared_unused = "shared" not in ops
    expected = numel(module) - aux - (numel(module.shared) if shared_unused else 0)
    assert table.totals["params"] == expected, (ops, head)
    not_run = dict(net.not_run)
    assert sum(not_run.values()) == aux + (numel(module.shared) if shared_unused else 0)
    if unused:
        assert not_run.get("aux") == aux
    assert table.totals["macs"] == count_macs(module, c, h, w), (ops, head)
    assert table.rows[-1].output.c == 5


def test_a_module_applied_three_times_counts_its_parameters_once():
    class Thrice(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 3, 3, padding=1)

        def forward(self, x):
            return self.c(self.c(self.c(x)))

    m = Thrice()
    t = from_torch(m, (3, 8, 8)).derive()
    assert t.totals["params"] == numel(m) == 84
    assert t.totals["macs"] == count_macs(m, 3, 8, 8) == 3 * 8 * 8 * 3 * 27
    assert [r.layer.shares for r in t.rows] == [None, "c", "c"]


def test_a_number_added_is_an_offset_layer_and_one_minus_x_is_refused_not_truncated():
    class PlusOne(nn.Module):
        def __init__(self, minus=False):
            super().__init__()
            self.minus = minus
            self.c = nn.Conv2d(3, 8, 3)
            self.fc = nn.Linear(8 * 6 * 6, 10)

        def forward(self, x):
            y = self.c(x)
            return self.fc(torch.flatten(1 - y if self.minus else (y + 1) - 0.5, 1))

    table = from_torch(PlusOne(), (3, 8, 8)).derive()
    shifts = [(r.kind, r.params, r.macs, str(r.output), dict(r.layer.args)["value"]) for r in table.rows
              if r.kind == "offset"]
    assert shifts == [("offset", 0, 0, "8x6x6", 1), ("offset", 0, 0, "8x6x6", sp.Rational(-1, 2))]
    # 1 - y: the tensor negated as well, no offset layer (never read as y + 1): that stretch of the forward is read
    # as its operations
    table = _exact_against_torch(PlusOne(minus=True).eval(), (3, 8, 8))
    assert not any(r.kind == "offset" for r in table.rows)
    assert [r.name for r in table.rows if r.kind == "composite"] == ["forward@rsub..rsub"] or \
        any(r.name.startswith("forward@") for r in table.rows)


def test_tied_weights_between_modules_are_refused():
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(3, 3, 1)
            self.b = nn.Conv2d(3, 3, 1)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))

    with pytest.raises(SymcnnError, match="shares its parameter"):
        from_torch(Tied(), (3, 4, 4))


def test_the_module_is_left_in_its_training_mode():
    m = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Dropout())
    m.train()
    from_torch(m, (3, 8, 8))
    assert all(x.training for x in m.modules())
    m.eval()
    from_torch(m, (3, 8, 8))
    assert not any(x.training for x in m.modules())


class _FunctionalNormAct(torch.nn.Module):
    """As timm's BatchNormAct2d and its Linear: the module's own parameters passed to F.batch_norm and F.linear."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.weight = torch.nn.Parameter(torch.ones(8))
        self.bias = torch.nn.Parameter(torch.zeros(8))
        self.register_buffer("running_mean", torch.zeros(8))
        self.register_buffer("running_var", torch.ones(8))
        self.fc_weight = torch.nn.Parameter(torch.randn(10, 8))
        self.fc_bias = torch.nn.Parameter(torch.zeros(10))

    def forward(self, x):
        x = self.conv(x)
        x = torch.nn.functional.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                           False, 0.1, 1e-5)
        x = torch.relu(x)
        x = torch.nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return torch.nn.functional.linear(x, self.fc_weight, self.fc_bias)


def test_functional_batch_norm_and_linear_count_the_parameters_they_read_once():
    """F.batch_norm and F.linear with parameters no submodule owns (issue 25): counted once, on the layer that
    reads them (the running statistics are buffers, not parameters), and the multiply-adds are the module's."""
    m = _FunctionalNormAct().eval()
    table = from_torch(m, (3, 16, 16)).derive()
    assert int(table.totals["params"]) == sum(p.numel() for p in m.parameters()) == 3 * 8 * 9 + 16 + 80 + 10
    kinds = [r.kind for r in table.rows]
    assert "batchnorm" in kinds and kinds.count("linear") == 1
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.no_grad():
        m(torch.zeros(1, 3, 16, 16))
    assert 2 * int(table.totals["macs"]) == counter.get_total_flops()  # dispatch-level: 2 FLOPs per multiply-add


class _Slices(torch.nn.Module):
    """GhostNet's channel slice and MixNet's unequal split (issue 25)."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Conv2d(8, 3, 3, padding=1)
        self.b = torch.nn.Conv2d(5, 5, 5, padding=2)
        self.c = torch.nn.Conv2d(8, 4, 1)

    def forward(self, x):
        left, right = torch.split(x, [3, 5], dim=1)
        y = torch.cat([self.a(torch.cat([left, right], 1)), self.b(right)], 1)
        return self.c(y)[:, :2]


def test_channel_slices_and_unequal_splits_are_read_exactly():
    m = _Slices().eval()
    table = from_torch(m, (8, 6, 6)).derive()
    assert table.rows[-1].output.as_tuple() == (2, 6, 6)
    assert int(table.totals["params"]) == sum(p.numel() for p in m.parameters())
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.no_grad():
        m(torch.zeros(1, 8, 6, 6))
    assert 2 * int(table.totals["macs"]) == counter.get_total_flops()
    assert "channelslice" in {r.kind for r in table.rows}


def test_a_multiply_add_count_the_dispatcher_does_not_confirm_is_refused(monkeypatch):
    """from_torch holds the table's multiply-adds to FlopCounterMode's count on the same forward pass (issue 25):
    one multiply-add off, and the model is refused on one line instead of printed."""
    import symcnn.pytorch.tracing as T

    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU()).eval()
    assert from_torch(model, (3, 8, 8)).derive().totals["macs"] == 4 * 6 * 6 * 27
    original = T._propagate

    def off_by_one(gm, module, shape):
        original(gm, module, shape)
        gm.meta["flops"] += 2

    monkeypatch.setattr(T, "_propagate", off_by_one)
    with pytest.raises(SymcnnError, match="dispatcher counts 3,889") as info:
        from_torch(model, (3, 8, 8))
    assert "\n" not in str(info.value)


def test_multiply_adds_given_to_the_wrong_layer_are_refused_though_the_total_agrees(monkeypatch):
    """Each module layer is held to what the dispatcher counted inside that module: a count moved from one layer to
    another (the total unchanged) is refused, naming the layer."""
    import symcnn.pytorch.tracing as T

    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.Conv2d(4, 4, 3)).eval()
    from_torch(model, (3, 8, 8))  # exact as it is
    original = T._propagate

    def moved(gm, module, shape):
        original(gm, module, shape)
        gm.meta["flops_by_module"]["0"] += 2
        gm.meta["flops_by_module"]["2"] -= 2

    monkeypatch.setattr(T, "_propagate", moved)
    with pytest.raises(SymcnnError, match="layer '0'.*inside module '0'"):
        from_torch(model, (3, 8, 8))


class _Tokens(torch.nn.Module):
    """A vision transformer's shape of computation (issue 25): patches, tokens by flatten(2).transpose(1, 2), a
    scaling by a constant, a per-token linear layer, the mean of the tokens, a head; forward takes an optional
    argument, as timm's models do."""

    def __init__(self, channels=8):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, channels, 4, stride=4)
        self.mlp = torch.nn.Linear(channels, 12)
        self.head = torch.nn.Linear(12, 5)

    def forward(self, x, attn_mask=None):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.nn.functional.gelu(self.mlp(x * 0.5))
        return self.head(x.mean(dim=1))


def test_token_transposes_constant_scalings_and_token_means_are_read_exactly():
    m = _Tokens().eval()
    table = from_torch(m, (3, 16, 16)).derive()
    # spelled out: 16 patches of 4 x 4 x 3 into 8 channels; 16 tokens through 8 -> 12; the head 12 -> 5
    assert int(table.totals["params"]) == (48 * 8 + 8) + (8 * 12 + 12) + (12 * 5 + 5) == numel(m)
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 16 * 8 * 12 + 12 * 5
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.no_grad():
        m(torch.zeros(1, 3, 16, 16))
    assert 2 * int(table.totals["macs"]) == counter.get_total_flops()
    assert {"multiply", "mean", "tokens"} <= {r.kind for r in table.rows}


def test_a_square_token_transpose_is_refused_by_name():
    """16 channels on 16 tokens: after a swap of the two axes, which one a linear layer mixes cannot be told from
    the shapes (a token-mixing layer would read as a channel-mixing one): refused, never guessed, and never read as a
    stretch of operations either (that would take the same guess)."""
    with pytest.raises(SymcnnError, match="square token tensor") as info:
        from_torch(_Tokens(channels=16).eval(), (3, 16, 16))
    assert "\n" not in str(info.value)


class _UsesItsOption(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)

    def forward(self, x, bias=None):
        y = self.conv(x)
        return y if bias is None else y + bias


def test_an_optional_argument_is_traced_at_its_default():
    table = from_torch(_UsesItsOption().eval(), (3, 8, 8)).derive()
    assert [r.kind for r in table.rows] == ["conv"]


class _PoolMixer(torch.nn.Module):
    """PoolFormer's token mixer (issue 25): pool(x) - x, then a residual add."""

    def __init__(self, reverse=False):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.pool = torch.nn.AvgPool2d(3, 1, 1, count_include_pad=False)
        self.reverse = reverse

    def forward(self, x):
        x = self.conv(x)
        mixed = x - self.pool(x) if self.reverse else self.pool(x) - x
        return x + mixed


@pytest.mark.parametrize("reverse", [False, True])
def test_a_subtraction_of_paths_is_a_join_read_exactly(reverse):
    table = from_torch(_PoolMixer(reverse).eval(), (3, 8, 8)).derive()
    assert int(table.totals["params"]) == 3 * 9 * 8 + 8
    assert int(table.totals["macs"]) == 8 * 8 * 8 * 27  # the pool, the difference and the sum multiply nothing
    assert "sub" in [r.kind for r in table.rows]


class _StartsAtZero(torch.nn.Module):
    """A sum started at 0 (FastViT, FocalNet, GhostNet-v3: ``out = 0; out = out + branch(x)``)."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.b = torch.nn.Conv2d(3, 4, 1)

    def forward(self, x):
        out = 0
        for branch in (self.a, self.b):
            out = out + branch(x)
        return out


def test_a_sum_started_at_zero_counts_its_branches_once():
    table = from_torch(_StartsAtZero().eval(), (3, 8, 8)).derive()
    assert int(table.totals["params"]) == (27 * 4 + 4) + (3 * 4 + 4)
    assert int(table.totals["macs"]) == 8 * 8 * 4 * 27 + 8 * 8 * 4 * 3


class _SizeFromAnotherTensor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.down = torch.nn.Conv2d(3, 3, 3, stride=2, padding=1)

    def forward(self, x):
        return x + torch.nn.functional.interpolate(self.down(x), size=x.shape[-2:], mode="nearest")


def test_an_upsampling_to_another_tensors_size_reads_its_factor_from_the_traced_shapes():
    table = from_torch(_SizeFromAnotherTensor().eval(), (3, 8, 8)).derive()
    assert [r.kind for r in table.rows].count("upsample") == 1
    assert int(table.totals["params"]) == 27 * 3 + 3


class _PadToMultiple(torch.nn.Module):
    """Swin's pad of a map up to a multiple of its window, the sides computed from the input's shape."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        pad_h = (4 - x.shape[2] % 4) % 4
        pad_w = (4 - x.shape[3] % 4) % 4
        return self.conv(torch.nn.functional.pad(x, (0, pad_w, 0, pad_h)))


def test_a_pad_computed_in_the_graph_is_no_layer_where_it_pads_nothing_and_refused_where_it_pads():
    table = from_torch(_PadToMultiple().eval(), (3, 8, 8)).derive()
    assert [r.kind for r in table.rows] == ["conv"]
    # at 7 x 7 the pad is one row and column computed from the shape: no pad layer reads that, and the stretch of the
    # forward around it is read as its operations on the traced shapes
    table = _exact_against_torch(_PadToMultiple().eval(), (3, 7, 7))
    assert any(r.kind == "composite" for r in table.rows)


class _WholeSliceAndVectorNorm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 6, 3)
        self.bn = torch.nn.BatchNorm1d(6)
        self.fc = torch.nn.Linear(6, 2)

    def forward(self, x):
        y = self.conv(x)[:, :]  # the whole tensor: a view, no layer
        return self.fc(self.bn(y.mean((2, 3))))


def test_a_whole_slice_is_no_layer_and_a_vector_batch_norm_counts_2c():
    m = _WholeSliceAndVectorNorm().eval()
    table = from_torch(m, (3, 8, 8)).derive()
    assert [r.kind for r in table.rows] == ["conv", "mean", "batchnorm", "linear"]
    assert int(table.totals["params"]) == (27 * 6 + 6) + 2 * 6 + (6 * 2 + 2) == numel(m)


class _BranchesOnItsShape(torch.nn.Module):
    """Python control flow on the input's shape, which torch.fx's symbolic tracer cannot follow (timm's VGG, ...)."""

    def __init__(self):
        super().__init__()
        self.even = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.odd = torch.nn.Conv2d(3, 4, 5, padding=2)

    def forward(self, x):
        return self.even(x) if x.shape[-1] % 2 == 0 else self.odd(x)


@pytest.mark.parametrize("side,kernel", [(8, 3), (7, 5)])
def test_control_flow_on_a_shape_takes_the_branch_this_input_takes(side, kernel):
    table = from_torch(_BranchesOnItsShape().eval(), (3, side, side)).derive()
    assert [r.kind for r in table.rows] == ["conv"]
    assert int(table.totals["params"]) == 3 * kernel * kernel * 4 + 4  # only the branch that runs holds parameters
    assert int(table.totals["macs"]) == side * side * 4 * 3 * kernel * kernel


class _StandardisedConv(torch.nn.Conv2d):
    """timm's StdConv2d: a Conv2d that standardises its weight before the same convolution."""

    def forward(self, x):
        w = torch.nn.functional.batch_norm(self.weight.reshape(1, self.out_channels, -1), None, None,
                                           training=True, momentum=0.0, eps=1e-6).reshape_as(self.weight)
        return torch.nn.functional.conv2d(x, w, self.bias, self.stride, self.padding)


def test_a_conv2d_subclass_with_a_conv2ds_parameters_reads_as_a_conv():
    m = torch.nn.Sequential(_StandardisedConv(3, 8, 3, padding=1), torch.nn.ReLU()).eval()
    table = from_torch(m, (3, 8, 8)).derive()
    assert [r.kind for r in table.rows] == ["conv", "relu"]
    assert int(table.totals["params"]) == 3 * 9 * 8 + 8 and int(table.totals["macs"]) == 64 * 8 * 27


class _LeavesAPart(torch.nn.Module):
    """A split whose last part the forward pass never reads (Res2Net's scales, as torch.fx records them)."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 6, 1)
        self.a = torch.nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x):
        parts = torch.split(self.conv(x), 2, 1)
        return torch.cat([self.a(parts[0]), parts[1]], 1)


def test_a_split_part_nothing_reads_is_no_layer():
    table = from_torch(_LeavesAPart().eval(), (3, 5, 5)).derive()
    assert int(table.totals["params"]) == (3 * 6 + 6) + (2 * 9 * 2 + 2)
    assert int(table.totals["macs"]) == 25 * 6 * 3 + 25 * 2 * 18


class _TokensAndBack(torch.nn.Module):
    """Patch tokens with a class token, back to a map for a depthwise convolution (CoaT's, PVT's), a channels-last
    map to tokens, a dtype cast; the patch tokens without the class token (BEiT's head) through a slice."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.cls = torch.nn.Parameter(torch.zeros(1, 1, 8))
        self.dw = torch.nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)  # 16 tokens of 8
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)  # 17
        feat = x[:, 1:].transpose(1, 2).view(1, 8, 4, 4)
        y = self.dw(feat).permute(0, 2, 3, 1).reshape(1, 16, 8).float()  # channels last, then tokens
        return self.head(y.mean(dim=1))


def test_tokens_back_to_a_map_token_slices_and_casts_are_read_exactly():
    m = _TokensAndBack().eval()
    table = from_torch(m, (3, 16, 16)).derive()
    # spelled out: the patch conv (48*8 + 8), the class token 8, the depthwise 3x3 (8*9 + 8), the head 8 -> 5
    assert int(table.totals["params"]) == (48 * 8 + 8) + 8 + (8 * 9 + 8) + (8 * 5 + 5) == numel(m)
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 16 * 8 * 9 + 8 * 5
    assert {"untokens", "tokenslice", "tokens"} <= {r.kind for r in table.rows}


class _HandWrittenIdioms(torch.nn.Module):
    """What models written by hand do that a library does not: a pooling window read off the tensor
    (``F.avg_pool2d(x, x.size(2))``), a Python number made of a shape (``int(c / 2)``: torch.fx cannot trace it, so
    the model is traced for this input), a channel shuffle spelled with ``permute``, ``F.dropout2d``, a batch norm
    after a shape read (the trace for this input runs it on the meta device), ``x + x`` where a block has no
    shortcut, and ``x.view(x.size(0), -1)``."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(8)
        self.se = torch.nn.Conv2d(8, 8, 1)
        self.fc = torch.nn.Linear(8, 5)

    def forward(self, x):
        out = torch.nn.functional.relu(self.bn(self.conv(x)))
        n, c, h, w = out.size()
        out = out.view(n, 2, int(c / 2), h, w).permute(0, 2, 1, 3, 4).reshape(n, c, h, w)
        gate = self.se(torch.nn.functional.avg_pool2d(out, out.size(2))).sigmoid()
        out = torch.nn.functional.dropout2d(out * gate, 0.2, self.training)
        out = out + out
        out = torch.nn.functional.adaptive_avg_pool2d(out, 1)
        return self.fc(out.view(out.size(0), -1))


def test_hand_written_idioms_are_read_exactly():
    m = _HandWrittenIdioms().eval()
    table = from_torch(m, (3, 6, 6)).derive()
    # by hand: conv 3*9*8 + 8, batch norm 2*8, the gate's 1x1 conv 8*8 + 8, fc 8*5 + 5
    assert int(table.totals["params"]) == numel(m) == 224 + 16 + 72 + 45
    # multiply-adds: the conv 6*6*8*27, the gate's conv on its 1x1 map 8*8, fc 8*5
    assert int(table.totals["macs"]) == count_macs(m, 3, 6, 6) == 6 * 6 * 8 * 27 + 64 + 40
    kinds = [r.kind for r in table.rows]
    assert "shuffle" in kinds and "multiply" in kinds and "dropout" in kinds


class _HeadsAttention(nn.Module):
    """Attention as people write it by hand: one projection cut into queries, keys and values, heads made by a view,
    scores by matmul, and (``fused``) PyTorch's scaled_dot_product_attention instead of the two products."""

    def __init__(self, dim: int, heads: int, fused: bool):
        super().__init__()
        self.heads, self.fused = heads, fused
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)
        self.gain = nn.Parameter(torch.ones(heads, 1, 1))  # a learned tensor read directly: its elements count

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        if self.fused:
            y = nn.functional.scaled_dot_product_attention(q * self.gain, k, v)
        else:
            scores = (q @ k.transpose(-2, -1)) * self.gain / (d // self.heads) ** 0.5
            y = torch.matmul(scores.softmax(dim=-1), v)
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class _TinyTransformer(nn.Module):
    def __init__(self, fused: bool, dim: int = 32, heads: int = 4):
        super().__init__()
        self.embed = nn.Conv2d(3, dim, 4, 4)
        self.norm = nn.LayerNorm(dim)
        self.attn = _HeadsAttention(dim, heads, fused)
        self.head = nn.Linear(dim, 7)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        x = x + self.attn(self.norm(x))
        return self.head(x.mean(1))


@pytest.mark.parametrize("fused", [False, True])
def test_attention_in_the_models_own_code_is_a_composite_layer_read_exactly(fused):
    from symcnn.pytorch.common import flop_counter

    model = _TinyTransformer(fused).eval()
    table = from_torch(model, (3, 16, 16)).derive()
    row = next(r for r in table.rows if r.name == "attn")
    assert row.kind == "composite"
    # the parameters by hand: qkv 32 x 96, out 32 x 32 + 32, the gain 4
    assert row.params == 32 * 96 + 32 * 32 + 32 + 4 == sum(p.numel() for p in model.attn.parameters())
    # the multiply-adds by hand: 16 tokens; the projections 16 x 32 x 96 and 16 x 32 x 32; scores and sum 2 x 4 heads
    # x 16 x 16 x 8
    assert row.macs == 16 * 32 * 96 + 16 * 32 * 32 + 2 * 4 * 16 * 16 * 8
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 16, 16))
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    assert table.totals["params"] == sum(p.numel() for p in model.parameters())
    work = " ".join(row.notes)
    assert ("attention" if fused else "matrix product") in work and "qkv" in work


def test_an_operation_without_a_formula_inside_a_module_is_refused_by_name():
    class Odd(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 8)

        def forward(self, x):
            return self.fc(x).view(1, 64, 2, 4).cumprod(dim=-1).view(1, 64, 8)  # cumprod: no formula

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 8, 2, 2)
            self.odd = Odd()

        def forward(self, x):
            return self.odd(self.embed(x).flatten(2).transpose(1, 2))

    with pytest.raises(SymcnnError, match=r"graph node 'cumprod'.*no formula") as info:
        from_torch(Net(), (3, 16, 16))
    assert "\n" not in info.value.oneline()


def test_a_composite_miscounting_its_module_is_refused(monkeypatch):
    """Mutation: a composite that counts one weight too many, or one multiply-add too many, is refused by the
    module's numel() and by the dispatcher, never printed."""
    from symcnn.pytorch import ops

    model = _TinyTransformer(False).eval()
    real = ops.Sums.add

    def one_more(field):
        def add(self, what, **kw):
            if kw.get(field):
                kw[field] = kw[field] + 1
            real(self, what, **kw)
        return add

    for field, refusal in (("weights", "parameters but the modules and tensors it reads hold"),
                           ("macs", "dispatcher counts")):
        monkeypatch.setattr(ops.Sums, "add", one_more(field))
        with pytest.raises(SymcnnError, match=refusal):
            from_torch(model, (3, 16, 16))


def test_a_layer_norm_without_a_shift_counts_its_scale_alone():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 8, 2, 2)
            self.norm = nn.LayerNorm(8, bias=False)
            self.shifted = nn.LayerNorm(8)

        def forward(self, x):
            x = self.embed(x).flatten(2).transpose(1, 2)
            return self.shifted(self.norm(x))

    table = from_torch(Net(), (3, 8, 8)).derive()
    rows = {r.name: r for r in table.rows}
    assert (rows["norm"].params, rows["shifted"].params) == (8, 16)  # numel: 8 scales; 8 scales and 8 shifts


class _EinsumAttention(nn.Module):
    """Heads by reshape, scores and weighted sums by einsum (with '...' and with spaces, as people write them)."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = (nn.Linear(dim, dim, bias=False) for _ in range(3))
        self.o = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = (f(x).reshape(b, n, self.heads, d // self.heads) for f in (self.q, self.k, self.v))
        scores = torch.einsum("bqhd, bkhd -> bhqk", q, k).softmax(-1)
        y = torch.einsum("...qk,...kd->...qd", scores, v.permute(0, 2, 1, 3))
        return self.o(y.transpose(1, 2).reshape(b, n, d))


def test_einsum_attention_with_an_ellipsis_is_read_exactly():
    from symcnn.pytorch.common import flop_counter

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 24, 4, 4)
            self.attn = _EinsumAttention(24, 2)

        def forward(self, x):
            return self.attn(self.embed(x).flatten(2).transpose(1, 2)).mean(1)

    model = Net().eval()
    table = from_torch(model, (3, 16, 16)).derive()
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 16, 16))
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    # by hand: the patch conv 24 filters x 4 x 4 positions x 3 x 4 x 4; 16 tokens, four projections 16 x 24 x 24;
    # scores and weighted sums, each 2 heads x 16 x 16 x 12
    assert table.totals["macs"] == 24 * 16 * 48 + 4 * 16 * 24 * 24 + 2 * (2 * 16 * 16 * 12) == 67_584


def test_a_module_torch_fx_cannot_trace_is_read_through_torch_export():
    """Item assignment on a traced value stops torch.fx (its Proxy has no __setitem__); the module is kept whole and
    read from torch.export's ATen graph as a composite layer, exact like any other."""
    from symcnn.pytorch.common import flop_counter

    class Masked(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(8, 8, 3, padding=1)
            self.bn = nn.BatchNorm2d(8)

        def forward(self, x):
            y = self.bn(self.conv(x))
            y[:, :2] = 0  # the first two channels silenced
            return y

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3, 2, 1)
            self.masked = Masked()
            self.fc = nn.Linear(8, 4)

        def forward(self, x):
            return self.fc(self.masked(self.stem(x)).mean((2, 3)))

    model = Net().eval()
    table = from_torch(model, (3, 16, 16)).derive()
    row = next(r for r in table.rows if r.name == "masked")
    assert row.kind == "composite"
    assert row.params == 8 * 8 * 9 + 8 + 2 * 8 == sum(p.numel() for p in model.masked.parameters())
    assert row.macs == 8 * 8 * 8 * 8 * 9  # 8 filters over 8 x 8 positions, 8 x 3 x 3 each
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 16, 16))
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    assert table.totals["params"] == sum(p.numel() for p in model.parameters())


class _Plain(nn.Module):
    def __init__(self, branch_on_size: bool = False, fixed: bool = False):
        super().__init__()
        self.branch_on_size, self.fixed = branch_on_size, fixed
        self.c1 = nn.Conv2d(3, 8, 3, 2, 1)
        self.c2 = nn.Conv2d(8, 8, 3, 1, 1)
        self.fc = nn.Linear(8 * 112 * 112 if fixed else 8, 5)  # fixed: a 224 x 224 input only

    def forward(self, x):
        x = torch.relu(self.c1(x))
        if self.branch_on_size and x.shape[-1] > 120:  # a second convolution for large inputs only
            x = torch.relu(self.c2(x))
        x = torch.flatten(x, 1) if self.fixed else x.mean((2, 3))
        return self.fc(x)


def _read_at(model):
    return lambda shape: from_torch(model, shape)


def test_a_symbolic_input_gives_the_model_at_every_size_its_layers_allow():

    from symcnn.pytorch.symbolic import from_torch_symbolic

    R = sp.Symbol("R", integer=True, positive=True)
    model = _Plain().eval()
    net = from_torch_symbolic(_read_at(model), (sp.Integer(3), R, R))
    assert "checked against the model read at R = 256" in net.source
    table = net.derive()
    assert table.totals["params"] == sum(p.numel() for n, p in model.named_parameters() if not n.startswith("c2"))
    for size in (17, 224, 225):  # sizes the probes never tried: each against the model read there
        here = from_torch(model, (3, size, size)).derive()
        assert net.subs({R: size}).derive().totals["macs"] == here.totals["macs"]
    # by hand: c1 outputs ceil(R/2) x ceil(R/2) positions, 8 filters of 3 x 3 x 3 each; the linear 8 x 5
    assert sp.simplify(table.totals["macs"].subs(R, 100) - (8 * 50 * 50 * 27 + 40)) == 0


def test_what_forces_a_number_is_named_and_a_size_dependent_branch_refused():
    import sympy as sp

    from symcnn.pytorch.symbolic import from_torch_symbolic

    R = sp.Symbol("R", integer=True, positive=True)
    with pytest.raises(SymcnnError, match="layer 'fc'.*forces a number"):
        from_torch_symbolic(_read_at(_Plain(fixed=True).eval()), (sp.Integer(3), R, R))
    # the branch taken at 224 and not at 192 (the second size read): the table at 224 is not the model's at 192
    with pytest.raises(SymcnnError, match="change with the size"):
        from_torch_symbolic(_read_at(_Plain(branch_on_size=True).eval()), (sp.Integer(3), R, R))
    with pytest.raises(SymcnnError, match="composite layer"):
        from_torch_symbolic(_read_at(_TinyTransformer(False).eval()), (sp.Integer(3), R, R))


def test_a_module_that_refuses_the_tracers_values_is_read_through_torch_export():
    """A library that checks its argument is a tensor (einops does, by type) raises on torch.fx's values, whatever
    the error; the module is kept whole and read through torch.export."""
    from symcnn.pytorch.common import flop_counter

    class Picky(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 6, 3, padding=1)

        def forward(self, x):
            if not isinstance(x, torch.Tensor):
                raise KeyError(type(x).__name__)  # what a library does with a value it does not know
            return self.conv(x)

    model = nn.Sequential(nn.Conv2d(3, 4, 3), Picky(), nn.AdaptiveAvgPool2d(1)).eval()
    table = from_torch(model, (3, 10, 10)).derive()
    assert [r.kind for r in table.rows if r.name == "1"] == ["composite"]
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 10, 10))
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    assert table.totals["macs"] == 4 * 8 * 8 * 27 + 6 * 8 * 8 * 36  # by hand: two convolutions


def test_the_mean_of_as_many_tokens_as_channels_is_read_by_its_layout():
    """64 tokens of width 64: the shapes cannot tell which axis a mean over dim 1 averages; the layer says 'over the
    tokens' and the derivation holds it to a sequence (a map there is refused)."""
    class ToTokens(nn.Module):  # a module of its own: its square transpose is read as its operations (a view)
        def forward(self, x):
            return x.flatten(2).transpose(1, 2)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 64, 2, 2)
            self.tokens = ToTokens()
            self.fc = nn.Linear(64, 3)

        def forward(self, x):
            return self.fc(self.tokens(self.embed(x)).mean(dim=1))

    table = from_torch(Net(), (3, 16, 16)).derive()
    row = next(r for r in table.rows if r.kind == "mean")
    assert dict(row.layer.args)["over"] == "tokens" and row.output.c == 64


def test_a_position_embedding_computed_from_learned_tensors_is_one_composite_layer():
    """x + t where t is computed from learned tensors alone (here a table projected by a 1x1 convolution, as
    XCiT's Fourier position encoding is): one composite layer counting the table, the convolution's weights and
    the multiply-adds the pass spends on it."""
    from symcnn.pytorch.common import flop_counter

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 8, 2, 2)
            self.table = nn.Parameter(torch.zeros(1, 4, 4, 4))
            self.project = nn.Conv2d(4, 8, 1)
            self.fc = nn.Linear(8, 3)

        def forward(self, x):
            x = self.embed(x) + self.project(self.table)
            return self.fc(x.mean((2, 3)))

    model = Net().eval()
    table = from_torch(model, (3, 8, 8)).derive()
    row = next(r for r in table.rows if r.kind == "composite")
    assert row.params == 4 * 16 + 8 * 4 + 8  # the table, the projection's weights and biases
    assert row.macs == 8 * 16 * 4  # the projection: 8 filters over 4 x 4 positions, 4 inputs each
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 8, 8))
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    assert table.totals["params"] == sum(p.numel() for p in model.parameters())


def test_a_region_torch_export_wraps_is_read_operator_by_operator():
    """A module torch.fx cannot trace that turns autocast off around its convolution (as EfficientViT's attention
    does): torch.export wraps that region in a higher-order operator; its operators are read, none skipped."""
    from symcnn.pytorch.common import flop_counter

    class Careful(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 3, padding=1)

        def forward(self, x):
            with torch.autocast("cpu", enabled=False):
                y = self.conv(x.float())
            y[:, :1] = 0  # item assignment: torch.fx stops here
            return y

    model = nn.Sequential(nn.Conv2d(3, 4, 1), Careful()).eval()
    table = from_torch(model, (3, 6, 6)).derive()
    assert [r.kind for r in table.rows if r.name == "1"] == ["composite"]
    assert table.totals["macs"] == 4 * 36 * 3 + 4 * 36 * 36  # by hand: the 1x1 and the 3x3 convolution
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 6, 6))
    assert 2 * table.totals["macs"] == counter.get_total_flops()


def test_operations_no_kind_reads_in_the_models_own_forward_are_a_composite_of_that_stretch():
    """VOLO's head in miniature: the class token's logits plus half the largest of the other tokens' (``max`` over
    tokens, a tuple and its first element, a number multiplied), all in the model's own forward: no module encloses
    it, so the smallest stretch of the graph that one tensor enters and one leaves is read as its operations."""
    from symcnn.pytorch.common import flop_counter

    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 16, 4, 4)
            self.head = nn.Linear(16, 5)
            self.aux = nn.Linear(16, 5)

        def forward(self, x):
            x = self.embed(x).flatten(2).transpose(1, 2)  # 64 tokens of width 16
            out = self.head(x[:, 0])
            return out + 0.5 * self.aux(x[:, 1:]).max(1)[0]

    model = Head().eval()
    table = from_torch(model, (3, 32, 32)).derive()
    region = [r for r in table.rows if r.name.startswith("forward@")]
    assert len(region) == 1 and region[0].kind == "composite"
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, 3, 32, 32))
    assert table.totals["params"] == sum(p.numel() for p in model.parameters())
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    # by hand: the embedding 64 positions x 48 x 16, the head 16 x 5, the other 63 tokens' 63 x 16 x 5
    assert table.totals["macs"] == 64 * 48 * 16 + 16 * 5 + 63 * 16 * 5


class _ComputesAndDiscards(torch.nn.Module):
    """DLA's tree: a map pooled, projected by a convolution, and then neither read (its code keeps the shortcut only
    when the tree is the level's root); CoaT-Lite's view of a map nothing reads."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.down = torch.nn.MaxPool2d(2)
        self.project = torch.nn.Conv2d(4, 6, 1)
        self.body = torch.nn.Conv2d(4, 4, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        bottom = self.down(x)
        shortcut = self.project(bottom)  # computed, never used
        _ = x.permute(0, 2, 3, 1)  # a view nothing reads
        del shortcut
        return self.body(x)


def test_a_computed_tensor_nothing_reads_is_counted_and_said_so_and_a_view_nothing_reads_is_no_layer():
    table = _exact_against_torch(_ComputesAndDiscards().eval(), (3, 8, 8))
    # the projection runs on the 4x4 pooled map: 16 * 6 * 4 multiply-adds, counted as FlopCounterMode counts them
    assert int(table.totals["macs"]) == 64 * 4 * 27 + 16 * 6 * 4 + 64 * 4 * 36
    project = table.row("project")
    assert any("never used" in str(n) for n in project.notes)
    assert not any("never used" in str(n) for n in table.row("body").notes)
    assert [r.kind for r in table.rows].count("permute") == 0


def test_a_graph_refuses_an_unread_tensor_it_was_not_told_of_and_a_discard_that_is_read():
    from symcnn.errors import SpecError
    from symcnn.network import Graph, Layer, Step

    def conv(name):
        return Layer(name, "conv", (("out", sp.Integer(4)), ("k", sp.Integer(1))))

    steps = (Step("a", conv("a"), ("input",)), Step("b", conv("b"), ("input",)), Step("c", conv("c"), ("a",)))
    with pytest.raises(SpecError, match="'b' is never used"):
        Graph("g", steps)
    assert Graph("g", steps, discarded=("b",)).discarded == ("b",)
    with pytest.raises(SpecError, match="'a' is said to be computed and discarded, but it is used"):
        Graph("g", steps, discarded=("a", "b"))
    with pytest.raises(SpecError, match="'c' is said to be computed and discarded, but it is the output"):
        Graph("g", steps, discarded=("b", "c"))
    with pytest.raises(SpecError, match="'z' is said to be computed and discarded, but it is no step"):
        Graph("g", steps, discarded=("b", "z"))


class _ComputedClassToken(torch.nn.Module):
    """CaiT's class-attention: a class token computed by the model (here: the patch tokens' mean, projected) joined
    to the patch tokens along the sequence, and features of two sequences joined along their width."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.cls = torch.nn.Linear(8, 8)
        self.mix = torch.nn.Linear(8, 8)
        self.head = torch.nn.Linear(16, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)  # 16 tokens of 8
        c = self.cls(x.mean(dim=1, keepdim=True))  # 1 token of 8, computed
        u = torch.cat([c, x], dim=1)  # 17 tokens of 8
        wide = torch.cat([u, self.mix(u)], dim=-1)  # 17 tokens of 16
        return self.head(wide[:, 0])


def test_sequences_joined_along_their_tokens_and_along_their_width_are_read_exactly():
    table = _exact_against_torch(_ComputedClassToken().eval(), (3, 16, 16))
    cat = [r for r in table.rows if r.kind == "tokencat"]
    assert len(cat) == 1 and (int(cat[0].output.h), int(cat[0].output.c)) == (1 + 16, 8)
    wide = [r for r in table.rows if r.kind == "concat"]
    assert len(wide) == 1 and (int(wide[0].output.h), int(wide[0].output.c)) == (17, 16)
    # by hand: the patch conv 16 positions x 8 x 48, the class token's 8x8, the mixer on 17 tokens, the head 16x5
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 64 + 17 * 64 + 16 * 5


def test_a_token_concatenation_refuses_maps_and_sequences_of_other_widths():
    from symcnn.errors import DerivationError
    from symcnn.layers.base import Shape
    from symcnn.layers.common.merge import tokencat

    with pytest.raises(DerivationError, match="every path must be a sequence"):
        tokencat([Shape(8, 4, 4), Shape(8, 4, 4)])
    with pytest.raises(DerivationError, match="path 2 gives 8x12 but path 1 gives 1x8"):
        tokencat([Shape(8, 1, 1, "seq"), Shape(12, 8, 1, "seq")])  # 8 tokens of 12 after 1 token of 8


class _SliceBySize(torch.nn.Module):
    """PiT's stage: the class tokens carried beside the map, joined before the blocks, and split off again at a
    length read off the class tokens' own shape ('x[:, :cls.shape[1]]')."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.cls = torch.nn.Parameter(torch.zeros(1, 2, 8))
        self.block = torch.nn.Linear(8, 8)
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        cls = self.cls.expand(x.shape[0], -1, -1)
        n = cls.shape[1]
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = self.block(torch.cat((cls, x), dim=1))
        cls, x = x[:, :n], x[:, n:]
        return self.head(cls[:, 0]) + self.head(x.mean(1))


def test_a_token_slice_whose_bound_is_read_off_a_shape_is_read_exactly():
    table = _exact_against_torch(_SliceBySize().eval(), (3, 16, 16))
    spans = sorted((int(r.input.h), int(r.output.h)) for r in table.rows if r.kind == "tokenslice")
    assert spans == [(18, 2), (18, 16)]  # 2 class tokens and 16 patch tokens taken back from 18


class _CachesOnItself(torch.nn.Module):
    """ConViT's attention: a table cached on the module, rebuilt when the sequence's length differs (control flow on
    a shape that torch.fx cannot follow, so the module is kept whole and run for its metadata)."""

    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 8)
        self.table = torch.zeros(1, 1)

    def forward(self, x):
        n = x.shape[1]
        if self.table.shape[1] != n:
            self.table = torch.ones(1, n, device=x.device)
        return self.proj(x) * self.table.unsqueeze(-1)


class _WithACachingBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.block = _CachesOnItself()
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        return self.head(self.block(x).mean(1))


def test_a_module_caching_what_it_computed_on_itself_is_read_and_left_as_it_was():
    model = _WithACachingBlock().eval()
    table = _exact_against_torch(model, (3, 16, 16))
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 16 * 64 + 8 * 5
    assert model.block.table.device.type != "meta"  # the tracer's values never stay on the user's model


def _grid(n: int) -> torch.Tensor:
    """Positions 0 to n - 1, built by a function torch.fx keeps whole (timm wraps its grid builders so)."""
    return torch.arange(n).float()


torch.fx.wrap("_grid")


class _RotaryBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 8)

    def forward(self, x, table):
        return self.proj(x) * table.cos() + x


class _TableFromSizes(torch.nn.Module):
    """DeepSeek's encoder: a rotary table built in forward from the grid's size and a buffer of frequencies (no input
    values, no parameter in it), handed to every block beside the tokens."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.register_buffer("freq", torch.linspace(0.1, 1.0, 8))
        self.block = _RotaryBlock()
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        table = _grid(x.shape[1]).unsqueeze(-1) * self.freq
        x = self.block.proj(x) * table.cos() + x  # in the model's own forward: read as a stretch of its graph
        return self.head(x.mean(1))


class _TableFromAParameter(_TableFromSizes):
    """The same with learned frequencies: the table is computed from a parameter, which the block that reads the
    table holds (counted once, as numel() counts it)."""

    def __init__(self):
        super().__init__()
        del self.freq
        self.freq = torch.nn.Parameter(torch.linspace(0.1, 1.0, 8))


class _TableThroughAModule(_TableFromSizes):
    """ViT-SRelPos: the table made by a module with parameters (an MLP) run on a buffer: a learned computation the
    pass runs, never skipped as a table of sizes (here read with the operation it feeds, and counted)."""

    def __init__(self):
        super().__init__()
        self.mlp = torch.nn.Linear(8, 8)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = self.block.proj(x) * self.mlp(self.freq).cos() + x
        return self.head(x.mean(1))


def test_the_nodes_built_from_sizes_alone_are_those_no_input_value_and_no_parameter_flows_into():
    from symcnn.pytorch.trace import _from_sizes_alone
    from symcnn.pytorch.tracing import _trace

    gm = _trace(_TableFromSizes().eval(), (3, 16, 16))
    alone = {n.name for n in _from_sizes_alone(gm)}
    assert {"_grid", "freq", "unsqueeze", "mul", "cos"} <= alone  # the table: a size, a buffer, what they make
    assert not alone & {"x", "patch", "block_proj", "mul_1", "add", "head", "block_proj_weight"}
    learned = {n.name for n in _from_sizes_alone(_trace(_TableFromAParameter().eval(), (3, 16, 16)))}
    assert "mul" not in learned and "cos" not in learned  # a parameter flows into the table: never skipped
    through = {n.name for n in _from_sizes_alone(_trace(_TableThroughAModule().eval(), (3, 16, 16)))}
    assert "freq" in through and not through & {"mlp", "cos"}  # a module with parameters on a buffer: learned
    read = _exact_against_torch(_TableThroughAModule().eval(), (3, 16, 16))  # read as a stretch of the graph
    assert int(read.totals["macs"]) == 16 * 8 * 48 + 16 * 64 + 64 + 8 * 5  # the MLP's 8x8 on the buffer counted


def test_a_table_built_from_sizes_and_buffers_is_no_layer_and_one_from_a_parameter_is_held_by_its_reader():
    table = _exact_against_torch(_TableFromSizes().eval(), (3, 16, 16))
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 16 * 64 + 8 * 5
    assert int(table.totals["params"]) == (48 * 8 + 8) + (64 + 8) + (8 * 5 + 5)  # the buffer is no parameter
    learned = _exact_against_torch(_TableFromAParameter().eval(), (3, 16, 16))
    assert int(learned.totals["params"]) == int(table.totals["params"]) + 8


class _StackedHeads(torch.nn.Module):
    """CoaT's head: the class tokens of three scales stacked into a sequence of three tokens, mixed by a Conv1d over
    the tokens, squeezed to one vector."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.a = torch.nn.Linear(8, 8)
        self.b = torch.nn.Linear(8, 8)
        self.aggregate = torch.nn.Conv1d(3, 1, kernel_size=1)
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2).mean(1)  # one vector of 8
        y = torch.stack([x, self.a(x), self.b(x)], dim=1)  # 3 tokens of 8
        return self.head(self.aggregate(y).squeeze(1))


def test_vectors_stacked_into_a_sequence_are_a_token_join_and_other_stacks_are_refused():
    table = _exact_against_torch(_StackedHeads().eval(), (3, 16, 16))
    joined = [r for r in table.rows if r.kind == "tokencat"]
    assert len(joined) == 1 and (int(joined[0].output.h), int(joined[0].output.c)) == (3, 8)
    # by hand: the patch conv, two 8x8 linears, the Conv1d's 3 weights for each of 8 positions, the head
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 2 * 64 + 3 * 8 + 8 * 5

    class Maps(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 1)

        def forward(self, x):
            return torch.stack([x, self.conv(x)[:, :3]], dim=1).sum(1)

    with pytest.raises(SymcnnError, match="stack"):
        from_torch(Maps().eval(), (3, 4, 4))


class _PoolsTokens(torch.nn.Module):
    """MViTv2's attention: tokens pooled on their grid, the new grid's size given back beside them; an assignment
    into a slice, which torch.fx does not follow, keeps the module whole (read through torch.export, with the size
    it is handed)."""

    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 8)

    def forward(self, x, size):
        h, w = size
        y = torch.nn.functional.avg_pool2d(x.transpose(1, 2).reshape(1, 8, h, w), 2)
        y[:, :, 0] = y[:, :, 0] * 0.5
        return self.proj(y.flatten(2).transpose(1, 2)), (h // 2, w // 2)


class _GivesSizes(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 2, stride=2)
        self.a = _PoolsTokens()
        self.b = _PoolsTokens()
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x)
        size = (x.shape[2], x.shape[3])
        x, size = self.a(x.flatten(2).transpose(1, 2), size)
        x, size = self.b(x, size)
        return self.head(x.mean(1))


def test_a_module_giving_sizes_beside_its_tensor_is_read_and_the_sizes_handed_on():
    table = _exact_against_torch(_GivesSizes().eval(), (3, 16, 16))
    # by hand: the patch conv on 8x8 positions, the projections on 4x4 then 2x2 pooled tokens, the head
    assert int(table.totals["macs"]) == 64 * 8 * 12 + 16 * 64 + 4 * 64 + 8 * 5
    assert [int(r.output.h) for r in table.rows if r.name in ("a", "b")] == [16, 4]


class _BiasedBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 8)

    def forward(self, x, bias):  # attention scores with a bias added, inside the block: read as its operations
        scores = (x @ x.transpose(1, 2)).softmax(-1) + bias
        return self.proj(scores @ x)


class _SharedBias(torch.nn.Module):
    """ViT-SRelPos: a bias computed once per pass by an MLP from a buffer of coordinates (no input in it), handed to
    every block: one side layer of its own, its parameters and multiply-adds counted once."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.register_buffer("coords", torch.linspace(-1, 1, 32).reshape(16, 2))
        self.mlp = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 16))
        self.blocks = torch.nn.ModuleList([_BiasedBlock(), _BiasedBlock()])
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        bias = self.mlp(self.coords)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.head(x.mean(1))


def test_a_computation_from_parameters_alone_shared_by_blocks_is_one_side_layer_counted_once():
    table = _exact_against_torch(_SharedBias().eval(), (3, 16, 16))
    # by hand: the patch conv, the MLP on 16 coordinates (2x4 then 4x16), in each of two blocks the 16x16 scores
    # over 8 features, their weighted sum, and the 8x8 projection on 16 tokens; the head
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 16 * (2 * 4 + 4 * 16) + 2 * (2 * 16 * 16 * 8 + 16 * 64) + 8 * 5
    first = table.rows[0]
    assert first.kind == "composite" and int(first.weights + first.biases) == (2 * 4 + 4) + (4 * 16 + 16)
    assert first.output == first.input  # it passes the input on


class _AddsBias(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 8)

    def forward(self, x, bias):
        return self.proj(x) + bias


class _SharedAddedBias(_SharedBias):
    """The same bias (here 16 x 8) added after each block's projection: the computation is read with its first use,
    and the second use adds it again without running it again."""

    def __init__(self):
        super().__init__()
        self.mlp = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 8))
        self.blocks = torch.nn.ModuleList([_AddsBias(), _AddsBias()])


def test_a_computation_from_parameters_alone_used_twice_runs_once():
    table = _exact_against_torch(_SharedAddedBias().eval(), (3, 16, 16))
    assert int(table.totals["macs"]) == 16 * 8 * 48 + 16 * (2 * 4 + 4 * 8) + 2 * 16 * 64 + 8 * 5


class _AddsInPlace(torch.nn.Module):
    """NaFlexViT's embedding: the position embedding added in place, its result not kept ('x.add_(pos)'): every
    later use reads the changed tensor (in the trace they read the one from before, and the add was dead code)."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 8, 4, stride=4)
        self.pos = torch.nn.Parameter(torch.zeros(1, 16, 8))
        self.head = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x.add_(self.pos)
        return self.head(x.mean(1))


def test_an_operation_in_place_whose_result_is_not_kept_is_followed_by_every_later_use():
    table = _exact_against_torch(_AddsInPlace().eval(), (3, 16, 16))
    assert not table.network.not_run  # the position embedding runs: never reported as held only
    assert not [r.name for r in table.rows if any("never used" in str(n) for n in r.notes)]  # nor as unread
    assert int(table.totals["params"]) == (48 * 8 + 8) + 16 * 8 + (8 * 5 + 5)


class _TwoHeadsAveraged(torch.nn.Module):
    """CrossViT's head: two branches' logits stacked along a new first axis and averaged over it."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(12, 5)
        self.b = torch.nn.Linear(12, 5)

    def forward(self, x):
        x = x.flatten(1)
        return torch.mean(torch.stack([self.a(x), self.b(x)], dim=0), dim=0)


def test_paths_stacked_and_averaged_at_once_are_an_add_and_a_scaling():
    table = _exact_against_torch(_TwoHeadsAveraged().eval(), (3, 2, 2))
    kinds = [r.kind for r in table.rows]
    assert "add" in kinds and "multiply" in kinds
    scale = next(r for r in table.rows if r.kind == "multiply")
    assert scale.layer.arg_dict["factor"] == sp.Rational(1, 2) and int(scale.output.c) == 5
