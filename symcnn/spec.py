"""The spec format: networks written by hand, in a small indented language.

A spec is a text file (the zoo's end in ``.cnn``)::

    # LeNet-5 as in problem P2
    network lenet5
    title LeNet-5
    input 1 32 32            # channels height width
    conv1: conv 6 k=5        # label: kind values key=value ...
    pool1: avgpool k=2 s=2
    conv2: conv 16 k=5
    pool2: avgpool k=2 s=2
    flatten
    fc1: linear 120
    fc2: linear 84
    fc3: linear 10

Blocks take an indented body (or an inline one after the colon, with ``;``
between layers): ``repeat N:``, ``concat:`` (each child, or each ``branch:``,
is one branch), ``residual:`` (the body is the main path; an optional
``shortcut:`` block is the projection, identity otherwise), ``gate:`` (a
squeeze-excite gate: the body's C x 1 x 1 output multiplies the block's input),
``sequence:``, and ``graph:`` for any directed acyclic graph: each step takes
the step before it, or the tensors it names after ``<-`` (``input`` is the
graph's input), and ``add``, ``concat`` or ``mul`` with ``<- a, b, ...`` joins
several; the last step is the graph's output::

    dense: graph:
      a: conv 32 k=3 p=1
      b: conv 32 k=3 p=1 <- a
      c: concat <- input, a, b

``set NAME = EXPR`` names a value; ``def NAME(a, b=1):`` defines a block
that is used like a layer (``inception3a: inception 64 96 128 16 32 32``);
inside ``repeat`` the name ``i`` counts from 1 and ``{i}`` in a label is
replaced by it.  Any other name in a value is a symbol: a positive integer,
or a non-negative one where it is first used as a padding; ``symbol alpha
real`` declares a positive real instead.  Values are parsed by
:mod:`symcnn.expr`, which never runs code.

>>> net = loads("input C 32 32\\nconv 2*C k=3 p=1\\nrelu")
>>> [(l.name, l.kind) for l in net.layers()]
[('conv1', 'conv'), ('relu1', 'relu')]
>>> net.derive().rows[0].weights
18*C**2
>>> loads("input 3 8 8\\nconv 4 k=3 q=1", filename="bad.cnn")
Traceback (most recent call last):
...
symcnn.errors.SpecError: bad.cnn:2: layer 'conv1': conv has no field 'q' (fields: out, k, s, p, d, g, bias, in)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

from . import expr as E
from .budget import MAX_LAYERS as MAX_LAYERS  # re-exported: the spec's limits
from .budget import MAX_REPEAT as MAX_REPEAT
from .errors import ExprError, SpecError
from .layers import kind as lookup_kind
from .layers.base import LayerKind, Shape
from .network import GRAPH_INPUT, JOIN_OPS, Concat, Graph, Join, Layer, Network, Repeat, Residual, Sequence, Step

BLOCKS = {"sequence", "seq", "repeat", "concat", "residual", "gate", "graph", "branch", "shortcut"}
KEYWORDS = BLOCKS | {"network", "title", "source", "aka", "variant", "input", "symbol", "set", "def"}
#: header lines whose rest is free text
TEXT_HEADERS = ("title", "source", "aka", "variant")
MAX_CALL_DEPTH = 32
MAX_BYTES = 2_000_000
MAX_NESTING = 40  # blocks inside blocks (indented or inline)
MAX_LINE = 4000
_LABEL = re.compile(r"([A-Za-z0-9_{][A-Za-z0-9_.\-{}]*)\s*:(?:\s+|$)")
_KEYVAL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(?!=)(.*)\Z", re.S)
_DEF = re.compile(r"def\s+([A-Za-z][A-Za-z0-9_]*)\s*\((.*)\)\s*\Z")
_ROLE_WORDS = {"size": "size", "integer": "size", "positive": "size", "int": "size",
               "padding": "padding", "nonnegative": "padding",
               "real": "real"}


@dataclass
class Stmt:
    label: str | None
    head: str
    header: bool
    lineno: int
    children: list[Stmt] = field(default_factory=list)

    @property
    def word(self) -> str:
        return self.head.split(None, 1)[0] if self.head.strip() else ""

    @property
    def rest(self) -> str:
        parts = self.head.split(None, 1)
        return parts[1] if len(parts) > 1 else ""


def _split_top(text: str, sep: str | None, where: str) -> list[str]:
    """Split at ``sep`` outside parentheses (``sep`` None: at whitespace)."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise SpecError("unbalanced ')'", where=where)
        if depth == 0 and ((sep is None and ch.isspace()) or ch == sep):
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if depth != 0:
        raise SpecError("unbalanced '('", where=where)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()] if sep is None else [p.strip() for p in parts]


def _statement(text: str, lineno: int, where: str, depth: int = 0) -> Stmt:
    if depth > MAX_NESTING:
        raise SpecError(f"blocks nested more than {MAX_NESTING} deep", where=where)
    label = None
    m = _LABEL.match(text)
    if m and m.group(1) not in KEYWORDS and text[m.end():].strip():
        label = m.group(1)
        text = text[m.end():].strip()
    head, colon, inline = text.partition(":")
    stmt = Stmt(label, head.strip(), bool(colon), lineno)
    if colon and inline.strip():
        for part in _split_top(inline, ";", where):
            if part:
                stmt.children.append(_statement(part, lineno, where, depth + 1))
    return stmt


def parse_lines(text: str, filename: str) -> list[Stmt]:
    """Comments, ``;`` and indentation into a tree of statements."""
    root: list[Stmt] = []
    stack: list[tuple[int, list[Stmt], Stmt | None]] = [(-1, root, None)]
    # lines end at \n (or \r\n) only: str.splitlines would also split at U+2028 and the like,
    # and the line numbers in errors would no longer be the ones an editor shows
    for lineno, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        where = f"{filename}:{lineno}"
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") or "\t" in line[: len(line) - len(stripped) + 1]:
            raise SpecError("indent with spaces, not tabs", where=where)
        indent = len(line) - len(stripped)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in stripped):
            raise SpecError("control characters are not allowed", where=where)
        if len(line) > MAX_LINE:
            raise SpecError(f"line longer than {MAX_LINE} characters", where=where)
        word = stripped.split(None, 1)[0]
        if word not in TEXT_HEADERS:
            odd = next((ch for ch in stripped if ord(ch) > 126), None)
            if odd is not None:
                raise SpecError(f"character {odd!r} (U+{ord(odd):04X}) is not allowed here: labels, kinds and values "
                                "are ASCII (other characters may appear in 'title', 'source' and comments)",
                                where=where)
        if word in TEXT_HEADERS:
            stmts = [Stmt(None, stripped, False, lineno)]
        else:
            stmts = []
            parts = _split_top(stripped, ";", where)
            while parts:
                part = parts.pop(0)
                if not part:
                    continue
                stmt = _statement(part, lineno, where)
                stmts.append(stmt)
                if stmt.header and parts:  # the header's inline body runs to the end of the line
                    for rest in parts:
                        if rest:
                            stmt.children.append(_statement(rest, lineno, where))
                    break
        if not stmts:
            continue
        while indent <= stack[-1][0]:
            stack.pop()
        if len(stack) > MAX_NESTING:
            raise SpecError(f"blocks nested more than {MAX_NESTING} deep", where=where)
        _parent_indent, siblings, owner = stack[-1]
        if owner is not None and not owner.header and owner.word in BLOCKS:
            owner.header = True  # the colon after a block keyword is optional
        if owner is not None and not owner.header:
            raise SpecError(
                f"unexpected indentation: {owner.head.split()[0]!r} on line {owner.lineno} is not a block "
                "(a block header ends with ':')", where=where)
        siblings.extend(stmts)
        last = stmts[-1]
        stack.append((indent, last.children, last))
    return root


def _bool(text: str, where: str, what: str) -> bool:
    low = text.lower()
    if low in ("true", "yes", "on", "1"):
        return True
    if low in ("false", "no", "off", "0"):
        return False
    raise SpecError(f"{what} must be true or false, got {text!r}", where=where)


class _Builder:
    def __init__(self, filename: str, declared=None, depth: sp.Symbol | None = None):
        self.filename = filename
        #: a depth multiplier: every ``repeat k`` becomes ``repeat ceiling(depth*k)`` (EfficientNet's rule)
        self.depth = depth
        self.symbols: dict[str, sp.Symbol] = {}
        self.declared: dict[str, str] = dict(declared or {})
        self.defs: dict[str, tuple[list[tuple[str, str | None]], list[Stmt], int]] = {}
        self.names: set[str] = set()
        self.counters: dict[tuple[str, str], int] = {}
        self.count = 0
        self.call_depth = 0

    # -- helpers --------------------------------------------------------------
    def where(self, stmt_or_line) -> str:
        line = stmt_or_line if isinstance(stmt_or_line, int) else stmt_or_line.lineno
        return f"{self.filename}:{line}"

    def symbol_factory(self, role: str):
        def make(name: str) -> sp.Symbol:
            if name not in self.symbols:
                self.symbols[name] = sp.Symbol(name, **E.ROLES[self.declared.get(name, role)])
            return self.symbols[name]

        return make

    def expr(self, text: str, env, role: str, stmt, layer=None) -> sp.Expr:
        try:
            return E.parse(text, env, self.symbol_factory(role))
        except ExprError as exc:
            raise SpecError(exc.message, where=self.where(stmt), layer=layer) from None

    def constant(self, text: str, env, stmt, what: str) -> int:
        value = self.expr(text, env, "size", stmt)
        if value.free_symbols or not value.is_Integer or not 1 <= int(value) <= MAX_REPEAT:
            raise SpecError(f"{what} must be an integer from 1 to {MAX_REPEAT}, got {value}",
                            where=self.where(stmt))
        return int(value)

    def full(self, prefix: str, label: str) -> str:
        return f"{prefix}.{label}" if prefix else label

    def auto(self, prefix: str, base: str) -> str:
        n = self.counters.get((prefix, base), 0)
        while True:
            n += 1
            name = self.full(prefix, f"{base}{n}")
            if name not in self.names:
                self.counters[(prefix, base)] = n
                return name

    def claim(self, name: str, stmt) -> str:
        if name in self.names:
            raise SpecError(f"duplicate layer name {name!r}", where=self.where(stmt))
        self.names.add(name)
        return name

    def label(self, stmt, env) -> str | None:
        if stmt.label is None:
            return None
        label = stmt.label
        if "{i}" in label:
            if "i" not in env:
                raise SpecError(f"label {label!r} uses {{i}} outside a repeat", where=self.where(stmt))
            label = label.replace("{i}", str(env["i"]))
        elif env.get("_repeat_suffix"):
            label = f"{label}_{env['i']}"
        if "{" in label or "}" in label:
            raise SpecError(f"label {stmt.label!r}: only {{i}} may appear in braces", where=self.where(stmt))
        return label

    # -- building -------------------------------------------------------------
    def body(self, stmts: list[Stmt], env: dict, prefix: str) -> list:
        env = dict(env)
        nodes = []
        for stmt in stmts:
            node = self.statement(stmt, env, prefix)
            if node is not None:
                nodes.append(node)
        return nodes

    def statement(self, stmt: Stmt, env: dict, prefix: str):
        word = stmt.word
        where = self.where(stmt)
        if word in ("network", "input", "symbol", *TEXT_HEADERS):
            raise SpecError(f"'{word}' belongs at the top of the file, not inside a block", where=where)
        if word == "def":
            raise SpecError("'def' belongs at the top level", where=where)
        if word == "set":
            self.set(stmt, env)
            return None
        if "<-" in stmt.head:
            raise SpecError("'<-' names the inputs of a layer, a def or a join directly inside a graph (a block "
                            "takes the step before it)", where=where)
        if word in ("branch", "shortcut"):
            raise SpecError(f"'{word}' is only allowed directly inside "
                            f"{'concat' if word == 'branch' else 'residual'}", where=where)
        if word in BLOCKS:
            return self.block(stmt, env, prefix)
        if not word:
            raise SpecError("a label needs a layer or block after it", where=where)
        if word in self.defs:
            return self.call(stmt, env, prefix)
        return self.layer(stmt, env, prefix)

    def set(self, stmt: Stmt, env: dict) -> None:
        name, eq, value = stmt.rest.partition("=")
        name = name.strip()
        if not eq or not E.valid_name(name) or name in KEYWORDS:
            raise SpecError("expected 'set NAME = EXPR'", where=self.where(stmt))
        env[name] = self.expr(value.strip(), env, "size", stmt)

    def block(self, stmt: Stmt, env: dict, prefix: str):
        word = stmt.word
        where = self.where(stmt)
        if not stmt.children:
            raise SpecError(f"'{word}' block is empty", where=where)
        label = self.label(stmt, env)
        if word in ("sequence", "seq"):
            if stmt.rest:
                raise SpecError(f"'{word}' takes no values, got {stmt.rest!r}", where=where)
            inner = self.full(prefix, label) if label else prefix
            return Sequence(inner, tuple(self.body(stmt.children, env, inner)), where)
        if word == "repeat":
            return self.repeat(stmt, env, prefix, label)
        if stmt.rest:
            raise SpecError(f"'{word}' takes no values, got {stmt.rest!r}", where=where)
        base = {"residual": "add", "gate": "gate"}.get(word, word)
        name = self.claim(self.full(prefix, label) if label else self.auto(prefix, base), stmt)
        # a labelled block prefixes its layers' names; an unlabelled residual, gate or graph does not
        inner = name if (label or word == "concat") else prefix
        env = {k: v for k, v in env.items() if k != "_repeat_suffix"}
        if word == "concat":
            return self.concat(stmt, env, name)
        if word == "graph":
            return self.graph(stmt, env, name, inner)
        return self.residual(stmt, env, name, inner, "mul" if word == "gate" else "add")

    def repeat(self, stmt: Stmt, env: dict, prefix: str, label: str | None):
        count = self.expr(stmt.rest or "0", env, "size", stmt)
        if count.free_symbols:
            return self.symbolic_repeat(stmt, env, prefix, label, count)
        n = self.constant(stmt.rest or "0", env, stmt, "repeat count")
        if self.depth is not None:
            return self.symbolic_repeat(stmt, env, prefix, label, sp.ceiling(self.depth * n))
        inner_prefix = self.full(prefix, label) if label else prefix
        nodes = []
        for i in range(1, n + 1):
            inner_env = dict(env, i=sp.Integer(i), _repeat_suffix=(not label and n > 1))
            p = self.full(inner_prefix, str(i)) if label else inner_prefix
            before = self.count
            nodes.extend(self.body(stmt.children, inner_env, p))
            if i == 1 and self.count + (self.count - before) * (n - 1) > MAX_LAYERS:
                # the first copy tells how many layers every copy adds: refuse before unrolling the rest
                raise SpecError(f"repeat {n}: {n} copies of {self.count - before} layers make more than "
                                f"{MAX_LAYERS} layers", where=self.where(stmt))
        env.pop("_repeat_suffix", None)
        return Sequence(inner_prefix, tuple(nodes), self.where(stmt))

    def symbolic_repeat(self, stmt: Stmt, env: dict, prefix: str, label: str | None, count: sp.Expr):
        """``repeat N:`` with N a symbol: the block once, under a name of its own; the derivation
        gives its totals and field in closed form in N."""
        if not (count.is_integer and count.is_positive):
            raise SpecError(f"a repeat count must be a positive integer; {count} is not declared one",
                            where=self.where(stmt))
        name = self.claim(self.full(prefix, label) if label else self.auto(prefix, "repeat"), stmt)
        # one copy stands for all: '{i}' in a label reads 'i'; 'i' in a value is refused below
        copy = sp.Symbol("i", integer=True, positive=True)
        inner_env = {k: v for k, v in env.items() if k != "_repeat_suffix"}
        inner_env["i"] = copy
        body = tuple(self.body(stmt.children, inner_env, name))
        seq = Sequence(name, body, self.where(stmt))
        from .walk import layers as all_layers

        for layer in all_layers(seq):
            for _, v in layer.args:
                for part in v if isinstance(v, tuple) else (v,):
                    if isinstance(part, sp.Basic) and copy in part.free_symbols:
                        raise SpecError(f"layer {layer.name!r} uses i inside a repeat with a symbolic count "
                                        f"({count}): every copy must be the same", where=layer.origin)
        return Repeat(name, seq, count, self.where(stmt))

    def concat(self, stmt: Stmt, env: dict, name: str):
        """Each child, or each ``branch:`` block, is one branch."""
        branches = []
        for n, child in enumerate(stmt.children, start=1):
            if child.word == "branch":
                if child.rest:
                    raise SpecError(f"'branch' takes no values, got {child.rest!r}", where=self.where(child))
                bprefix = self.full(name, self.label(child, env) or f"b{n}")
                if not child.children:
                    raise SpecError("'branch' block is empty (use 'identity' for a pass-through)",
                                    where=self.where(child))
                branches.append(Sequence(bprefix, tuple(self.body(child.children, env, bprefix)),
                                         self.where(child)))
            elif child.word == "set":
                raise SpecError("'set' inside concat must go inside a branch", where=self.where(child))
            else:
                bprefix = self.full(name, f"b{n}")
                branches.append(Sequence(bprefix, tuple(self.body([child], env, bprefix)), self.where(child)))
        if len(branches) < 2:
            raise SpecError("concat needs at least two branches", where=self.where(stmt), layer=name)
        return Concat(name, tuple(branches), self.where(stmt))

    def residual(self, stmt: Stmt, env: dict, name: str, inner: str, op: str = "add"):
        """The body is the main path; an optional ``shortcut:`` block is the projection."""
        main, shortcut = [], None
        block = "gate" if op == "mul" else "residual"
        for child in stmt.children:
            if child.word != "shortcut":
                main.append(child)
                continue
            if op == "mul":
                raise SpecError("a gate multiplies its own input: it takes no shortcut", where=self.where(child),
                                layer=name)
            if shortcut is not None:
                raise SpecError("residual block has two shortcuts", where=self.where(child), layer=name)
            if child.rest:
                raise SpecError(f"'shortcut' takes no values, got {child.rest!r}", where=self.where(child))
            if not child.children:
                raise SpecError("'shortcut' block is empty (leave it out for an identity shortcut)",
                                where=self.where(child))
            sprefix = self.full(inner, self.label(child, env) or "shortcut")
            shortcut = Sequence(sprefix, tuple(self.body(child.children, env, sprefix)), self.where(child))
        if not main:
            raise SpecError(f"{block} block has no main path", where=self.where(stmt), layer=name)
        where = self.where(stmt)
        return Residual(name, Sequence(inner, tuple(self.body(main, env, inner)), where), shortcut, where, op)

    def graph(self, stmt: Stmt, env: dict, name: str, inner: str) -> Graph:
        """Steps over named tensors: each takes the step before it or the tensors after ``<-``."""
        steps: list[Step] = []
        local = {GRAPH_INPUT: GRAPH_INPUT}  # the names a step may give after '<-' -> tensor names
        prev = GRAPH_INPUT
        env = dict(env)
        for child in stmt.children:
            where = self.where(child)
            if child.word == "set":
                self.set(child, env)
                continue
            head, arrow, names = child.head.partition("<-")
            if arrow and (child.header or child.children):
                raise SpecError("'<-' names the inputs of a layer, a def or a join; a block takes the step "
                                "before it", where=where)
            wanted = [n.strip() for n in names.split(",")] if arrow else [prev]
            for n in wanted:
                if n not in local:
                    raise SpecError(f"unknown tensor {n!r} after '<-' (known here: {', '.join(local)})",
                                    where=where)
            child = Stmt(child.label, head.strip(), child.header, child.lineno, child.children)
            if child.word in JOIN_OPS and not child.header and not child.children:
                if child.rest:
                    raise SpecError(f"a join ({child.word}) takes no values, got {child.rest!r}", where=where)
                label = self.label(child, env)
                node: Any = Join(self.claim(self.full(inner, label) if label else self.auto(inner, child.word), child),
                                 child.word, where)
            else:
                node = self.statement(child, env, inner)
                if node is None:
                    continue
            key = node.name[len(inner) + 1:] if inner else node.name
            local[key] = node.name
            steps.append(Step(node.name, node, tuple(local[n] for n in wanted)))
            prev = key
        if not steps:
            raise SpecError("'graph' block has no steps", where=self.where(stmt), layer=name)
        return Graph(name, tuple(steps), self.where(stmt))

    def call(self, stmt: Stmt, env: dict, prefix: str):
        where = self.where(stmt)
        params, body, _ = self.defs[stmt.word]
        label = self.label(stmt, env)
        name = self.claim(self.full(prefix, label) if label else self.auto(prefix, stmt.word), stmt)
        if stmt.header:
            raise SpecError(f"'{stmt.word}' is a def and takes no block", where=where)
        bound: dict = {}
        positional = [p for p, _ in params]
        tokens = _split_top(stmt.rest, None, where)
        for i, tok in enumerate(tokens):
            m = _KEYVAL.match(tok)
            if m:
                key, value = m.group(1), m.group(2)
                if key not in positional:
                    raise SpecError(f"{stmt.word} has no parameter {key!r} (parameters: {', '.join(positional)})",
                                    where=where, layer=name)
            else:
                if i >= len(positional):
                    raise SpecError(f"{stmt.word} takes {len(positional)} values, got more", where=where, layer=name)
                key, value = positional[i], tok
            if key in bound:
                raise SpecError(f"{stmt.word}: parameter {key!r} given twice", where=where, layer=name)
            bound[key] = self.expr(value, env, "size", stmt, layer=name)
        inner = {k: v for k, v in env.items() if k not in ("i", "_repeat_suffix")}
        for p, default in params:
            if p not in bound:
                if default is None:
                    raise SpecError(f"{stmt.word}: missing value for {p!r}", where=where, layer=name)
                bound[p] = self.expr(default, dict(inner, **bound), "size", stmt, layer=name)
        self.call_depth += 1
        if self.call_depth > MAX_CALL_DEPTH:
            raise SpecError(f"defs nested more than {MAX_CALL_DEPTH} deep (recursive def?)", where=where)
        try:
            if len(body) == 1 and body[0].word in ("concat", "residual", "gate") and body[0].label is None:
                # a def that is one block: the block itself takes the call's name
                self.names.discard(name)
                block = Stmt(name[len(prefix) + 1:] if prefix else name, body[0].head, True,
                             body[0].lineno, body[0].children)
                return self.block(block, dict(inner, **bound), prefix)
            children = self.body(body, dict(inner, **bound), name)
        finally:
            self.call_depth -= 1
        return Sequence(name, tuple(children), where)

    def layer(self, stmt: Stmt, env: dict, prefix: str) -> Layer:
        where = self.where(stmt)
        label = self.label(stmt, env)
        try:
            kind = lookup_kind(stmt.word)
        except SpecError as exc:
            shown = self.full(prefix, label) if label else self.auto(prefix, stmt.word)
            raise SpecError(exc.message, where=where, layer=shown) from None
        name = self.claim(self.full(prefix, label) if label else self.auto(prefix, kind.name), stmt)
        if stmt.header or stmt.children:
            raise SpecError(f"{kind.name} is a layer, not a block: it takes no ':' or indented body",
                            where=where, layer=name)
        self.count += 1
        if self.count > MAX_LAYERS:
            raise SpecError(f"more than {MAX_LAYERS} layers", where=where)
        args = self.layer_args(kind, _split_top(stmt.rest, None, where), env, stmt, name)
        return Layer(name, kind.name, tuple(args.items()), where)

    def layer_args(self, kind: LayerKind, tokens, env, stmt, name) -> dict:
        where = self.where(stmt)
        values: dict = {}
        positional = [p for p in kind.params if p.positional]
        pos = 0
        for tok in tokens:
            m = _KEYVAL.match(tok)
            if m:
                key, text = m.group(1), m.group(2)
                p = kind.param(key)
                if p is None:
                    fields = ", ".join(q.name for q in kind.params) or "none"
                    raise SpecError(f"{kind.name} has no field {key!r} (fields: {fields})", where=where, layer=name)
            else:
                if pos >= len(positional):
                    raise SpecError(f"{kind.name}: unexpected value {tok!r} (give it as key=value; fields: "
                                    f"{', '.join(q.name for q in kind.params) or 'none'})", where=where, layer=name)
                p, text = positional[pos], tok
                pos += 1
            if p.name in values:
                raise SpecError(f"{kind.name}: field {p.name!r} given twice", where=where, layer=name)
            if not text:
                raise SpecError(f"{kind.name}: field {p.name!r} has no value", where=where, layer=name)
            values[p.name] = self.convert(p, text, env, stmt, name)
        missing = [p for p in kind.params if p.required and p.name not in values]
        if missing:
            p = missing[0]
            raise SpecError(f"{kind.name}: missing field {p.name!r} ({p.doc})", where=where, layer=name)
        return kind.complete(values)

    def convert(self, p, text: str, env, stmt, name):
        where = self.where(stmt)
        if p.kind == "bool":
            return _bool(text, where, f"field {p.name!r}")
        if p.kind == "text":
            return text
        if p.kind == "choice":
            if text not in p.choices:
                raise SpecError(f"field {p.name!r} is one of {', '.join(p.choices)}, got {text!r}", where=where,
                                layer=name)
            return text
        if p.kind == "pair":
            if p.allow_same and text == "same":
                return "same"
            parts = _split_top(text, ",", where)
            if len(parts) not in (1, 2) or not all(parts):
                extra = (" (asymmetric padding is a layer of its own: 'pad TOP BOTTOM LEFT RIGHT' before it)"
                         if p.role == "padding" and len(parts) == 4 else "")
                raise SpecError(f"field {p.name!r} takes one value or two (height,width), got {text!r}{extra}",
                                where=where, layer=name)
            vals = tuple(self.expr(t, env, p.role, stmt, layer=name) for t in parts)
            return vals if len(vals) == 2 else (vals[0], vals[0])
        return self.expr(text, env, p.role, stmt, layer=name)


@dataclass
class _Header:
    """What the header lines of a spec say (everything before and between the layers that is not a layer)."""

    name: str | None
    title: str = ""
    source: str = ""
    aka: list[str] = field(default_factory=list)
    variants: list[tuple[str, str]] = field(default_factory=list)
    shape: Shape | None = None


def _network_line(h: _Header, b: _Builder, stmt: Stmt, env: dict, given: str | None) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", stmt.rest):
        raise SpecError("expected 'network NAME' (letters, digits, . _ -)", where=b.where(stmt))
    h.name = given or stmt.rest


def _variant_line(h: _Header, b: _Builder, stmt: Stmt, env: dict, given: str | None) -> None:
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*:\s*(.+)", stmt.rest)
    if not m:
        raise SpecError("expected 'variant NETWORK: what differs' (a network whose figures count as right under "
                        "another convention)", where=b.where(stmt))
    h.variants.append((m.group(1), m.group(2).strip()))


def _input_line(h: _Header, b: _Builder, stmt: Stmt, env: dict, given: str | None) -> None:
    if h.shape is not None:
        raise SpecError("'input' given twice", where=b.where(stmt))
    h.shape = _input(b, stmt, env)


#: each header word and what it does (a word not here, or one with a label, is a layer or a block)
HEADERS = {
    "network": _network_line,
    "title": lambda h, b, stmt, env, given: setattr(h, "title", stmt.rest),
    "source": lambda h, b, stmt, env, given: setattr(h, "source", stmt.rest),
    "aka": lambda h, b, stmt, env, given: h.aka.extend(a.strip() for a in stmt.rest.split(",") if a.strip()),
    "variant": _variant_line,
    "symbol": lambda h, b, stmt, env, given: _declare(b, stmt),
    "input": _input_line,
    "def": lambda h, b, stmt, env, given: _define(b, stmt),
    "set": lambda h, b, stmt, env, given: b.set(stmt, env),
}


def loads(text: str, filename: str = "<spec>", name: str | None = None, depth: sp.Symbol | None = None) -> Network:
    """Parse a spec from a string.  ``depth``: a symbol by which every repeat count is scaled
    (``repeat k`` becomes ``repeat ceiling(depth*k)``)."""
    if len(text) > MAX_BYTES:
        raise SpecError(f"spec is larger than {MAX_BYTES} bytes", where=filename)
    stmts = parse_lines(text, filename)
    b = _Builder(filename, depth=depth)
    env: dict = {}
    header = _Header(name)
    layers: list[Stmt] = []
    for stmt in stmts:
        header_line = stmt.label is None and stmt.word in HEADERS and not (stmt.word == "set" and layers)
        if not header_line:
            layers.append(stmt)
            continue
        if stmt.word == "input" and layers:
            raise SpecError("'input' must come before the layers", where=b.where(stmt))
        HEADERS[stmt.word](header, b, stmt, env, name)
    if header.shape is None:
        raise SpecError("missing 'input C H W' line", where=filename)
    if not layers:
        raise SpecError("the network has no layers", where=filename)
    body = Sequence("", tuple(b.body(layers, env, "")), filename)
    net_name = header.name
    if net_name is None:
        net_name = Path(filename).stem if filename and not filename.startswith("<") else "network"
    return Network(net_name, header.shape, body, dict(b.symbols), title=header.title, source=header.source,
                   origin=filename, aka=tuple(header.aka), variants=tuple(header.variants))


def _declare(b: _Builder, stmt: Stmt) -> None:
    where = b.where(stmt)
    words = stmt.rest.replace(",", " ").split()
    names = [w for w in words if w not in _ROLE_WORDS]
    roles = {_ROLE_WORDS[w] for w in words if w in _ROLE_WORDS}
    if not names:
        raise SpecError("expected 'symbol NAME... [real|integer|nonnegative]'", where=where)
    if len(roles) > 1:
        raise SpecError(f"conflicting assumptions: {' and '.join(sorted(roles))}", where=where)
    role = roles.pop() if roles else "size"
    for n in names:
        if not E.valid_name(n) or n in KEYWORDS:
            raise SpecError(f"{n!r} is not a valid symbol name", where=where)
        if n in b.symbols or n in b.declared:
            raise SpecError(f"symbol {n!r} declared twice or after use", where=where)
        b.declared[n] = role


def _input(b: _Builder, stmt: Stmt, env) -> Shape:
    where = b.where(stmt)
    tokens = list(_split_top(stmt.rest.replace(",", " "), None, where))
    if len(tokens) == 1 and re.fullmatch(r"[^x]+x[^x]+x[^x]+", tokens[0]):
        tokens = tokens[0].split("x")
    keyed = {}
    plain = []
    for tok in tokens:
        m = _KEYVAL.match(tok)
        if m and m.group(1).lower() in ("c", "h", "w"):
            keyed[m.group(1).lower()] = m.group(2)
        else:
            plain.append(tok)
    if (keyed and plain) or (not keyed and len(plain) != 3) or (keyed and set(keyed) != {"c", "h", "w"}):
        raise SpecError("expected 'input C H W' (for example 'input 3 224 224')", where=where)
    texts = [keyed[k] for k in "chw"] if keyed else plain
    values = [b.expr(t, env, "size", stmt) for t in texts]
    for what, v in zip(("channels", "height", "width"), values):
        if v.is_positive is False or (v.is_number and not v.is_Integer):
            raise SpecError(f"input {what} must be a positive integer, got {v}", where=where)
    return Shape(*values)


def _define(b: _Builder, stmt: Stmt) -> None:
    where = b.where(stmt)
    m = _DEF.match(stmt.head.strip())
    if not m or not stmt.header:
        raise SpecError("expected 'def NAME(PARAM, PARAM=DEFAULT, ...):'", where=where)
    dname, plist = m.group(1), m.group(2)
    if dname in KEYWORDS:
        raise SpecError(f"{dname!r} is a keyword", where=where)
    try:
        lookup_kind(dname)
    except SpecError:
        pass
    else:
        raise SpecError(f"def {dname!r} would hide the layer kind of that name", where=where)
    if dname in b.defs:
        raise SpecError(f"def {dname!r} defined twice", where=where)
    params: list[tuple[str, str | None]] = []
    for part in _split_top(plist, ",", where) if plist.strip() else []:
        pname, eq, default = part.partition("=")
        pname = pname.strip()
        if not E.valid_name(pname) or pname == "i" or pname in (p for p, _ in params):
            raise SpecError(f"bad or repeated parameter name {pname!r}", where=where)
        params.append((pname, default.strip() if eq else None))
    if not stmt.children:
        raise SpecError(f"def {dname!r} has an empty body", where=where)
    b.defs[dname] = (params, stmt.children, stmt.lineno)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def load_file(path: str | Path) -> Network:
    """Parse a spec file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "not a valid path"
        raise SpecError(f"cannot read spec file: {reason}", where=_short(str(path))) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError("spec file is not UTF-8 text", where=str(path)) from None
    return loads(text, filename=str(path))
