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


def _shape(node):
    """The tensor shape ShapeProp recorded for a node (None for non-tensors)."""
    meta = node.meta.get("tensor_meta")
    shape = getattr(meta, "shape", None)
    return None if shape is None else tuple(int(v) for v in shape)


def _operand_text(a) -> str:
    if hasattr(a, "op"):
        if a.op == "get_attr":
            return f"the tensor {a.target!r} (read directly: a parameter or buffer no layer owns)"
        return f"{a.name!r}"
    return repr(a)


def _reshape(node, what: str, shape_in, shape_out):
    """A flatten, view or reshape is read by what it does to the shape: (N, C, H, W) to
    (N, C*H*W) is a flatten, an unchanged shape is a no-op; anything else is refused."""
    if shape_in is None or shape_out is None:
        raise SymcnnError(f"graph node {node.name!r}: {what} of a value whose shape is unknown")
    if shape_out == shape_in:
        return None
    n = 1
    for v in shape_in[1:]:
        n *= v
    if len(shape_in) >= 2 and shape_out == (shape_in[0], n):
        return "flatten", {}
    raise SymcnnError(f"graph node {node.name!r}: {what} from {list(shape_in)} to {list(shape_out)} is not a "
                      "flatten (symcnn reads (N, C, H, W) -> (N, C*H*W) only)")


_NOOPS = ("contiguous", "clone", "detach")


def _function_layer(node, shape_in):
    torch = _torch()
    F = torch.nn.functional
    fn = node.target
    shape_out = _shape(node)
    if node.op == "call_method":
        method = fn
        if method in ("relu", "relu_"):
            return "relu", {}
        if method in ("sigmoid", "tanh"):
            return method, {}
        if method in _NOOPS:
            return None
        if method in ("flatten", "view", "reshape"):
            return _reshape(node, f"x.{method}(...)", shape_in, shape_out)
        if method in ("add", "add_", "mul", "mul_", "sub", "div"):
            raise SymcnnError(f"graph node {node.name!r}: x.{method}() with "
                              f"{', '.join(_operand_text(a) for a in node.args[1:]) or 'no other tensor'}: symcnn "
                              "has no layer kind for elementwise arithmetic with a constant or an unowned tensor")
        raise SymcnnError(f"graph node {node.name!r}: unsupported method {method!r}: symcnn has no layer kind for it")
    if fn in (F.relu, torch.relu, torch.relu_):
        return "relu", {}
    if fn in (torch.sigmoid, F.sigmoid):
        return "sigmoid", {}
    if fn in (torch.tanh, F.tanh):
        return "tanh", {}
    if fn in (F.dropout,):
        return "dropout", {}
    if fn in (torch.flatten, torch.reshape):
        return _reshape(node, f"torch.{fn.__name__}(...)", shape_in, shape_out)
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
    if fn in (operator.add, operator.iadd, torch.add, operator.mul, operator.imul, torch.mul, operator.sub,
              torch.sub, operator.truediv, torch.div):
        others = [a for a in node.args[1:]] + [a for a in node.args[:1] if not hasattr(a, "op")]
        consts = [a for a in node.args if not hasattr(a, "op") or a.op == "get_attr"]
        raise SymcnnError(f"graph node {node.name!r}: {getattr(fn, '__name__', fn)} with "
                          f"{', '.join(_operand_text(a) for a in (consts or others))}: symcnn has no layer kind for "
                          "elementwise arithmetic with a constant or an unowned tensor")
    raise SymcnnError(f"graph node {node.name!r}: unsupported function {getattr(fn, '__name__', fn)!r}: "
                      "symcnn has no layer kind for it")


_META_METHODS = ("size", "dim", "numel")
_META_ATTRS = ("shape", "ndim", "dtype", "device")


def _is_meta(u) -> bool:
    """A use that reads only a tensor's shape, never its values."""
    if u.op == "call_method" and u.target in _META_METHODS:
        return True
    return u.op == "call_function" and u.target is getattr and len(u.args) > 1 and u.args[1] in _META_ATTRS


def _data_users(node):
    return [u for u in node.users if not _is_meta(u)]


class _Reader:
    def __init__(self, gm):
        self.modules = dict(gm.named_modules())
        self.names: set[str] = set()
        self.visited: set = set()
        self.first_use: dict[str, str] = {}  # module target -> the layer named after its first application
        self.module_layers: list[tuple[str, str]] = []  # (layer name, module target), first applications
        placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
        # tensors computed from the input: only these can be the operands of a join
        self.on_path: set = set()
        todo = list(placeholders)
        while todo:
            n = todo.pop()
            if n in self.on_path:
                continue
            self.on_path.add(n)
            todo.extend(u for u in n.users if not _is_meta(u))

    def join(self, node) -> str | None:
        """'add' or 'cat' when ``node`` joins two or more tensors computed from the input."""
        torch = _torch()
        if node.op == "call_function" and node.target in (operator.add, operator.iadd, torch.add) or (
                node.op == "call_method" and node.target in ("add", "add_")):
            operands = [a for a in node.args if hasattr(a, "op") and a in self.on_path]
            extra = [a for a in node.args if a not in operands] + list(node.kwargs.values())
            if len(operands) >= 2:
                if extra:
                    raise SymcnnError(f"graph node {node.name!r}: an add with a further operand "
                                      f"{_operand_text(extra[0])}: not supported")
                return "add"
            return None
        if node.op == "call_function" and node.target is torch.cat:
            items = node.args[0] if node.args else node.kwargs.get("tensors", ())
            dim = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim", 0)
            operands = [a for a in items if hasattr(a, "op") and a in self.on_path]
            if len(operands) != len(items):
                odd = next(a for a in items if a not in operands)
                raise SymcnnError(f"graph node {node.name!r}: concatenates {_operand_text(odd)}, which is not "
                                  "computed from the input: not supported")
            if dim not in (1, -3):
                raise SymcnnError(f"graph node {node.name!r}: only concatenation along channels (dim=1) is "
                                  "supported")
            return "cat" if len(operands) >= 2 else None
        return None

    def name(self, base: str) -> str:
        base = base or "layer"
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base}#{n}"
        self.names.add(name)
        return name

    def layer(self, node, prev) -> Layer | None:
        self.visited.add(node)
        shares = None
        if node.op == "call_module":
            module = self.modules[node.target]
            if type(module) is _torch().nn.Identity:
                return None  # a pass-through (an identity shortcut): nothing to count
            if isinstance(module, _torch().nn.Flatten):
                got = _reshape(node, f"module {node.target!r} (Flatten)", _shape(prev), _shape(node))
                if got is None:
                    return None
                kind, args = got
            else:
                kind, args = _module_layer(node.target, module)
            name = node.target
            shares = self.first_use.get(node.target)
        elif node.op in ("call_function", "call_method"):
            got = _function_layer(node, _shape(prev))
            if got is None:
                return None
            kind, args = got
            name = node.name
        elif node.op == "output":
            raise SymcnnError(f"graph node {prev.name!r} is returned and also used further: a network with "
                              "several outputs is not supported")
        else:
            raise SymcnnError(f"graph node {node.name!r} ({node.op} {node.target}) is not understood")
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
        layer_name = self.name(name)
        if node.op == "call_module" and shares is None:
            self.first_use[node.target] = layer_name
            self.module_layers.append((layer_name, node.target))
        return Layer(layer_name, kind, tuple(full.items()), f"torch:{node.name}", shares=shares)

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
                if self.join(u):
                    return children, cur
                layer = self.layer(u, cur)
                if layer is not None:
                    children.append(layer)
                cur = u
                continue
            branches, join = [], None
            for u in users:
                if self.join(u):
                    body, end, j = [], cur, u
                else:
                    first_layer = self.layer(u, cur)
                    body, end = self.chain(u, first_layer)
                    body = [c for c in body if c is not None]
                    ends = _data_users(end)
                    if len(ends) != 1 or not self.join(ends[0]):
                        raise SymcnnError(f"unsupported graph: the paths leaving {cur.name!r} do not meet at one "
                                          "add or cat")
                    j = ends[0]
                if join is None:
                    join = j
                elif j is not join:
                    raise SymcnnError(f"unsupported graph: the paths leaving {cur.name!r} meet at different nodes")
                branches.append((end, body))
            kind = self.join(join)
            self.visited.add(join)
            inputs = list(join.args[0]) if kind == "cat" else [a for a in join.args if hasattr(a, "op")]
            ordered = []
            for inp in inputs:
                match = [b for e, b in branches if e is inp]
                if not match:
                    raise SymcnnError(f"unsupported graph: {join.name!r} takes an input that is not a path from "
                                      f"{cur.name!r}")
                ordered.append(match[0])
                branches = [(e, b) for e, b in branches if b is not match[0]]
            if branches:
                raise SymcnnError(f"unsupported graph: a path from {cur.name!r} reaches {join.name!r} more than once")
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


def _first_line(exc) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


def _eval_mode(module):
    """Put a module in eval mode; return a function that restores every submodule's flag."""
    flags = [(m, m.training) for m in module.modules()]
    module.eval()

    def restore():
        for m, flag in flags:
            m.training = flag

    return restore


def _group_not_run(names_counts, owned_names) -> tuple[tuple[str, int], ...]:
    """Group parameters no traced layer owns by the largest module prefix that owns nothing traced."""
    groups: dict[str, int] = {}
    for name, count in names_counts:
        parts = name.split(".")
        key = name
        for i in range(1, len(parts)):
            prefix = ".".join(parts[:i])
            if not any(o == prefix or o.startswith(prefix + ".") for o in owned_names):
                key = prefix
                break
        groups[key] = groups.get(key, 0) + count
    return tuple(groups.items())


def from_torch(module, input_shape, name: str | None = None, *, verify: bool = True) -> Network:
    """A symcnn network from a ``torch.nn.Module`` and an input shape (C, H, W).

    The module is traced with torch.fx in eval mode (the graph a deployed model
    runs) and run once on a zero input to record every tensor's shape.  Chains,
    residual additions and channel concatenations become symcnn sequences,
    residual blocks and concats.  Every node of the graph is accounted for or
    refused by name; a module applied several times has its parameters counted
    once (its multiply-adds every time); parameters of modules the graph never
    runs are listed in ``Network.not_run``.  With ``verify`` the derived table
    is compared with the module: every layer's parameter count with its
    tensors' ``numel()``, every output shape with the traced one."""
    torch = _torch()
    if len(tuple(input_shape)) != 3 or not all(isinstance(v, int) and v > 0 for v in input_shape):
        raise SymcnnError(f"input_shape must be (C, H, W) positive integers, got {input_shape!r}")
    cls = type(module).__name__
    restore = _eval_mode(module)
    try:
        try:
            gm = torch.fx.symbolic_trace(module)
        except Exception as exc:  # noqa: BLE001 - any tracing failure is reported on one line
            raise SymcnnError(f"torch.fx cannot trace {cls}: {_first_line(exc)}") from None
        placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
        if len(placeholders) != 1:
            raise SymcnnError(f"{cls}.forward must take one input tensor")
        from torch.fx.passes.shape_prop import ShapeProp

        try:
            with torch.no_grad():
                ShapeProp(gm).propagate(torch.zeros(1, *input_shape))
        except Exception as exc:  # noqa: BLE001
            raise SymcnnError(f"{cls} does not run on a 1x{'x'.join(map(str, input_shape))} input: "
                              f"{_first_line(exc)}") from None
    finally:
        restore()
    reader = _Reader(gm)
    children, end = reader.chain(placeholders[0])
    rest = [u for u in _data_users(end) if u.op != "output"]
    if rest or end is placeholders[0] and not children:
        bad = rest[0] if rest else end
        raise SymcnnError(f"graph node {bad.name!r} is not understood here (the import stopped at "
                          f"{end.name!r})")
    reader.visited.add(end)
    for node in gm.graph.nodes:
        if node.op in ("placeholder", "output") or node in reader.visited:
            continue
        if node.op == "get_attr":
            raise SymcnnError(f"graph node {node.name!r} reads the tensor {node.target!r} directly: a parameter "
                              "or buffer that no layer kind owns")
        if _shape(node) is not None or node in reader.on_path and not _is_meta(node):
            raise SymcnnError(f"graph node {node.name!r} ({node.op} {getattr(node.target, '__name__', node.target)}) "
                              "is not on the path symcnn read: not supported")
    # parameters: counted once each, by the layer that first applies their module
    owners: dict[int, str] = {}
    for layer_name, target in reader.module_layers:
        for pname, p in reader.modules[target].named_parameters():
            if id(p) in owners:
                raise SymcnnError(f"module {target!r} shares its parameter {pname!r} with {owners[id(p)]!r}: "
                                  "weights tied between different modules are not supported")
            owners[id(p)] = target
    seen: set[int] = set()
    not_run = []
    for pname, p in module.named_parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        if id(p) not in owners:
            not_run.append((pname, int(p.numel())))
    owned_names = [t for _, t in reader.module_layers]
    net = Network(name or cls.lower(), Shape(*(sp.Integer(v) for v in input_shape)),
                  Sequence("", tuple(children)), {}, title=f"{cls} (from PyTorch)",
                  source=f"torch.fx trace of {cls} (eval mode)",
                  not_run=_group_not_run(not_run, owned_names))
    if verify:
        _verify(net, gm, reader)
    return net


def _verify(net: Network, gm, reader) -> None:
    """The derived table against the module: parameters per layer, output shapes per node."""
    from .derive import derive

    table = derive(net)
    nodes = {n.name: n for n in gm.graph.nodes}
    targets = dict(reader.module_layers)
    for row in table.rows:
        node = nodes.get((row.origin or "")[len("torch:"):]) if (row.origin or "").startswith("torch:") else None
        if row.layer is not None and row.name in targets:
            held = sum(int(p.numel()) for p in reader.modules[targets[row.name]].parameters())
            if row.params != held:
                raise SymcnnError(f"layer {row.name!r}: symcnn counts {row.params} parameters but the module holds "
                                  f"{held}: not supported")
        shape = None if node is None else _shape(node)
        if shape is not None:
            mine = tuple(int(v) for v in row.output.as_tuple())
            theirs = shape[1:]
            if len(theirs) == 3 and mine != theirs or len(theirs) != 3 and \
                    mine[0] * mine[1] * mine[2] != _prod(theirs):
                raise SymcnnError(f"layer {row.name!r}: symcnn derives {'x'.join(map(str, mine))} but PyTorch "
                                  f"gives {'x'.join(map(str, theirs))}: not supported")


def _prod(values) -> int:
    out = 1
    for v in values:
        out *= int(v)
    return out


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
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - the user's code failed to import: one line
        raise SymcnnError(f"cannot import {path!r}: {_first_line(exc)}") from None
    if not hasattr(mod, attr):
        raise SymcnnError(f"{path!r} has no attribute {attr!r}")
    obj = getattr(mod, attr)
    if not isinstance(obj, torch.nn.Module):
        try:
            obj = obj()
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            raise SymcnnError(f"{spec}: calling it with no arguments failed: {_first_line(exc)}") from None
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

    doc = (f"{net.title or net.name}: generated by symcnn (symcnn export --torch {net.name}).\n\n"
           f"Input: {'x'.join(str(v) for v in net.input.as_tuple())} (C x H x W).\n")
    source = (f"{_literal(doc)}\n\n"
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
    check_generated_source(source, doc, keys={k for k, _ in module.named_modules() if k} | {
        name for name, _ in module.named_children()})
    return source


def _literal(text: str) -> str:
    """A Python string literal for any text: triple-quoted when that is plainly
    safe (no quotes, backslashes or control characters), else repr's escaped form."""
    text = str(text)
    plain = all(ch == "\n" or 32 <= ord(ch) < 127 or ord(ch) > 159 for ch in text)
    if plain and '"' not in text and "\\" not in text:
        return f'"""{text}"""'
    return repr(text)


#: the only calls generated source may make
_ALLOWED_CALLS = {"OrderedDict", "Concat", "Residual", "super", "super().__init__", "b", "torch.cat", "self.body",
                  "self.shortcut"}


def check_generated_source(source: str, doc: str, keys=()) -> None:
    """Refuse generated source unless it parses, its docstring is exactly ``doc``,
    and every other string in it is a layer key or a literal torch's reprs emit
    (no user text can become code)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError as exc:  # a bug in symcnn, not the user's input: still one line, never written
        raise SymcnnError(f"internal error: generated source does not parse ({exc.msg}, line {exc.lineno})") from None
    if ast.get_docstring(tree, clean=False) != doc:
        raise SymcnnError("internal error: the generated module's docstring is not the text it was built from")
    allowed_strings = {"zeros", "reflect", "replicate", "circular", "same", "valid", "nearest", "bilinear"}
    keys = {k.split(".")[-1] for k in keys}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == doc or node.value in keys or node.value in allowed_strings:
                continue
            if node.value in ("Parallel branches concatenated along channels.", "body(x) + shortcut(x)."):
                continue
            raise SymcnnError(f"internal error: generated source holds an unexpected string {node.value[:40]!r}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = {a.name for a in node.names}
            if not names <= {"OrderedDict", "torch", "nn"}:
                raise SymcnnError(f"internal error: generated source imports {sorted(names)}")
        if isinstance(node, ast.Call):
            f = node.func
            callee = ast.unparse(f)
            ok = callee in _ALLOWED_CALLS or re.fullmatch(r"nn\.[A-Z][A-Za-z0-9]*", callee)
            if not ok:
                raise SymcnnError(f"internal error: generated source calls {ast.unparse(f)!r}")
