"""The operations of a module's own tensor code, one formula each: what the composite layer kind sums.

A module whose forward holds operations no layer kind reads (attention whose heads are reshapes in the model's own
code, windows partitioned inside a block) is read operation by operation on the shapes the forward pass recorded,
whatever their rank: a linear map over the last axis (rows x in x out multiply-adds), a convolution, a batched
matrix product (the output's elements times the contracted length), scaled dot-product attention, an einsum of
two operands, a learned tensor read directly (its elements are weights), a norm's scale and shift, and the
operations that compute no multiply-add: views and permutes (nothing), elementwise arithmetic, activations and
reductions (one other operation per output element; a softmax three).  Any other operation is refused by name:
nothing inside is skipped."""

from __future__ import annotations

import operator
from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .common import torch_module
from .nodes import _given_shape

#: operations that move or view data: nothing computed
_VIEWS = frozenset({
    "view", "reshape", "view_as", "reshape_as", "permute", "transpose", "contiguous", "flatten", "unflatten",
    "squeeze", "unsqueeze",
    "expand", "expand_as", "repeat", "unbind", "getitem", "chunk", "split", "tensor_split", "cat", "stack",
    "roll", "pad", "narrow", "select", "index_select", "gather", "flip", "movedim", "swapaxes", "type_as", "to",
    "float", "half", "clone", "detach", "split_with_sizes", "repeat_interleave", "t", "mT", "unfold", "fold",
    "pixel_shuffle", "pixel_unshuffle", "masked_fill", "zeros_like", "ones_like", "new_zeros", "new_ones",
    "dropout", "identity", "getattr", "size", "dim", "numel", "type", "tile", "meshgrid", "broadcast_to",
    # ATen's spellings (torch.export): slices, copies, constants and checks
    "slice", "alias", "_to_copy", "lift_fresh_copy", "detach_", "arange", "zeros", "ones", "full",
    "empty", "_assert_tensor_metadata", "sym_size", "_unsafe_view", "view_as_real", "index", "constant_pad_nd",
    "index_put", "copy", "native_dropout", "feature_dropout", "upsample_nearest2d", "scalar_tensor", "new_empty",
    "split_with_sizes_copy", "to_copy", "max_pool2d_with_indices", "eye", "one_hot", "fill", "zero",
    "tril", "triu", "linspace", "full_like", "empty_like", "rand_like", "bool", "long", "int", "contiguous_format",
})

#: operations that compute one other operation per output element (a softmax: an exp, a sum and a divide)
_ELEMENTWISE = {
    "add": 1, "add_": 1, "iadd": 1, "sub": 1, "sub_": 1, "isub": 1, "mul": 1, "mul_": 1, "imul": 1, "div": 1,
    "div_": 1, "truediv": 1, "itruediv": 1, "floordiv": 1, "neg": 1, "exp": 1, "log": 1, "sqrt": 1, "rsqrt": 1,
    "pow": 1, "abs": 1, "clamp": 1, "clamp_min": 1, "clamp_max": 1, "clip": 1, "reciprocal": 1, "sigmoid": 1,
    "tanh": 1, "relu": 1, "relu_": 1, "gelu": 1, "silu": 1, "hardswish": 1, "hardsigmoid": 1, "softplus": 1,
    "erf": 1, "sin": 1, "cos": 1, "where": 1, "mean": 1, "sum": 1, "amax": 1, "amin": 1, "max": 1, "min": 1,
    "norm": 1, "normalize": 1, "var": 1, "std": 1, "logsumexp": 1, "cumsum": 1, "square": 1, "sign": 1,
    "softmax": 3, "log_softmax": 3, "layer_norm": 4, "group_norm": 4, "batch_norm": 2, "rms_norm": 3,
    "avg_pool2d": 1, "max_pool2d": 1, "adaptive_avg_pool2d": 1, "adaptive_max_pool2d": 1, "avg_pool1d": 1,
    "max_pool1d": 1, "interpolate": 1, "addcmul": 1, "lerp": 1, "hardtanh": 1, "leaky_relu": 1, "elu": 1,
    "mish": 1, "selu": 1, "celu": 1, "glu": 1, "softsign": 1, "eq": 1, "ne": 1, "lt": 1, "gt": 1, "le": 1, "ge": 1,
    "floor": 1, "ceil": 1, "round": 1, "logical_not": 1, "bitwise_not": 1, "argmax": 1, "argmin": 1, "prod": 1,
    "remainder": 1, "fmod": 1, "rsub": 1, "square_": 1, "exp2": 1, "log2": 1, "log1p": 1, "expm1": 1,
    "atan2": 1, "tan": 1, "maximum": 1, "minimum": 1, "hardtanh_": 1, "leaky_relu_": 1, "softmax_": 3,
    "_softmax": 3, "_log_softmax": 3, "native_layer_norm": 4, "native_group_norm": 4,
    "_native_batch_norm_legit_no_training": 2, "adaptive_avg_pool1d": 1, "relu6": 1, "logsigmoid": 1,
    "hardshrink": 1, "softshrink": 1, "tanhshrink": 1, "threshold": 1, "softmin": 3, "erfc": 1, "log10": 1,
    "trunc": 1, "sinh": 1, "cosh": 1,
}

#: parameter-free torch.nn modules that view or move data (nothing computed)
_VIEW_MODULES = frozenset({"Identity", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "Flatten",
                           "Unflatten", "Unfold", "Fold", "PixelShuffle", "PixelUnshuffle", "ChannelShuffle",
                           "ZeroPad2d", "ConstantPad2d", "ConstantPad1d", "ReflectionPad2d", "ReplicationPad2d"})

_NORMS = {"LayerNorm": 4, "GroupNorm": 4, "BatchNorm1d": 2, "BatchNorm2d": 2, "RMSNorm": 3, "InstanceNorm2d": 4,
          "LocalResponseNorm": 4}


#: the operations that multiply and add (the ones torch's dispatcher counts)
_PRODUCTS = frozenset({"matmul", "bmm", "mm", "baddbmm", "addmm", "addbmm", "linear", "conv1d", "conv2d", "conv3d",
                       "scaled_dot_product_attention", "einsum"})


def _shape(node) -> tuple[int, ...] | None:
    """The shape a node's tensor had: recorded by the shape pass (torch.fx), or torch.export's fake value."""
    meta = node.meta.get("tensor_meta") if hasattr(node, "meta") else None
    shape = getattr(meta, "shape", None)
    if shape is None and hasattr(node, "meta"):
        shape = getattr(node.meta.get("val"), "shape", None)
    return None if shape is None else tuple(int(v) for v in shape)


def _elements(shape) -> sp.Expr:
    return sp.Mul(*(sp.Integer(v) for v in shape)) if shape else sp.Integer(1)


def _dims(shape) -> str:
    return " x ".join(map(str, shape))


def _factors(*sizes) -> str:
    """A product as it is worked: its factors (sizes of 1 left out), then the next step's."""
    shown = [f"{int(v):,}" for v in sizes if int(v) != 1]
    return " x ".join(shown) or "1"


def op_name(node) -> str:
    """A call's name: a tensor method's, a function's, or an ATen operator's without its overload (aten.conv2d.default:
    'conv2d'); an in-place form as its plain one ('relu_': 'relu')."""
    if node.op == "call_method":
        name = str(node.target)
    elif node.target is operator.matmul:
        return "matmul"
    else:
        name = str(getattr(node.target, "_opname", None) or getattr(node.target, "__name__", str(node.target)))
    plain = name[:-1] if name.endswith("_") and not name.startswith("_") else name
    return plain if plain in _ELEMENTWISE or plain in _VIEWS else name


class Sums:
    """The running sums of a composite layer and the line of work for each operation that adds to them."""

    def __init__(self) -> None:
        self.weights: sp.Expr = sp.Integer(0)
        self.biases: sp.Expr = sp.Integer(0)
        self.macs: sp.Expr = sp.Integer(0)
        self.other: sp.Expr = sp.Integer(0)
        self.work: list[str] = []
        self.macs_terms: list[sp.Expr] = []

    def add(self, what: str, *, weights=0, biases=0, macs=0, other=0, formula: str = "") -> None:
        self.weights += weights
        self.biases += biases
        self.macs += macs
        self.other += other
        if macs:
            self.macs_terms.append(sp.sympify(macs))
        shown = []
        if weights or biases:
            shown.append(f"{int(weights) + int(biases):,} parameters")
        if macs:
            shown.append(f"{formula + ' = ' if formula else ''}{int(macs):,} multiply-adds")
        if shown:
            self.work.append(f"{what}: {', '.join(shown)}")


def _module(sums: Sums, name: str, m, shape_in, shape_out, first: bool, leaf=None, exported=None) -> None:
    """One torch.nn module applied inside the composite (``first``: its parameters are counted here; a module applied
    before counts its multiply-adds only; ``leaf(name, m, shape_in, shape_out)``: (kind, derivation) of a module a
    layer kind reads, or None; ``exported(name, m, shape_in)``: torch.export's graph of any other module)."""
    if not first:
        sums = _MacsOnly(sums)  # type: ignore[assignment]  # the same add(), less the parameters
    if _torch_layer(sums, name, m, shape_in, shape_out):
        return
    cls = type(m).__name__
    layer = leaf(name, m, shape_in, shape_out) if leaf is not None else None
    if layer is None and exported is not None:  # no kind reads it so: its own operators, as torch.export records them
        inner = read_exported(exported(name, m, shape_in), name, lambda target: first)
        sums.add(f"{name} ({cls}, its operators)", weights=inner.weights, biases=inner.biases, macs=inner.macs,
                 other=inner.other, formula=" + ".join(f"{int(w):,}" for w in inner.macs_terms) or "")
        return
    if layer is None:
        raise SymcnnError(f"module {name!r} ({cls}) inside a module read as its operations: symcnn has no formula "
                          "for it")
    kind, d = layer
    sums.add(f"{name} ({kind})", weights=d.weights, biases=d.biases, macs=d.macs, other=d.other_ops,
             formula=f"the {kind} layer's formula")


def _torch_layer(sums: Sums, name: str, m, shape_in, shape_out) -> bool:
    """A torch.nn layer's formula (linear, convolution, transposed convolution, norm, a parameter-free module): added
    to ``sums``; False for any other module."""
    nn = torch_module().nn
    cls = type(m).__name__
    if isinstance(m, nn.Linear):
        i, o = sp.Integer(m.in_features), sp.Integer(m.out_features)
        sums.add(f"{name} (linear {i} -> {o} on {_dims(shape_in)})", weights=i * o,
                 biases=o if m.bias is not None else 0, macs=_elements(shape_out[:-1]) * i * o,
                 formula=_factors(*shape_out[:-1], i, o))
    elif isinstance(m, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        # every input position spreads its channels over a kernel of each output channel of its group
        per = sp.Integer(m.out_channels // m.groups) * sp.Mul(*(sp.Integer(k) for k in m.kernel_size))
        sums.add(f"{name} (transposed convolution {m.in_channels} -> {m.out_channels}, kernel "
                 f"{_dims(m.kernel_size)}, groups {m.groups})", weights=sp.Integer(m.in_channels) * per,
                 biases=sp.Integer(m.out_channels) if m.bias is not None else 0,
                 macs=_elements(shape_in) * per, formula=_factors(*shape_in, m.out_channels // m.groups,
                                                                   *m.kernel_size))
    elif isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        per = sp.Integer(m.in_channels // m.groups) * sp.Mul(*(sp.Integer(k) for k in m.kernel_size))
        o = sp.Integer(m.out_channels)
        sums.add(f"{name} (convolution {m.in_channels} -> {m.out_channels}, kernel {_dims(m.kernel_size)}, "
                 f"groups {m.groups})", weights=o * per, biases=o if m.bias is not None else 0,
                 macs=_elements(shape_out) * per,  # a batch of windows is several maps
                 formula=_factors(*shape_out, m.in_channels // m.groups, *m.kernel_size))
    elif any(c.__name__ in _NORMS and c.__module__.startswith("torch.nn") for c in type(m).__mro__):
        norm = next(c.__name__ for c in type(m).__mro__ if c.__name__ in _NORMS and c.__module__.startswith("torch.nn"))
        weight, bias = getattr(m, "weight", None), getattr(m, "bias", None)
        sums.add(f"{name} ({cls})", weights=_elements(weight.shape) if weight is not None else 0,
                 biases=_elements(bias.shape) if bias is not None else 0, other=_NORMS[norm] * _elements(shape_out))
    elif not any(True for _ in m.parameters()) and type(m).__module__.startswith("torch.nn.modules"):
        if cls == "MultiheadAttention":
            raise SymcnnError(f"module {name!r} (MultiheadAttention) inside a module read as its operations: "
                              "not supported")
        if cls not in _VIEW_MODULES:
            sums.add(f"{name} ({cls})", other=_elements(shape_out) if shape_out else 0)
    else:
        return False
    return True


class _MacsOnly:
    """A module's sums without its parameters (counted where the module was first applied)."""

    def __init__(self, sums: Sums) -> None:
        self.sums = sums

    def add(self, what: str, *, weights=0, biases=0, **rest) -> None:
        self.sums.add(f"{what} (its parameters counted at its first use)" if weights or biases else what, **rest)


def _matmul(sums: Sums, node, a, b) -> None:
    sa, so = _shape(a), _shape(node)
    if sa is None or so is None:
        raise SymcnnError(f"graph node {node.name!r}: a matrix product of tensors whose shapes were not recorded")
    k = sp.Integer(sa[-1])
    out = _elements(so)
    sums.add(f"{node.name} (matrix product {_dims(sa)} @ {_dims(_shape(b) or ())})", macs=out * k,
             formula=_factors(*so, k))


def _call(sums: Sums, node, params: dict) -> None:
    name = op_name(node)
    args = list(node.args)
    if name in ("matmul", "bmm", "mm"):
        _matmul(sums, node, args[0], args[1])
        return
    if name in ("baddbmm", "addmm", "addbmm"):
        _matmul(sums, node, args[1], args[2])
        sums.add(f"{node.name} (the added term)", other=_elements(_shape(node)))
        return
    if name == "linear":
        w = args[1] if len(args) > 1 else node.kwargs.get("weight")
        sw, so = _shape(w), _shape(node)
        if sw is None and getattr(w, "op", None) == "get_attr":
            sw = tuple(params[w.target].shape) if w.target in params else None
        if sw is None or so is None:
            raise SymcnnError(f"graph node {node.name!r}: a linear map whose weight's shape was not recorded")
        rows, i, o = _elements(so[:-1]), sp.Integer(sw[1]), sp.Integer(sw[0])
        sums.add(f"{node.name} (linear {i} -> {o})", macs=rows * i * o, formula=_factors(*so[:-1], i, o))
        return
    if name in ("conv1d", "conv2d", "conv3d"):
        w = args[1] if len(args) > 1 else node.kwargs.get("weight")
        sw = _shape(w) or (tuple(params[w.target].shape) if getattr(w, "op", None) == "get_attr" and
                           w.target in params else None)
        so = _shape(node)
        if sw is None or so is None:
            raise SymcnnError(f"graph node {node.name!r}: a convolution whose weight's shape was not recorded")
        per = _elements(sw[1:])
        out = _elements(so)
        sums.add(f"{node.name} (convolution, weight {_dims(sw)})", macs=out * per, formula=_factors(*so, *sw[1:]))
        return
    if name == "scaled_dot_product_attention":
        q, k, v = (_shape(a) for a in args[:3])
        if q is None or k is None or v is None:
            raise SymcnnError(f"graph node {node.name!r}: attention whose shapes were not recorded")
        batch, length, width = _elements(q[:-2]), sp.Integer(q[-2]), sp.Integer(q[-1])
        keys, vwidth = sp.Integer(k[-2]), sp.Integer(v[-1])
        sums.add(f"{node.name} (attention: {batch} heads of {length} queries over {keys} keys)",
                 macs=batch * length * keys * (width + vwidth), other=3 * batch * length * keys,
                 formula=f"{_factors(*q[:-2], length, keys)} x ({width} + {vwidth})")
        return
    if name == "einsum":
        _einsum(sums, node)
        return
    if name in _VIEWS:
        return
    if name in _ELEMENTWISE:
        shape = _shape(node)
        sums.add(f"{node.name} ({name})", other=_ELEMENTWISE[name] * _elements(shape) if shape else 0)
        return
    raise SymcnnError(f"graph node {node.name!r}: {name!r} inside a module read as its operations: symcnn has no "
                      "formula for it")


def _einsum(sums: Sums, node) -> None:
    spec, *operands = node.args
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = list(operands[0])
    if not isinstance(spec, str) or len(operands) != 2 or "->" not in spec:
        raise SymcnnError(f"graph node {node.name!r}: only an einsum of two operands with an output is read")
    ins, _ = spec.replace(" ", "").split("->")
    sizes: dict[str, int] = {}
    for letters, a in zip(ins.split(","), operands):
        shape = _shape(a)
        named = letters.replace("...", "")
        if shape is None or len(shape) < len(named) or ("..." not in letters and len(shape) != len(named)):
            raise SymcnnError(f"graph node {node.name!r}: an einsum whose operands' shapes were not recorded")
        if "..." in letters:  # the axes '...' stands for, named by their place from the right (they broadcast)
            before, after = letters.split("...")
            spread = len(shape) - len(named)
            axes = [*before, *(f"...{spread - i}" for i in range(spread)), *after]
        else:
            axes = list(letters)
        for axis, size in zip(axes, shape):
            sizes[axis] = max(size, sizes.get(axis, 1))
    macs = _elements(tuple(sizes.values()))
    sums.add(f"{node.name} (einsum {spec})", macs=macs, formula=_factors(*sizes.values()))


#: torch.export's wrappers of a region run under another mode (autocast, grad on or off): the region is read
_REGIONS = frozenset({"wrap_with_autocast", "wrap_with_set_grad_enabled"})


def _read_region(sums: Sums, gm, node, params: dict, depth: int = 0) -> None:
    """The operators of a region torch.export wrapped (``wrap_with_autocast(..., submod, *args)``): read like any."""
    sub = next((a for a in node.args if getattr(a, "op", None) == "get_attr"), None)
    if sub is None or depth > 8:
        raise SymcnnError(f"graph node {node.name!r}: a wrapped region whose graph is not found")
    region = getattr(gm, str(sub.target))
    for n in region.graph.nodes:
        if n.op in ("placeholder", "output", "get_attr"):
            continue
        if n.op == "call_function" and getattr(n.target, "__name__", "") in _REGIONS:
            _read_region(sums, region, n, params, depth + 1)
        elif n.op == "call_function":
            _call(sums, n, params)
        else:
            raise SymcnnError(f"graph node {n.name!r} ({n.op}) of a wrapped region is not understood")


def read_exported(ep, path: str, first) -> Sums:
    """The sums of a module's operations as torch.export records them (ATen operators; its parameters are inputs of
    the graph, named relative to the module at ``path``)."""
    sums = Sums()
    to_param = dict(ep.graph_signature.inputs_to_parameters)
    state = ep.state_dict
    params: dict = {}
    regions = {str(a.target) for n in ep.graph.nodes if n.op == "call_function" and
               getattr(n.target, "__name__", "") in _REGIONS for a in n.args if getattr(a, "op", None) == "get_attr"}
    for n in ep.graph.nodes:
        if n.op == "get_attr" and str(n.target) in regions:
            continue  # a wrapped region's graph: read where it is called
        if n.op == "call_function" and getattr(n.target, "__name__", "") in _REGIONS:
            _read_region(sums, ep.graph_module, n, params)
            continue
        if n.op == "placeholder":
            fqn = to_param.get(n.name)
            if fqn is None:
                continue  # the input, or a buffer (nothing learned)
            target = f"{path}.{fqn}" if path else fqn
            if not n.users:
                raise SymcnnError(f"module {path!r} holds the parameter {fqn!r}, which its forward pass never reads: "
                                  "not counted blind, not supported")
            params[n.name] = state[fqn]
            if first(target):
                size = _elements(tuple(state[fqn].shape))
                biased = fqn.rsplit(".", 1)[-1] == "bias"
                sums.add(f"{fqn} (a learned tensor, {_dims(tuple(state[fqn].shape)) or 'one number'})",
                         weights=0 if biased else size, biases=size if biased else 0)
        elif n.op == "call_function":
            _call(sums, n, params)
        elif n.op != "output":
            raise SymcnnError(f"module {path!r}: graph node {n.name!r} ({n.op}) of torch.export's graph is not "
                              "understood")
    return sums


def read(nodes, modules: dict, gm, on_path, is_meta, first, leaf=None, exported=None) -> Sums:
    """The sums of a module's operations: ``nodes`` are its graph nodes in order; ``first(target)`` says whether a
    module's or a learned tensor's parameters are counted here (its first use) and records that they are;
    ``leaf`` reads a module a layer kind knows (see ``_module``)."""
    torch = torch_module()
    sums = Sums()
    params: dict[str, Any] = {}
    for n in nodes:
        if n.op == "get_attr":
            if n.users and all(is_meta(u) for u in n.users):
                continue  # only its dtype or shape is read ('x.to(self.proj.weight.dtype)'): no values
            value = gm
            for part in str(n.target).split("."):
                value = getattr(value, part)
            if isinstance(value, torch.nn.Parameter) and n.target not in params:
                params[n.target] = value
                if not first(n.target):
                    continue
                sums.add(f"{n.target} (a learned tensor, {_dims(tuple(value.shape)) or 'one number'})",
                         weights=_elements(tuple(value.shape)))
            continue
        if is_meta(n):
            continue  # a shape read
        if n not in on_path and not (n.op == "call_module" or op_name(n) in _PRODUCTS):
            continue  # a tensor computed from no input by views and elementwise steps (an index table, a mask)
        # (a product or a module on such a tensor, a position encoding's projection of a grid, runs on every pass
        # and is counted like any other)
        if n.op == "call_module":
            prev = next((a for a in n.all_input_nodes if a in on_path), None) or next(
                (a for a in n.all_input_nodes if _shape(a) is not None), None)
            shape_in, shape_out = (_shape(prev) if prev is not None else None), _given_shape(n)
            if shape_in is None or shape_out is None:
                raise SymcnnError(f"module {n.target!r} inside a module read as its operations: its input's or "
                                  "output's shape was not recorded")
            _module(sums, n.target, modules[n.target], shape_in, shape_out, first(n.target), leaf,
                    None if exported is None else (lambda name, m, shape, n=n, prev=prev: exported(name, m, n, prev)))
        elif n.op in ("call_function", "call_method"):
            _call(sums, n, params)
        else:
            raise SymcnnError(f"graph node {n.name!r} ({n.op}) inside a module read as its operations: not understood")
    return sums
