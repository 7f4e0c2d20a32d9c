"""PyTorch -> symcnn, composite layers: the nodes of one application of a module gathered (one tensor in, one
out), the module to read as its operations after a refusal inside it, and torch.export's graph of a module no
tracer follows.  The operations' formulas are :mod:`symcnn.pytorch.ops`."""

from __future__ import annotations

import contextlib
import io
import re

import sympy as sp

from ..errors import SymcnnError
from ..layers.base import Shape
from .common import first_line, torch_module
from .nodes import _dims, _is_meta, _read_module
from .tracing import _eval_mode


class _Group:
    """The nodes of one application of a module read as its operations (a composite layer): the one tensor entering
    it, the one leaving it."""

    def __init__(self, path: str, nodes: list, entry, exit_) -> None:
        self.path, self.nodes, self.entry, self.exit = path, nodes, entry, exit_
        self.members = set(nodes)


def _stack(node) -> list[str]:
    """The module paths a node was traced inside, outermost first."""
    return [p for p in (node.meta.get("nn_module_stack") or {}) if p]


def _group(gm, path: str, on_path) -> _Group | str:
    """The nodes traced inside module ``path`` as one composite layer, or why they cannot be one."""
    nodes = [n for n in gm.graph.nodes if path in _stack(n) or (n.op == "call_module" and n.target == path)]
    members = set(nodes)
    entries = {a for n in nodes for a in n.all_input_nodes if a not in members and a in on_path and not _is_meta(a)}
    exits = [n for n in nodes if any(u not in members and not _is_meta(u) for u in n.users)]
    if len(entries) != 1:
        return f"module {path!r} takes {len(entries)} computed tensors"
    if len(exits) != 1 or exits[0] not in on_path:
        return f"module {path!r} gives {len(exits)} tensors"
    return _Group(path, nodes, next(iter(entries)), exits[0])


def _failed_node(gm, message: str):
    """The graph node a refusal names ('graph node X', 'module X')."""
    found = re.search(r"graph node '([^']+)'", message)
    if found:
        return next((n for n in gm.graph.nodes if n.name == found.group(1)), None)
    found = re.search(r"module '([^']+)'", message)
    if found:
        return next((n for n in gm.graph.nodes if n.op == "call_module" and n.target == found.group(1)), None)
    return None


def _composites_after(gm, message: str, composites: tuple[str, ...], on_path) -> tuple[str, ...] | None:
    """After a refusal inside a module: the modules to read as their operations (composite layers) on the next
    reading; the innermost module enclosing the refused node that is one tensor in and one out, and every other
    module of its class (the same code, refused the same way).  None when no module encloses it so."""
    node = _failed_node(gm, message)
    if node is None:
        return None
    stack = _stack(node)
    if node.op == "call_module" and (not stack or stack[-1] == node.target):
        stack = [p for p in stack if p != node.target] or list(_parents(node.target))
    for path in reversed(stack):
        if path in composites or any(path.startswith(c + ".") for c in composites):
            return None  # refused inside a composite already: its operations are what is not read
        if isinstance(_group(gm, path, on_path), _Group):
            classes = _classes(gm)  # the model's own classes (the GraphModule's containers are plain modules)
            same = [p for p, c in classes.items() if c is classes.get(path) and p != path]
            chosen = [path] + [p for p in same if isinstance(_group(gm, p, on_path), _Group)]
            kept = [c for c in composites if not any(c.startswith(p + ".") for p in chosen)]
            return tuple(kept + [p for p in chosen if not any(p.startswith(c + ".") for c in kept)])
    return None


def _classes(gm) -> dict:
    """Every module path the trace went through -> its class, as the trace recorded it."""
    found: dict = {}
    for n in gm.graph.nodes:
        for path, entry in (n.meta.get("nn_module_stack") or {}).items():
            found.setdefault(path, entry[1] if isinstance(entry, tuple) else entry)
    return found


def _parents(target: str) -> list[str]:
    parts = target.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


_EXPORTED: dict = {}


def _export(m, args: tuple, kwargs: dict, path: str):
    """torch.export's graph of one module on its call's arguments (the input a zero tensor of the recorded shape;
    kept per class, arguments and parameter shapes: modules of one class and one configuration run the same
    operators)."""
    torch = torch_module()

    def sig(v):
        return ("tensor", tuple(v.shape)) if isinstance(v, torch.Tensor) else repr(v)

    key = (type(m), tuple(sig(a) for a in args), tuple((k, sig(v)) for k, v in sorted(kwargs.items())),
           tuple((n, tuple(p.shape)) for n, p in m.state_dict().items()))
    if key not in _EXPORTED:
        restore = _eval_mode(m)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                _EXPORTED[key] = torch.export.export(m, args, kwargs, strict=False)
        except Exception as exc:
            raise SymcnnError(f"module {path!r} ({type(m).__name__}): torch.fx cannot trace it and torch.export "
                              f"cannot either: {first_line(exc)}") from None
        finally:
            restore()
    return _EXPORTED[key]


def _leaf_derivation(name: str, m, shape_in, shape_out):
    """(kind, derivation) of a module a layer kind reads, applied inside a composite: its input laid out the way the
    kind reads it and its derived output the traced one; None when no kind reads it so."""
    from ..convention import Convention

    if shape_in is None or shape_out is None or shape_in[0] != 1:
        return None
    try:
        got = _read_module(name, m, shape_in, shape_out)
    except SymcnnError:
        return None
    if got is None:
        return None
    kind, args = got
    full = kind.complete(args)
    dims = [sp.Integer(v) for v in shape_in[1:]]
    if len(dims) == 2:
        candidates = [Shape(dims[1], dims[0], 1, "seq")]
    elif len(dims) == 3:
        candidates = [Shape(dims[0], dims[1], dims[2], "chw"), Shape(dims[2], dims[0], dims[1], "hwc")]
    else:
        return None
    for x in candidates:
        if x.layout not in kind.layouts:
            continue
        try:
            d = kind.derive(full, x, Convention())
        except SymcnnError:
            continue
        if tuple(int(v) for v in d.output.shown()) == tuple(shape_out[1:]):
            return kind.name, d
    return None


def _composite_output(path: str, shape_in, shape_out) -> dict:
    """A composite's output, when it is not its input's shape: its sizes in the order its layout stores them."""
    if shape_out[0] != 1:
        raise SymcnnError(f"module {path!r} gives {_dims(shape_out)}: a batch of 1 in, {shape_out[0]} out")
    dims = [sp.Integer(v) for v in shape_out[1:]]
    if len(dims) == 1:
        return dict(out=dims[0], out2=sp.Integer(1), out3=sp.Integer(1), layout="chw")  # a vector: C x 1 x 1
    if len(dims) == 2:
        return dict(out=dims[0], out2=dims[1], layout="seq")
    if len(dims) != 3:
        raise SymcnnError(f"module {path!r} gives a tensor of {len(dims) + 1} axes ({_dims(shape_out)}): symcnn "
                          "reads maps and sequences")
    if len(shape_in) == 4:
        return dict(out=dims[0], out2=dims[1], out3=dims[2])  # laid out as its input is
    layout = "hwc" if shape_out[-1] == shape_in[-1] and shape_out[1] != shape_in[-1] else "chw"
    return dict(out=dims[0], out2=dims[1], out3=dims[2], layout=layout)
