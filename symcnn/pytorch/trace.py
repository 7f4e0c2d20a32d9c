"""PyTorch -> symcnn: trace a module with torch.fx and read every node.

Every module and function is read by the layer kind that declares it
(``LayerKind.torch``: the modules and calls each kind reads): the reader knows the graph's
shape (chains, residual additions, channel concatenations), the kinds know
their own fields.  Every node of the graph is accounted for or refused by
name; every parameter is counted once.  The steps live beside it: :mod:`.tracing` (the graph and its shapes),
:mod:`.nodes` (one node's kind), :mod:`.composites` and :mod:`.ops` (modules read as their operations)."""

from __future__ import annotations

import operator
import re
from typing import Any

import sympy as sp

from ..errors import SymcnnError
from ..layers import KINDS
from ..layers.base import Shape
from ..layers.common.torch_values import call_name
from ..network import GRAPH_INPUT, Concat, Graph, Join, Layer, Network, Residual, Sequence, Step
from .common import torch_module
from .composites import (
    _composite_output,
    _composites_after,
    _export,
    _failed_node,
    _Group,
    _group,
    _leaf_derivation,
    _parents,
    _stack,
)
from .nodes import (
    _ARITHMETIC,
    _data_users,
    _given_shape,
    _is_dead,
    _is_meta,
    _operand_text,
    _read_call,
    _read_module,
    _shape,
)
from .tracing import _trace


class _Reader:
    def __init__(self, gm, composites: tuple[str, ...] = ()):
        self.modules = dict(gm.named_modules())
        self.names: set[str] = set()
        self.visited: set = set()
        self.first_use: dict[str, str] = {}  # module target -> the layer named after its first application
        self.module_layers: list[tuple[str, str]] = []  # (layer name, module target), first applications
        self.call_params: list[tuple[str, tuple[str, ...]]] = []  # (layer name, learned tensors it reads)
        self.gm = gm
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
        self.opaque = set(gm.meta.get("symcnn_opaque", ()))
        self.group_of: dict = {}
        for path in composites:
            g = _group(gm, path, self.on_path)
            if isinstance(g, str):
                raise SymcnnError(g)
            for n in g.nodes:
                self.group_of[n] = g

    def exported_layer(self, node, prev) -> Layer:
        """A module torch.fx cannot trace, applied: its operations as torch.export records them (ATen operators), one
        composite layer."""
        from . import ops

        path = node.target
        layer_name, first, modules, learned = self._ownership(path)
        sums = ops.read_exported(_export(self.modules[path], *_call_args(node, prev), path), path, first)
        self.visited.add(node)
        return self._composite(path, node, layer_name, sums, _shape(prev), _given_shape(node), modules, learned)

    def computed_operand_layer(self, node, prev) -> Layer | None:
        """``x + t`` (or ``x * t``, ...) where ``t`` is computed from learned tensors alone (a position embedding
        interpolated from a table, a Fourier grid's projection): one composite layer of that computation and the
        operation, its parameters those tensors, its multiply-adds the computation's (the pass runs it).  None when
        ``node`` is no such operation."""
        from . import ops

        if ops.op_name(node) not in _ARITHMETIC:
            return None
        parts: list = []
        for a in node.all_input_nodes:
            if a is prev or _is_meta(a):
                continue
            if a in self.on_path:
                return None
            nodes = self._parameter_only(a, 0)
            if nodes is None:
                return None
            parts += nodes
        if not any(n.op == "get_attr" or n.op == "call_module" for n in parts):
            return None
        order = {n: i for i, n in enumerate(self.gm.graph.nodes)}
        # a computation an earlier layer read already (its result used again: a bias handed to every block) ran
        # once: counted there, not again here
        fresh = {n for n in parts if n not in self.visited or n.op == "get_attr"}
        nodes = [*sorted(fresh, key=order.__getitem__), node]
        layer_name, first, modules, learned = self._ownership(node.name)
        sums = ops.read(nodes, self.modules, self.gm, self.on_path, _is_meta, first, _leaf_derivation,
                        lambda name, m, node, prev: _export(m, *_call_args(node, prev), name))
        self.visited.update(nodes)
        return self._composite(node.name, node, layer_name, sums, _shape(prev), _shape(node), modules, learned)

    def _ownership(self, path: str):
        layer_name = self.name(path)
        modules: list[str] = []
        learned: list[str] = []

        def first(target: str) -> bool:
            if target in self.modules and isinstance(self.modules[target], torch_module().nn.Module):
                if target in self.first_use:
                    return False
                self.first_use[target] = layer_name
                modules.append(target)
                return True
            if target in learned or any(target in ts for _, ts in self.call_params):
                return False  # read again (a gate's alpha in two places): counted where it was first read
            learned.append(target)
            return True

        return layer_name, first, modules, learned

    def group_layer(self, g: _Group, prev) -> Layer:
        """One application of a module read as its operations: a composite layer."""
        from . import ops

        if prev is not g.entry:
            raise SymcnnError(f"module {g.path!r} is entered from {prev.name!r}, not from {g.entry.name!r}")
        layer_name, first, modules, learned = self._ownership(g.path)
        sums = ops.read(g.nodes, self.modules, self.gm, self.on_path, _is_meta, first, _leaf_derivation,
                        lambda name, m, node, prev: _export(m, *_call_args(node, prev), name))
        self.visited.update(g.nodes)
        return self._composite(g.path, g.exit, layer_name, sums, _shape(g.entry), _shape(g.exit), modules, learned)

    def _composite(self, path, origin, layer_name, sums, shape_in, shape_out, modules, learned) -> Layer:
        if shape_out is None or shape_in is None:
            raise SymcnnError(f"module {path!r}: its input's or output's shape was not recorded")
        args: dict = dict(weights=sums.weights, biases=sums.biases, macs=sums.macs, other=sums.other,
                          work="; ".join(w[len(path) + 1:] if w.startswith(path + ".") else w for w in sums.work))
        if shape_out != shape_in:
            args.update(_composite_output(path, shape_in, shape_out))
        self.module_layers.extend((layer_name, t) for t in modules)
        if learned:
            self.call_params.append((layer_name, tuple(learned)))
        full = KINDS["composite"].complete(args)
        return Layer(layer_name, "composite", tuple(full.items()), f"torch:{origin.name}")

    def join(self, node) -> str | None:
        """'add', 'mul', 'sub' or 'cat' when ``node`` joins two or more tensors computed from the input
        (with one such tensor it is a layer: a positional embedding, a layer scale, a class token)."""
        torch = torch_module()
        for op, functions, methods in (("add", (operator.add, operator.iadd, torch.add), ("add", "add_")),
                                       ("mul", (operator.mul, operator.imul, torch.mul), ("mul", "mul_")),
                                       ("sub", (operator.sub, operator.isub, torch.sub), ("sub", "sub_"))):
            if not ((node.op == "call_function" and node.target in functions) or (
                    node.op == "call_method" and node.target in methods)):
                continue
            operands = [a for a in node.args if hasattr(a, "op") and a in self.on_path]
            extra = [a for a in node.args if a not in operands] + list(node.kwargs.values())
            if op == "add" and len(operands) == 2 and operands[0] is operands[1] and not extra:
                return None  # x + x: one tensor doubled, a layer (the multiply kind's), not a join of two
            if len(operands) >= 2:
                if extra:
                    raise SymcnnError(f"graph node {node.name!r}: an {op} with a further operand "
                                      f"{_operand_text(extra[0])}: not supported")
                return op
            return None
        if node.op == "call_function" and node.target is torch.cat:
            items = node.args[0] if node.args else node.kwargs.get("tensors", ())
            dim = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim", 0)
            operands = [a for a in items if hasattr(a, "op") and a in self.on_path]
            if len(operands) != len(items):
                return None  # read as a layer (a class token) or refused by name there
            if len(operands) < 2:
                return None
            ranks = {len(s) for s in map(_shape, operands) if s is not None}
            if ranks == {3} and dim in (1, -2):
                return "tokencat"  # (batch, tokens, features): along the sequence
            if ranks == {3} and dim in (2, -1):
                return "cat"  # a sequence's features: its channels
            if dim not in (1, -3):
                raise SymcnnError(f"graph node {node.name!r}: only concatenation along channels (dim=1) or along a "
                                  "sequence of tokens is supported")
            return "cat" if len(operands) >= 2 else None
        if node.op == "call_function" and node.target is torch.stack:
            items = node.args[0] if node.args else node.kwargs.get("tensors", ())
            dim = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim", 0)
            operands = [a for a in items if hasattr(a, "op") and a in self.on_path]
            if len(operands) != len(items) or len(operands) < 2:
                return None
            if {len(s) if s is not None else 0 for s in map(_shape, operands)} == {2} and dim in (1, -2):
                return "tokencat"  # vectors (batch, features) stacked as a sequence: one token each (CoaT's head)
            if dim == 0 and _reduced_over_stack(node) is not None:
                return "stacksum"  # stacked only to be summed or averaged at once (CrossViT's two heads)
            raise SymcnnError(f"graph node {node.name!r}: a stack of {len(operands)} computed tensors is read only "
                              "as vectors stacked into a sequence (dim=1), or stacked to be summed or averaged at "
                              "once (dim=0)")
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
        if node in self.group_of:
            raise SymcnnError(f"graph node {node.name!r} inside module {self.group_of[node].path!r} is reached "
                              "from outside it")
        if node.op == "call_module" and node.target in self.opaque:
            return self.exported_layer(node, prev)
        self.visited.add(node)
        shares = None
        learned: tuple[str, ...] = ()
        if node.op == "call_module":
            others = [a for a in node.all_input_nodes if a is not prev and a in self.on_path]
            if others:
                raise SymcnnError(f"graph node {node.name!r}: module {node.target!r} takes {others[0].name!r} as "
                                  f"well as {prev.name!r}: a module of several inputs is not supported")
            got = _read_module(node.target, self.modules[node.target], _shape(prev), _shape(node))
            if got is None:
                return None  # a pass-through (an identity shortcut): nothing to count
            kind, args = got
            name = node.target
            shares = self.first_use.get(node.target)
        elif node.op in ("call_function", "call_method"):
            try:
                got = _read_call(node, _shape(prev), _shape(node))
            except SymcnnError:
                computed = self.computed_operand_layer(node, prev)
                if computed is None:
                    raise
                return computed
            if got is None:
                return None
            kind, args = got
            name = node.name
            learned = self.learned_inputs(node)
        elif node.op == "output":
            raise SymcnnError(f"graph node {prev.name!r} is returned and also used further: a network with "
                              "several outputs is not supported")
        else:
            raise SymcnnError(f"graph node {node.name!r} ({node.op} {node.target}) is not understood")
        full = kind.complete(args)
        layer_name = self.name(name)
        if node.op == "call_module" and shares is None:
            self.first_use[node.target] = layer_name
            self.module_layers.append((layer_name, node.target))
        if learned:
            taken = [t for t in learned if any(t in ts for _, ts in self.call_params)]
            if taken:
                raise SymcnnError(f"graph node {node.name!r} reads the tensor {taken[0]!r} that another layer "
                                  "reads too: weights shared between calls are not supported")
            self.call_params.append((layer_name, learned))
        return Layer(layer_name, kind.name, tuple(full.items()), f"torch:{node.name}", shares=shares)

    def reset(self) -> None:
        """Forget what a first reading recorded (before reading the graph again another way)."""
        self.names.clear()
        self.visited.clear()
        self.first_use.clear()
        self.module_layers.clear()
        self.call_params.clear()

    def graph(self, gm, start) -> Graph:
        """The traced graph as steps over named tensors, node by node in the graph's own
        (topological) order: a join takes the tensors it joins, a layer the one it reads, a
        no-op passes its input's name on."""
        tensors = {start: GRAPH_INPUT}
        steps: list[Step] = []
        for node in gm.graph.nodes:
            if node.op in ("placeholder", "get_attr") or node in self.visited or _is_dead(node) or _is_meta(node):
                continue
            if node.op == "output":
                result = node.args[0]
                if not hasattr(result, "op") or result not in tensors:
                    raise SymcnnError(f"the module returns {_operand_text(result)}: only one tensor is supported")
                if not steps or tensors[result] != steps[-1].name:
                    raise SymcnnError(f"the module returns {result.name!r}, which is not the last step read")
                continue
            if node not in self.on_path:
                continue  # computed from no input: refused by name below unless a layer owns it
            g = self.group_of.get(node)
            if g is not None:  # the first node of a composite: the whole module, one layer
                if g.entry not in tensors:
                    raise SymcnnError(f"module {g.path!r} is reached before its input {g.entry.name!r}")
                composite = self.group_layer(g, g.entry)
                steps.append(Step(composite.name, composite, (tensors[g.entry],)))
                tensors[g.exit] = composite.name
                continue
            kind = self.join(node)
            if kind:
                self._join_steps(node, kind, tensors, steps)
                continue
            prevs = [a for a in node.all_input_nodes if a in self.on_path and not _is_meta(a)]
            if len(prevs) != 1:
                what = node.target if node.op == "call_module" else call_name(node)
                raise SymcnnError(f"graph node {node.name!r} ({what}) takes {len(prevs)} computed tensors and is not "
                                  "an add, sub, mul or cat: not supported")
            layer = self.layer(node, prevs[0])
            if layer is None:
                tensors[node] = tensors[prevs[0]]
                continue
            steps.append(Step(layer.name, layer, (tensors[prevs[0]],)))
            tensors[node] = layer.name
        kept = _without_unused_views(steps)
        used = {i for s in kept for i in s.inputs}
        # a step the module computes and never reads (a pooled map some branch of its code discards): run, so
        # counted, and said so on its row
        discarded = tuple(s.name for s in kept[:-1] if s.name not in used)
        return Graph("graph", kept, "torch.fx graph", discarded)

    def _join_steps(self, node, kind: str, tensors: dict, steps: list) -> None:
        """The steps of a join in a general graph: the tensors it joins, by their names so far."""
        ops = {"add": "add", "mul": "mul", "sub": "sub", "cat": "concat", "tokencat": "tokencat"}
        items = node.args[0] if kind in ("cat", "tokencat", "stacksum") else node.args
        inputs = tuple(tensors[a] for a in items if hasattr(a, "op") and a in self.on_path)
        name = self.name(node.name)
        self.visited.add(node)
        if kind != "stacksum":
            steps.append(Step(name, Join(name, ops[kind], f"torch:{node.name}"), inputs))
            tensors[node] = name
            return
        # torch.stack([a, b], 0).mean(0): the paths added, then scaled by 1/n for a mean; both said of the
        # reduction's node, whose shape they give (the stacked tensor itself is never a layer's)
        reduced, mean = _reduced_over_stack(node)
        self.visited.add(reduced)
        steps.append(Step(name, Join(name, "add", f"torch:{reduced.name}"), inputs))
        tensors[node] = tensors[reduced] = name
        if mean:
            scaled = self.name(reduced.name)
            scaling = Layer(scaled, "multiply", tuple(KINDS["multiply"].complete(
                {"factor": sp.Rational(1, len(inputs))}).items()), f"torch:{reduced.name}")
            steps.append(Step(scaled, scaling, (name,)))
            tensors[reduced] = scaled

    def learned_inputs(self, node) -> tuple[str, ...]:
        """The bare learned tensors a call reads (``self.class_token``, a layer norm's weight), directly
        or through a broadcast: they are the layer's parameters.  Each node on the way is accounted for."""
        found: list[str] = []
        for a in node.all_input_nodes:
            if a in self.on_path:
                continue
            nodes = self._parameter_only(a, 0)
            if nodes is None:
                continue
            self.visited.update(nodes)
            for n in nodes:
                if n.op == "get_attr" and not (n.users and all(_is_meta(u) for u in n.users)):
                    found.append(n.target)
                elif n.op == "call_module":  # a module run on learned tensors (Swin v2's position MLP)
                    found.extend(f"{n.target}.{p}" for p, _ in self.modules[n.target].named_parameters())
        return tuple(dict.fromkeys(found))

    def _parameter_only(self, a, depth: int):
        """The nodes of a computation on learned tensors alone (a broadcast class token, Swin's
        relative position bias gathered from its table), down to their ``get_attr`` reads; None
        when anything else flows in.  Such a computation's cost is not counted: it does not
        depend on the input (and is done once when a model is deployed)."""
        if a.op == "get_attr":
            return [a]  # a learned tensor
        if _is_meta(a):  # a shape or dtype read (``x.shape[0]`` for a broadcast): no values flow in; a learned
            return [a, *(b for b in a.all_input_nodes if b.op == "get_attr")]  # tensor read so is no input
        if a.op not in ("call_function", "call_method", "call_module") or a in self.on_path or depth > 50:
            return None
        nodes = [a]
        for b in a.all_input_nodes:
            sub = self._parameter_only(b, depth + 1)
            if sub is None:
                return None
            nodes += sub
        return nodes

    def chain(self, start, first=None):
        """Layers from ``start`` until the graph ends or a branch reaches a join."""
        children = [] if first is None else [first]
        cur = start
        while True:
            users = _data_users(cur)
            if not users or all(u.op == "output" for u in users):
                return children, cur
            entered = {self.group_of.get(u) for u in users}
            if len(entered) == 1 and None not in entered:  # every use is inside one composite
                g = entered.pop()
                children.append(self.group_layer(g, cur))
                cur = g.exit
                continue
            if len(users) == 1:
                u = users[0]
                if self.join(u):
                    return children, cur
                layer = self.layer(u, cur)
                if layer is not None:
                    children.append(layer)
                cur = u
                continue
            join, branches = self._branches(cur, users)
            children.append(self._joined(join, cur, branches))
            cur = join

    def _branches(self, cur, users):
        """The paths leaving ``cur``, each to the one join they all meet at: (join, [(last node, layers)])."""
        branches, join = [], None
        entered: set = set()
        for u in users:
            g = self.group_of.get(u)
            if g is not None and g in entered:
                continue  # a composite that uses the tensor more than once: one branch
            if g is None and self.join(u):
                body, end, j = [], cur, u
            else:
                if g is not None:
                    entered.add(g)
                    body, end = self.chain(g.exit, self.group_layer(g, cur))
                else:
                    first_layer = self.layer(u, cur)
                    body, end = self.chain(u, first_layer)
                body = [c for c in body if c is not None]
                ends = _data_users(end)
                if len(ends) != 1 or not self.join(ends[0]):
                    raise _NotSeriesParallel(f"the paths leaving {cur.name!r} do not meet at one join")
                j = ends[0]
            if join is None:
                join = j
            elif j is not join:
                raise _NotSeriesParallel(f"the paths leaving {cur.name!r} meet at different nodes")
            branches.append((end, body))
        return join, branches

    def _joined(self, join, cur, branches):
        """The join of the paths from ``cur``: a Concat, a gate (a path times its own input) or a residual sum,
        its paths in the order the join takes them."""
        kind = self.join(join)
        if kind == "stacksum":
            raise _NotSeriesParallel(f"{join.name!r}: paths stacked and reduced at once (a general graph's join)")
        if kind == "tokencat":
            raise _NotSeriesParallel(f"{join.name!r}: sequences joined along their tokens (a general graph's join)")
        self.visited.add(join)
        if kind == "mul" and len(branches) != 2:
            raise _NotSeriesParallel(f"{join.name!r}: only a product of two paths (a gate) is supported")
        inputs = list(join.args[0]) if kind == "cat" else [a for a in join.args if hasattr(a, "op")]
        ordered = []
        for inp in inputs:
            match = [b for e, b in branches if e is inp]
            if not match:
                raise _NotSeriesParallel(f"unsupported graph: {join.name!r} takes an input that is not a path from "
                                         f"{cur.name!r}")
            ordered.append(match[0])
            branches = [(e, b) for e, b in branches if b is not match[0]]
        if branches:
            raise _NotSeriesParallel(f"a path from {cur.name!r} reaches {join.name!r} twice")
        name = self.name(join.name)
        if kind == "cat":
            return Concat(name, tuple(Sequence(f"{name}.b{i}", tuple(b)) for i, b in enumerate(ordered, 1)),
                          f"torch:{join.name}")
        if kind == "mul":
            body, short = sorted(ordered, key=len, reverse=True)
            if short:
                raise _NotSeriesParallel(f"{join.name!r}: a product of two computed paths; only a gate (a path "
                                         "times its own input) is supported")
            return Residual(name, Sequence(name, tuple(body)), None, f"torch:{join.name}", "mul")
        if len(ordered) != 2:
            raise _NotSeriesParallel(f"{join.name!r}: only two-way residual additions and subtractions are supported")
        if kind == "sub":  # the order is the subtraction's: the first path minus the second
            body, short = ordered
            if not body and short:
                raise _NotSeriesParallel(f"{join.name!r}: the input minus a computed path; only a computed path "
                                         "minus the input (or another path) is read")
        else:
            body, short = sorted(ordered, key=len, reverse=True)
        shortcut = Sequence(f"{name}.shortcut", tuple(short)) if short else None
        return Residual(name, Sequence(name, tuple(body)), shortcut, f"torch:{join.name}", kind)


#: kinds whose layer is a view of its input (nothing computed, nothing learned): one no later step reads is dropped
_VIEWS = ("split", "channelslice", "token", "tokenslice", "identity", "permute", "flatten", "tokens", "untokens",
          "swapaxes")


def _without_unused_views(steps: list) -> tuple:
    """The graph's steps less the views of a tensor nothing reads (a part of a split the forward pass never uses):
    dropping one changes no count; any other step nothing reads stays, and the graph refuses it by name."""
    steps = list(steps)
    while True:
        used = {i for s in steps for i in s.inputs}
        unused = [s for s in steps[:-1] if s.name not in used and isinstance(s.node, Layer) and s.node.kind in _VIEWS]
        if not unused:
            return tuple(steps)
        steps = [s for s in steps if s not in unused]


def _call_args(node, prev) -> tuple[tuple, dict]:
    """A module call's own arguments, to run it again: its input a zero tensor of the recorded shape, constants (a
    feature map's size handed beside the tokens: MViTv2) as they are; anything else computed is refused by name."""
    torch = torch_module()

    def value(a):
        if not hasattr(a, "op"):
            return a
        if a is prev:
            return torch.zeros(*_shape(prev))
        if "symcnn_sizes" in a.meta:
            return a.meta["symcnn_sizes"]  # sizes an earlier call gave, as this input has them
        raise SymcnnError(f"module {node.target!r} takes {a.name!r} as well as its input: a module torch.fx cannot "
                          "trace is read with its input and constants only")

    args = tuple(torch.fx.node.map_aggregate(a, value) for a in node.args)
    return args, {k: torch.fx.node.map_aggregate(v, value) for k, v in node.kwargs.items()}


class _NotSeriesParallel(SymcnnError):
    """The paths of the traced graph do not nest as blocks: read it as a general graph."""


def _read_all(gm, reader) -> list:
    """The network read from the placeholder on, as nested blocks (chains, residual blocks, gates,
    concatenations) where the graph nests so, else as a general graph of steps; refuses any node
    the reader did not account for."""
    start = next(n for n in gm.graph.nodes if n.op == "placeholder")
    try:
        children, end = reader.chain(start)
    except _NotSeriesParallel:
        reader.reset()
        children, end = [reader.graph(gm, start)], None
    if end is not None:
        rest = [u for u in _data_users(end) if u.op != "output"]
        if rest or (end is start and not children):
            bad = rest[0] if rest else end
            raise SymcnnError(f"graph node {bad.name!r} is not understood here (the import stopped at "
                              f"{end.name!r})")
        reader.visited.add(end)
    alone = _from_sizes_alone(gm)
    side = _side_layer(gm, reader, start, alone)
    _check_accounted(gm, reader, alone)
    return children if side is None else [side, *children]


def _side_layer(gm, reader, start, alone: set):
    """A computation from learned tensors alone whose result layers on the path read (ViT-SRelPos' position MLP,
    run on a buffer, its bias handed to every block): the pass runs it once, so its parameters and multiply-adds are
    one composite layer of their own, put first and passing the input through; None when there is none."""
    from . import ops

    side = [n for n in gm.graph.nodes if n.op not in ("placeholder", "output") and n not in reader.visited and
            n not in reader.on_path and n not in alone and not _is_dead(n) and not _is_meta(n) and
            (n.op == "call_module" or ops.op_name(n) in ops._PRODUCTS)]
    if not side:
        return None
    members = _side_computation(gm, reader, side, alone)
    if members is None:
        return None
    paths = [p for n in members for p in (_stack(n) or ([n.target] if n.op == "call_module" else []))]
    path = _common_module(paths) or "forward"
    layer_name, first, modules, learned = reader._ownership(path)
    sums = ops.read(members, reader.modules, gm, reader.on_path, _is_meta, first, _leaf_derivation,
                    lambda name, m, node, prev: _export(m, *_call_args(node, prev), name))
    reader.visited.update(members)
    shape = _shape(start)
    layer = reader._composite(path, start, layer_name, sums, shape, shape, modules, learned)
    return Layer(layer.name, layer.kind, layer.args, f"torch:{start.name}")  # it passes the input on


def _side_computation(gm, reader, seeds, alone) -> list | None:
    """The nodes of the side computation around ``seeds``: everything unvisited, off the path, computed from no
    input, from which they are reached or which they reach up to a node the reading visited; None where an input
    value flows in (then it is no side computation, and the check refuses the node by name)."""
    params = {name for name, _ in gm.named_parameters()}
    members: set = set()
    todo = list(seeds)
    while todo:
        n = todo.pop()
        if n in members or n.op in ("placeholder", "output"):
            continue
        if n in reader.on_path and not _is_meta(n):
            return None
        if n in reader.visited and not (n.op == "get_attr" and n.target in params):
            continue
        members.add(n)
        todo.extend(a for a in n.all_input_nodes if a not in reader.visited or a.op == "get_attr")
        todo.extend(u for u in n.users if u not in reader.visited and u not in reader.on_path)
    return [n for n in gm.graph.nodes if n in members]


def _common_module(paths: list[str]) -> str:
    if not paths:
        return ""
    parts = [p.split(".") for p in paths]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common)


def _reduced_over_stack(node):
    """(the reduction, whether it is a mean) where a stack along a new first axis is read once, by a sum or a mean
    over that axis ('torch.stack(heads, dim=0).mean(dim=0)'); else None."""
    users = _data_users(node)
    if len(users) != 1:
        return None
    u = users[0]
    name = u.target if u.op == "call_method" else getattr(u.target, "__name__", "")
    if name not in ("mean", "sum") or u.op not in ("call_method", "call_function") or u.args[0] is not node:
        return None
    dim = u.args[1] if len(u.args) > 1 else u.kwargs.get("dim")
    if dim not in (0, (0,), [0]) or u.kwargs.get("keepdim") or (len(u.args) > 2 and u.args[2]):
        return None
    return u, name == "mean"


def _from_sizes_alone(gm) -> set:
    """The nodes computed from neither the input nor a parameter: a table the forward pass builds from sizes,
    constants and buffers (DeepSeek's rotary table from its grid's size).  Nothing in them is learned; what they
    cost, if the dispatcher counts anything, the check of the total holds the table to."""
    learned = {name for name, _ in gm.named_parameters()}
    reached: set = set()
    for node in gm.graph.nodes:  # in order: a node's inputs come before it
        if _is_meta(node):
            continue  # a size read off a tensor ('x.shape[1]'): a number, no values flow through it
        holds = node.op == "call_module" and any(True for _ in gm.get_submodule(node.target).parameters())
        if node.op == "placeholder" or (node.op == "get_attr" and node.target in learned) or holds or \
                any(a in reached for a in node.all_input_nodes):
            reached.add(node)  # (a module with parameters run on a buffer: a learned computation, never skipped)
    return {n for n in gm.graph.nodes if n not in reached}  # a buffer read for such a table among them


def _check_accounted(gm, reader, sizes_alone: set) -> None:
    for node in gm.graph.nodes:
        if node.op in ("placeholder", "output") or node in reader.visited or _is_dead(node) or node in sizes_alone:
            continue
        if node.op == "get_attr":
            raise SymcnnError(f"graph node {node.name!r} reads the tensor {node.target!r} directly: a parameter "
                              "or buffer that no layer kind owns")
        if _shape(node) is not None or (node in reader.on_path and not _is_meta(node)):
            raise SymcnnError(f"graph node {node.name!r} ({node.op} {getattr(node.target, '__name__', node.target)}) "
                              "is not on the path symcnn read: not supported")


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


def _not_run(module, reader) -> tuple[tuple[str, int], ...]:
    """Parameters counted once each, by the layer that first applies their module: those no
    layer owns (modules the graph never runs), grouped by module; tied weights are refused."""
    owners: dict[int, str] = {}
    for _layer_name, target in reader.module_layers:
        for pname, p in reader.modules[target].named_parameters():
            if id(p) in owners:
                raise SymcnnError(f"module {target!r} shares its parameter {pname!r} with {owners[id(p)]!r}: "
                                  "weights tied between different modules are not supported")
            owners[id(p)] = target
    for layer_name, targets in reader.call_params:
        for target in targets:
            p = _attribute(reader.gm, target)
            if id(p) in owners:
                raise SymcnnError(f"layer {layer_name!r} reads {target!r}, which {owners[id(p)]!r} holds: "
                                  "weights tied between layers are not supported")
            owners[id(p)] = target
    seen: set[int] = set()
    not_run = []
    for pname, p in module.named_parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        if id(p) not in owners:
            not_run.append((pname, int(p.numel())))
    owned = [t for _, t in reader.module_layers] + [t for _, ts in reader.call_params for t in ts]
    return _group_not_run(not_run, owned)


def _attribute(gm, target: str):
    value = gm
    for part in target.split("."):
        value = getattr(value, part)
    return value


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
    if len(tuple(input_shape)) != 3 or not all(isinstance(v, int) and v > 0 for v in input_shape):
        raise SymcnnError(f"input_shape must be (C, H, W) positive integers, got {input_shape!r}")
    cls = type(module).__name__
    gm = _trace(module, input_shape)

    def build(reader, children) -> Network:
        net = Network(name or cls.lower(), Shape(*(sp.Integer(v) for v in input_shape)),
                      Sequence("", tuple(children)), {}, title=f"{cls} (from PyTorch)",
                      source=f"torch.fx trace of {cls} (eval mode)", not_run=_not_run(module, reader))
        if verify:
            _verify(net, gm, reader)
        return net

    return _read_with_composites(gm, build)


#: at most this many readings of one graph, each reading more modules as their operations
MAX_READINGS = 40


def _refused_node_message(exc: SymcnnError, children) -> str:
    """A refusal of the derivation or of the check against the module, said of the graph node its layer was read
    from ('graph node X: ...'), so that the module around it can be read as its operations instead."""
    from ..walk import layers

    origin = exc.where
    if not (origin or "").startswith("torch:"):
        named = re.match(r"layer '([^']+)'", exc.message)
        name = exc.layer or (named.group(1) if named else None)
        found = [la for child in children for la in layers(child) if la.name == name] if name else []
        origin = found[0].origin if found else None
    if origin is not None and origin.startswith("torch:"):
        return f"graph node {origin[len('torch:'):]!r}: {exc.message}"
    return exc.message


def _read_with_composites(gm, build):
    """The graph read and ``build(reader, layers)`` made of it (the network, derived and checked against the
    module); where a node inside a module is refused, that module (and every module of its class) is read as its
    operations (a composite layer) and the graph read again.  A refusal no module explains is the answer."""
    composites: tuple[str, ...] = ()
    causes: dict[str, str] = {}  # composite -> the refusal that made it: the cause, if reading it fails too
    for _ in range(MAX_READINGS):
        reader = _Reader(gm, composites)
        children = None
        try:
            children = _read_all(gm, reader)
            return build(reader, children)
        except SymcnnError as exc:
            if children is not None:  # read, but its derivation or its check refused a layer
                exc = SymcnnError(_refused_node_message(exc, children)) if not exc.message.startswith(
                    "graph node") else exc
            # a stretch of the model's own forward is read as its operations only where the reading refused a node;
            # a derived count or shape the module disagrees with is never hidden inside one
            more = _composites_after(gm, exc.message, composites, reader.on_path, regions=children is None)
            if more is None or set(more) == set(composites):
                node = _failed_node(gm, exc.message)
                where = [*_stack(node), *_parents(str(node.target))] if node is not None else []
                cause = next((causes[p] for p in where if p in causes), None)
                if cause is None:
                    raise
                raise SymcnnError(f"{cause} (and read as its operations: {exc.message})") from None
            new = [p for p in more if p not in composites]
            if new:
                causes[new[0]] = exc.message  # the module the refused node is in (the others are of its class)
            composites = more
    raise SymcnnError(f"the graph is still refused after {MAX_READINGS} readings with modules read as their "
                      "operations")


def _verify(net: Network, gm, reader) -> None:
    """The derived table against the module: parameters per layer, output shapes per node, and the multiply-adds
    in total against the count torch's dispatcher made on the shape pass (FlopCounterMode: 2 per multiply-add)."""
    from ..derive import derive

    table = derive(net)
    flops = gm.meta.get("flops")
    macs = table.totals["macs"]
    if flops and getattr(macs, "is_Integer", False) and 2 * int(macs) != int(flops):
        raise SymcnnError(f"symcnn counts {int(macs):,} multiply-adds but torch's dispatcher counts "
                          f"{int(flops) // 2:,} (FlopCounterMode on the same forward pass): not supported")
    _verify_each_module(table, gm, reader)
    nodes = {n.name: n for n in gm.graph.nodes}
    torch = torch_module()
    held_by: dict[str, dict[int, int]] = {}  # layer -> its parameter tensors (by identity) -> their elements
    for layer_name, target in reader.module_layers:
        for p in reader.modules[target].parameters():
            held_by.setdefault(layer_name, {})[id(p)] = int(p.numel())
    for layer_name, targets in reader.call_params:
        for t in targets:
            value = _attribute(gm, t)
            held_by.setdefault(layer_name, {})[id(value)] = int(value.numel()) if isinstance(
                value, torch.nn.Parameter) else 0
    for row in table.rows:
        node = nodes.get((row.origin or "")[len("torch:"):]) if (row.origin or "").startswith("torch:") else None
        if row.layer is not None and row.name in held_by:
            held = sum(held_by[row.name].values())
            if row.params != held:
                holder = "module holds" if row.layer.kind != "composite" else "modules and tensors it reads hold"
                raise SymcnnError(f"layer {row.name!r}: symcnn counts {row.params} parameters but the {holder} "
                                  f"{held}: not supported")
        shape = None if node is None else _shape(node)
        if shape is not None:
            mine = tuple(int(v) for v in row.output.shown())
            theirs = shape[1:]
            if row.output.layout == "seq" and len(theirs) == 2:
                mine, theirs = tuple(sorted(mine)), tuple(sorted(theirs))  # (C, L) before the permute to (L, C)
            if (len(theirs) == len(mine) and mine != theirs) or (len(theirs) != len(mine) and
                                                                   _prod(mine) != _prod(theirs)):
                raise SymcnnError(f"layer {row.name!r}: symcnn derives {'x'.join(map(str, mine))} but PyTorch "
                                  f"gives {'x'.join(map(str, theirs))}: not supported")


def _verify_each_module(table, gm, reader) -> None:
    """Every layer read from one module (each application of it summed) against the multiply-adds torch's
    dispatcher counted inside that module on the same pass: a count right in total but given to the wrong layer is
    refused too.  A composite layer is held to its modules' numel() and to the total (its own operations are
    the model's, not a module's)."""
    by_module = gm.meta.get("flops_by_module")
    if by_module is None:
        return
    composites = {r.name for r in table.rows if r.layer is not None and r.layer.kind == "composite"}
    targets = {name: target for name, target in reader.module_layers if name not in composites}
    summed: dict[str, Any] = {}
    first_row: dict[str, str] = {}
    for row in table.rows:
        target = targets.get(row.layer.shares or row.name) if row.layer is not None else None
        if target is not None:
            summed[target] = summed.get(target, 0) + row.macs
            first_row.setdefault(target, row.name)
    for target, macs in summed.items():
        theirs = int(by_module.get(target, 0))
        if getattr(sp.sympify(macs), "is_Integer", False) and 2 * int(macs) != theirs:
            raise SymcnnError(f"layer {first_row[target]!r}: symcnn counts {int(macs):,} multiply-adds but torch's "
                              f"dispatcher counts {theirs // 2:,} inside module {target!r} (FlopCounterMode on the "
                              "same forward pass): not supported")


def _prod(values) -> int:
    out = 1
    for v in values:
        out *= int(v)
    return out
