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
from .nodes import _dims, _is_meta, _read_module, _shape
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


#: the words of a refusal that no reading of the operations answers either: the shapes cannot tell what the layers
#: after a node mean (which axis of a square token tensor a linear layer mixes)
UNTELLABLE = "cannot be told"

#: a composite that is a stretch of the model's own forward (no module encloses it so): 'forward@FIRST..LAST'
REGION = "forward@"


def _group(gm, path: str, on_path) -> _Group | str:
    """The nodes traced inside module ``path`` as one composite layer, or why they cannot be one."""
    if path.startswith(REGION):
        found = _region_named(gm, path, on_path)
        return found if found is not None else f"{path!r} is no longer one tensor in and one out"
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


def _composites_after(gm, message: str, composites: tuple[str, ...], on_path,
                      regions: bool = True) -> tuple[str, ...] | None:
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
    # no module around it is one tensor in and one out (the refused node is in the model's own forward, or its
    # modules take or give several tensors): the smallest stretch of the graph around it that is, in place of any
    # module composite inside it
    if not regions or UNTELLABLE in message:
        return None  # a reading refused because the shapes cannot tell it (a square token swap) stays refused
    region = _region(gm, _where_it_joins(node, on_path), on_path)
    if region is None:
        return None
    groups = {c: _group(gm, c, on_path) for c in composites}
    overlapping = [c for c, g in groups.items() if isinstance(g, _Group) and g.members & region.members]
    if any(c.startswith(REGION) for c in overlapping):
        return None  # refused inside a stretch read as its operations already
    return (*(c for c in composites if c not in overlapping), region.path)


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
    if dims[0] == dims[1] != dims[2]:
        # a square map with its channels last (DeepSeek's encoder ends in 'reshape(B, H, W, -1)'): 39 x 39 x 1024
        # read as 39 channels of 39 x 1024 would be refused by the next layer's shape check, never miscounted
        return dict(out=dims[0], out2=dims[1], out3=dims[2], layout="hwc")
    if dims[1] == dims[2] != dims[0]:
        return dict(out=dims[0], out2=dims[1], out3=dims[2], layout="chw")  # a square map, channels first
    if len(shape_in) == 4:
        return dict(out=dims[0], out2=dims[1], out3=dims[2])  # laid out as its input is
    layout = "hwc" if shape_out[-1] == shape_in[-1] and shape_out[1] != shape_in[-1] else "chw"
    return dict(out=dims[0], out2=dims[1], out3=dims[2], layout=layout)


#: at most this many candidate entries and exits tried around a refused node
MAX_REGION_TRIES = 400


def _data_inputs(n, on_path) -> list:
    return [a for a in n.all_input_nodes if a in on_path and not _is_meta(a)]


def _data_users(n, on_path) -> list:
    return [u for u in n.users if u in on_path and not _is_meta(u)]


def _region(gm, node, on_path) -> _Group | None:
    """The smallest stretch of the traced graph around ``node`` that one computed tensor enters and one leaves (a
    single-entry, single-exit region: every path from the input to ``node`` passes its entry, every path from
    ``node`` to the output its exit), with the learned tensors and shape reads only it uses; None when there is
    none short of the whole graph's input and output, or ``node`` is not computed from the input."""
    if node is None or node not in on_path or node.op in ("placeholder", "output"):
        return None
    order = [n for n in gm.graph.nodes if n in on_path and n.op != "output"]
    if node not in order:
        return None
    index = {n: i for i, n in enumerate(order)}
    at = index[node]
    before = list(reversed(order[:at]))  # candidate entries, nearest first
    after = order[at:]  # candidate exits, the node itself first
    tries = 0
    for entry in before:
        ahead = _reachable(entry, on_path, forward=True)
        if node not in ahead:
            continue
        for exit_ in after:
            tries += 1
            if tries > MAX_REGION_TRIES:
                return None
            if exit_ not in ahead or _shape(exit_) is None or _shape(entry) is None:
                continue  # a tuple (values and indices) is no tensor to leave by
            back = _reachable(exit_, on_path, forward=False)
            members = {n for n in ahead & back if n is not entry}
            if node not in members or not _single_entry_exit(members, entry, exit_, on_path):
                continue
            return _region_group(gm, members, entry, exit_)
    return None


def _where_it_joins(node, on_path):
    """A node computed from the input: itself; a learned tensor read directly (a class token entering blocks as their
    second input): the first node of the computed path it reaches."""
    if node is None or node in on_path:
        return node
    seen, todo, found = {node}, [node], []
    while todo:
        n = todo.pop()
        for u in n.users:
            if u in on_path:
                found.append(u)
            elif u not in seen:
                seen.add(u)
                todo.append(u)
    if not found:
        return None
    order = {n: i for i, n in enumerate(node.graph.nodes)}
    return min(found, key=order.__getitem__)


def _reachable(start, on_path, *, forward: bool) -> set:
    seen = {start}
    todo = [start]
    while todo:
        n = todo.pop()
        for m in (_data_users(n, on_path) if forward else _data_inputs(n, on_path)):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def _single_entry_exit(members: set, entry, exit_, on_path) -> bool:
    for n in members:
        if any(a not in members and a is not entry for a in _data_inputs(n, on_path)):
            return False
        if n is not exit_ and any(u not in members for u in _data_users(n, on_path)):
            return False
    return any(u not in members for u in _data_users(exit_, on_path)) or \
        any(u.op == "output" for u in exit_.users)


def _region_group(gm, members: set, entry, exit_) -> _Group:
    """The region's nodes in graph order, with every node off the computed path (a learned tensor, a shape read,
    a constant made from them) whose uses are all inside it; kept on the graph under its name for later readings."""
    nodes = set(members)
    grew = True
    while grew:
        grew = False
        for n in gm.graph.nodes:
            if n in nodes or n in on_path_of(gm) or n.op in ("placeholder", "output"):
                continue
            if n.users and all(u in nodes for u in n.users):
                nodes.add(n)
                grew = True
    ordered = [n for n in gm.graph.nodes if n in nodes]
    group = _Group(f"{REGION}{ordered[0].name}..{exit_.name}", ordered, entry, exit_)
    gm.meta.setdefault("symcnn_regions", {})[group.path] = group
    return group


def on_path_of(gm) -> set:
    """The nodes computed from the graph's input (kept on the graph: the region search asks often)."""
    found = gm.meta.get("symcnn_on_path")
    if found is None:
        found = set()
        todo = [n for n in gm.graph.nodes if n.op == "placeholder"]
        while todo:
            n = todo.pop()
            if n not in found:
                found.add(n)
                todo.extend(u for u in n.users if not _is_meta(u))
        gm.meta["symcnn_on_path"] = found
    return found


def _region_named(gm, path: str, on_path) -> _Group | None:
    """The region a composite's name stands for, as the search that named it found it."""
    return gm.meta.get("symcnn_regions", {}).get(path)
