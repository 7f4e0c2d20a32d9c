"""PyTorch in and out: read a ``torch.nn.Module`` into a symcnn network
(traced with torch.fx), and build a module from any symcnn network.

Needs the optional extra ``symcnn[torch]`` (``pip install torch==2.13.0``).
Every module or function symcnn has no layer kind for is an error that
names it; nothing is ever counted as zero.
"""

from __future__ import annotations

import importlib
import importlib.util
import operator
import re
from collections import OrderedDict
from pathlib import Path

import sympy as sp

from .errors import SymcnnError
from .layers.base import Shape
from .network import Concat, Layer, Network, Residual, Sequence


def _torch():
    try:
        import torch
        import torch.fx  # noqa: F401
        import torch.nn.functional  # noqa: F401
    except ImportError:
        raise SymcnnError("this needs PyTorch: pip install 'symcnn[torch]' (torch==2.13.0)") from None
    return torch


# -- torch -> symcnn -------------------------------------------------------------------------------------------

def _pair(v):
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise SymcnnError(f"expected one value or two (height, width), got {v!r}")
        return (sp.Integer(v[0]), sp.Integer(v[1]))
    return (sp.Integer(v), sp.Integer(v))


def _module_layer(name: str, m):
    """(kind, args) for a torch module."""
    nn = _torch().nn
    if isinstance(m, nn.Conv2d):
        if isinstance(m.padding, str):
            pad = (sp.Integer(0), sp.Integer(0)) if m.padding == "valid" else "same"
        else:
            pad = _pair(m.padding)
        return "conv", dict(out=sp.Integer(m.out_channels), k=_pair(m.kernel_size), s=_pair(m.stride), p=pad,
                            d=_pair(m.dilation), g=sp.Integer(m.groups), bias=m.bias is not None,
                            **{"in": sp.Integer(m.in_channels)})
    if isinstance(m, nn.MaxPool2d):
        return "maxpool", dict(k=_pair(m.kernel_size), s=_pair(m.stride if m.stride is not None else m.kernel_size),
                               p=_pair(m.padding), d=_pair(m.dilation), ceil=bool(m.ceil_mode))
    if isinstance(m, nn.AvgPool2d):
        return "avgpool", dict(k=_pair(m.kernel_size), s=_pair(m.stride if m.stride is not None else m.kernel_size),
                               p=_pair(m.padding), ceil=bool(m.ceil_mode))
    if isinstance(m, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        size = m.output_size
        if size is None or (isinstance(size, (tuple, list)) and None in size):
            raise SymcnnError(f"module {name!r}: adaptive pooling with a None output size is not supported")
        kind = "adaptiveavgpool" if isinstance(m, nn.AdaptiveAvgPool2d) else "adaptivemaxpool"
        return kind, dict(out=_pair(size))
    if isinstance(m, nn.Linear):
        return "linear", dict(out=sp.Integer(m.out_features), bias=m.bias is not None,
                              **{"in": sp.Integer(m.in_features)})
    if isinstance(m, nn.BatchNorm2d):
        return "batchnorm", dict(affine=bool(m.affine), c=sp.Integer(m.num_features))
    if isinstance(m, nn.LocalResponseNorm):
        return "lrn", dict(size=sp.Integer(m.size), alpha=None, beta=None, k=None)
    if isinstance(m, nn.Flatten):
        if m.start_dim != 1 or m.end_dim != -1:
            raise SymcnnError(f"module {name!r}: only Flatten(start_dim=1, end_dim=-1) is supported")
        return "flatten", {}
    simple = {nn.ReLU: "relu", nn.LeakyReLU: "leakyrelu", nn.Sigmoid: "sigmoid", nn.Tanh: "tanh",
              nn.Dropout: "dropout", nn.Dropout2d: "dropout"}
    for cls, kind in simple.items():
        if type(m) is cls:
            return kind, {}
    if isinstance(m, nn.Softmax):
        if m.dim not in (1, -3):
            raise SymcnnError(f"module {name!r}: softmax over dim {m.dim} is not supported (channels: dim=1)")
        return "softmax", {}
    raise SymcnnError(f"unsupported module {name!r} ({type(m).__name__}): symcnn has no layer kind for it")


def _function_layer(node):
    torch = _torch()
    F = torch.nn.functional
    fn = node.target
    if node.op == "call_method":
        method = fn
        if method in ("relu", "relu_"):
            return "relu", {}
        if method in ("sigmoid", "tanh"):
            return method, {}
        if method in ("contiguous", "clone", "detach"):
            return None
        if method in ("flatten", "view", "reshape"):
            if method == "flatten" and tuple(node.args[1:2]) not in ((1,),):
                raise SymcnnError(f"{node.name}: only x.flatten(1) is supported")
            return "flatten", {}
        raise SymcnnError(f"unsupported method {method!r} in {node.name}")
    if fn in (F.relu, torch.relu, torch.relu_):
        return "relu", {}
    if fn in (torch.sigmoid, F.sigmoid):
        return "sigmoid", {}
    if fn in (torch.tanh, F.tanh):
        return "tanh", {}
    if fn in (F.dropout,):
        return "dropout", {}
    if fn is torch.flatten:
        start = node.args[1] if len(node.args) > 1 else node.kwargs.get("start_dim", 0)
        if start != 1:
            raise SymcnnError(f"{node.name}: only torch.flatten(x, 1) is supported")
        return "flatten", {}
    if fn is F.adaptive_avg_pool2d:
        size = node.args[1] if len(node.args) > 1 else node.kwargs["output_size"]
        return "adaptiveavgpool", dict(out=_pair(size))
    if fn in (F.max_pool2d, F.avg_pool2d):
        args = list(node.args[1:])
        names = ["kernel_size", "stride", "padding"]
        vals = {n: (args[i] if i < len(args) else node.kwargs.get(n)) for i, n in enumerate(names)}
        k = vals["kernel_size"]
        s = vals["stride"] if vals["stride"] not in (None, []) else k
        ceil = bool(node.kwargs.get("ceil_mode", False))
        kind = "maxpool" if fn is F.max_pool2d else "avgpool"
        out = dict(k=_pair(k), s=_pair(s), p=_pair(vals["padding"] or 0), ceil=ceil)
        if kind == "maxpool":
            out["d"] = _pair(node.kwargs.get("dilation", 1))
        return kind, out
    raise SymcnnError(f"unsupported function {getattr(fn, '__name__', fn)!r} in {node.name}: "
                      "symcnn has no layer kind for it")


def _is_join(node) -> str | None:
    torch = _torch()
    if node.op == "call_function" and node.target in (operator.add, operator.iadd, torch.add):
        return "add"
    if node.op == "call_method" and node.target in ("add", "add_"):
        return "add"
    if node.op == "call_function" and node.target is torch.cat:
        dim = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim", 0)
        if dim not in (1, -3):
            raise SymcnnError(f"{node.name}: only concatenation along channels (dim=1) is supported")
        return "cat"
    return None


_META = ("size", "dim", "shape")


def _data_users(node):
    out = []
    for u in node.users:
        if u.op == "call_method" and u.target in _META:
            continue
        if u.op == "call_function" and u.target is getattr and u.args[1] in _META:
            continue
        out.append(u)
    return out


class _Reader:
    def __init__(self, gm):
        self.modules = dict(gm.named_modules())
        self.names: set[str] = set()

    def name(self, base: str) -> str:
        base = base or "layer"
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base}#{n}"
        self.names.add(name)
        return name

    def layer(self, node) -> Layer | None:
        if node.op == "call_module":
            if type(self.modules[node.target]) is _torch().nn.Identity:
                return None  # a pass-through (an identity shortcut): nothing to count
            kind, args = _module_layer(node.target, self.modules[node.target])
            name = node.target
        elif node.op in ("call_function", "call_method"):
            got = _function_layer(node)
            if got is None:
                return None
            kind, args = got
            name = node.name
        else:
            raise SymcnnError(f"unsupported graph node {node.name!r} ({node.op})")
        from .layers import kind as lookup

        k = lookup(kind)
        full = {p.name: p.default for p in k.params if not p.required}
        for p in k.params:
            if p.required:
                continue
            if p.kind == "pair" and full[p.name] is not None and not isinstance(full[p.name], tuple):
                full[p.name] = _pair(full[p.name])
            elif p.kind == "expr" and isinstance(full[p.name], int) and not isinstance(full[p.name], bool):
                full[p.name] = sp.Integer(full[p.name])
        full.update(args)
        return Layer(self.name(name), kind, tuple(full.items()), f"torch:{node.name}")

    def chain(self, start, first=None):
        """Layers from ``start`` until the graph ends or a branch reaches a join."""
        children = [] if first is None else [first]
        cur = start
        while True:
            users = _data_users(cur)
            if not users or all(u.op == "output" for u in users):
                return children, cur
            if len(users) == 1:
                u = users[0]
                if _is_join(u):
                    return children, cur
                layer = self.layer(u)
                if layer is not None:
                    children.append(layer)
                cur = u
                continue
            branches, join = [], None
            for u in users:
                if _is_join(u):
                    body, end, j = [], cur, u
                else:
                    first_layer = self.layer(u)
                    body, end = self.chain(u, first_layer)
                    body = [c for c in body if c is not None]
                    ends = _data_users(end)
                    if len(ends) != 1 or not _is_join(ends[0]):
                        raise SymcnnError(f"unsupported graph: the paths leaving {cur.name!r} do not meet at one "
                                          "add or cat")
                    j = ends[0]
                if join is None:
                    join = j
                elif j is not join:
                    raise SymcnnError(f"unsupported graph: the paths leaving {cur.name!r} meet at different nodes")
                branches.append((end, body))
            kind = _is_join(join)
            inputs = list(join.args[0]) if kind == "cat" else [a for a in join.args if hasattr(a, "op")]
            ordered = []
            for inp in inputs:
                match = [b for e, b in branches if e is inp]
                if not match:
                    raise SymcnnError(f"unsupported graph: {join.name!r} takes an input that is not a path from "
                                      f"{cur.name!r}")
                ordered.append(match[0])
                branches = [(e, b) for e, b in branches if b is not match[0]]
            name = self.name(join.name)
            if kind == "cat":
                children.append(Concat(name, tuple(Sequence(f"{name}.b{i}", tuple(b))
                                                   for i, b in enumerate(ordered, 1)), f"torch:{join.name}"))
            else:
                if len(ordered) != 2:
                    raise SymcnnError(f"{join.name!r}: only two-way residual additions are supported")
                body, short = sorted(ordered, key=len, reverse=True)
                children.append(Residual(name, Sequence(name, tuple(body)),
                                         Sequence(f"{name}.shortcut", tuple(short)) if short else None,
                                         f"torch:{join.name}"))
            cur = join


def from_torch(module, input_shape, name: str | None = None) -> Network:
    """A symcnn network from a ``torch.nn.Module`` and an input shape (C, H, W).

    Traced with torch.fx: chains, residual additions and channel
    concatenations become symcnn sequences, residual blocks and concats."""
    torch = _torch()
    if len(tuple(input_shape)) != 3 or not all(isinstance(v, int) and v > 0 for v in input_shape):
        raise SymcnnError(f"input_shape must be (C, H, W) positive integers, got {input_shape!r}")
    try:
        gm = torch.fx.symbolic_trace(module)
    except Exception as exc:  # noqa: BLE001 - any tracing failure is reported on one line
        raise SymcnnError(f"torch.fx cannot trace {type(module).__name__}: {type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise SymcnnError(f"{type(module).__name__}.forward must take one input tensor")
    reader = _Reader(gm)
    children, _ = reader.chain(placeholders[0])
    cls = type(module).__name__
    return Network(name or cls.lower(), Shape(*(sp.Integer(v) for v in input_shape)),
                   Sequence("", tuple(children)), {}, title=f"{cls} (from PyTorch)",
                   source=f"torch.fx trace of {cls}")


def load_module(spec: str):
    """``MODULE_PATH:ATTR``: a dotted module or a .py file, and an attribute that is a
    module instance, or a class or function that builds one with no arguments."""
    torch = _torch()
    path, colon, attr = spec.rpartition(":")
    if not colon or not path or not attr:
        raise SymcnnError(f"--torch takes MODULE_PATH:ATTR (a dotted module or a .py file), got {spec!r}")
    try:
        if path.endswith(".py") or "/" in path:
            file = Path(path)
            if not file.is_file():
                raise SymcnnError(f"no such file {path!r}")
            s = importlib.util.spec_from_file_location(file.stem, file)
            mod = importlib.util.module_from_spec(s)
            s.loader.exec_module(mod)
        else:
            mod = importlib.import_module(path)
    except SymcnnError:
        raise
    except Exception as exc:  # noqa: BLE001 - the user's code failed to import: one line
        raise SymcnnError(f"cannot import {path!r}: {type(exc).__name__}: {exc}") from None
    if not hasattr(mod, attr):
        raise SymcnnError(f"{path!r} has no attribute {attr!r}")
    obj = getattr(mod, attr)
    if not isinstance(obj, torch.nn.Module):
        try:
            obj = obj()
        except Exception as exc:  # noqa: BLE001
            raise SymcnnError(f"{spec}: calling it with no arguments failed: {type(exc).__name__}: {exc}") from None
    if not isinstance(obj, torch.nn.Module):
        raise SymcnnError(f"{spec} is not a torch.nn.Module (got {type(obj).__name__})")
    return obj


# -- symcnn -> torch -------------------------------------------------------------------------------------------

def _modules():
    nn = _torch().nn

    class Concat(nn.Module):
        """Parallel branches concatenated along channels."""

        def __init__(self, branches):
            super().__init__()
            self.branches = nn.ModuleList(branches)

        def forward(self, x):
            return _torch().cat([b(x) for b in self.branches], 1)

    class Residual(nn.Module):
        """body(x) + shortcut(x)."""

        def __init__(self, body, shortcut=None):
            super().__init__()
            self.body = body
            self.shortcut = shortcut if shortcut is not None else nn.Identity()

        def forward(self, x):
            return self.body(x) + self.shortcut(x)

    return Concat, Residual


_CACHE: dict = {}


def _helpers():
    if "h" not in _CACHE:
        _CACHE["h"] = _modules()
    return _CACHE["h"]


def _ident(name: str) -> str:
    return re.sub(r"\W", "_", name.split(".")[-1] or "layer") or "layer"


def _int(v) -> int:
    v = sp.sympify(v)
    if not v.is_Integer:
        raise SymcnnError(f"export needs numbers, got {v} (give the symbols values with --set)")
    return int(v)


def _ints(p) -> tuple[int, int]:
    return (_int(p[0]), _int(p[1]))


def to_torch(net: Network, convention=None):
    """A ``torch.nn.Module`` with exactly this network's layers."""
    torch = _torch()
    nn = torch.nn
    from .derive import derive

    if net.free_symbols():
        names = ", ".join(sorted(s.name for s in net.free_symbols()))
        raise SymcnnError(f"export needs numbers; the network still has symbols {names} (use --set)")
    rows = {r.name: r for r in derive(net, convention).rows}
    Concat_, Residual_ = _helpers()

    def layer(l: Layer):
        row = rows[l.name]
        a = dict(l.args)
        x = row.input
        if l.kind == "conv":
            w = row.derivation.window
            return nn.Conv2d(_int(x.c), _int(a["out"]), _ints(a["k"]), stride=_ints(a["s"]),
                             padding=(_int(w.ph), _int(w.pw)), dilation=_ints(a["d"]), groups=_int(a["g"]),
                             bias=bool(a["bias"]))
        if l.kind in ("maxpool", "avgpool"):
            k = _ints(a["k"])
            s = _ints(a["s"]) if a["s"] is not None else k
            if l.kind == "maxpool":
                return nn.MaxPool2d(k, s, _ints(a["p"]), _ints(a["d"]), ceil_mode=bool(a["ceil"]))
            return nn.AvgPool2d(k, s, _ints(a["p"]), ceil_mode=bool(a["ceil"]))
        if l.kind == "adaptiveavgpool":
            return nn.AdaptiveAvgPool2d(_ints(a["out"]))
        if l.kind == "adaptivemaxpool":
            return nn.AdaptiveMaxPool2d(_ints(a["out"]))
        if l.kind == "linear":
            return nn.Linear(_int(x.c), _int(a["out"]), bias=bool(a["bias"]))
        if l.kind == "batchnorm":
            return nn.BatchNorm2d(_int(x.c), affine=bool(a["affine"]))
        if l.kind == "lrn":
            return nn.LocalResponseNorm(_int(a["size"]))
        if l.kind == "flatten":
            return nn.Flatten()
        if l.kind == "softmax":
            return nn.Softmax(dim=1)
        simple = {"relu": nn.ReLU, "leakyrelu": nn.LeakyReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
                  "dropout": nn.Dropout, "identity": nn.Identity}
        return simple[l.kind]()

    def build(node):
        if isinstance(node, Layer):
            return layer(node)
        if isinstance(node, Sequence):
            items, used = [], set()
            for child in node.children:
                key = _ident(child.name)
                while key in used:
                    key += "_"
                used.add(key)
                items.append((key, build(child)))
            return nn.Sequential(OrderedDict(items))
        if isinstance(node, Concat):
            return Concat_([build(b) for b in node.branches])
        return Residual_(build(node.body), None if node.shortcut is None else build(node.shortcut))

    return build(net.body)


def torch_source(net: Network, convention=None) -> str:
    """Standalone Python source that builds the same module (torch's own reprs
    of its layers are constructor calls)."""
    module = to_torch(net, convention)
    nn = _torch().nn
    Concat_, Residual_ = _helpers()

    def src(m, indent: int) -> str:
        pad = "    " * indent
        if isinstance(m, nn.Sequential):
            inner = ",\n".join(f"{pad}    ({name!r}, {src(c, indent + 1)})" for name, c in m.named_children())
            return f"nn.Sequential(OrderedDict([\n{inner}\n{pad}]))"
        if isinstance(m, Concat_):
            inner = ",\n".join(f"{pad}    {src(b, indent + 1)}" for b in m.branches)
            return f"Concat([\n{inner}\n{pad}])"
        if isinstance(m, Residual_):
            short = "None" if isinstance(m.shortcut, nn.Identity) else src(m.shortcut, indent + 1)
            return f"Residual(\n{pad}    {src(m.body, indent + 1)},\n{pad}    {short})"
        return f"nn.{m!r}"

    return (f'"""{net.title or net.name}: generated by symcnn (symcnn export --torch {net.name}).\n\n'
            f"Input: {'x'.join(str(v) for v in net.input.as_tuple())} (C x H x W).\n\"\"\"\n\n"
            "from collections import OrderedDict\n\nimport torch\nfrom torch import nn\n\n\n"
            "class Concat(nn.Module):\n    \"\"\"Parallel branches concatenated along channels.\"\"\"\n\n"
            "    def __init__(self, branches):\n        super().__init__()\n"
            "        self.branches = nn.ModuleList(branches)\n\n    def forward(self, x):\n"
            "        return torch.cat([b(x) for b in self.branches], 1)\n\n\n"
            "class Residual(nn.Module):\n    \"\"\"body(x) + shortcut(x).\"\"\"\n\n"
            "    def __init__(self, body, shortcut=None):\n        super().__init__()\n        self.body = body\n"
            "        self.shortcut = shortcut if shortcut is not None else nn.Identity()\n\n"
            "    def forward(self, x):\n        return self.body(x) + self.shortcut(x)\n\n\n"
            f"def build():\n    return {src(module, 1)}\n")
