"""Stage two of reading a sheet: what each figure is about, decided from its evidence.

For every section of a sheet (:mod:`symcnn.grading.figures`), every candidate network
(the ones the section names, else those of its question, else every zoo network) is
aligned with the section's entries as a whole: a monotone alignment of entries to the
network's layers that scores each pairing by the label (an exact layer name wins; the
family, ordinal, kernel and channels it gives), the configuration the line states, the
factors of the student's working (``(3*3*3)*64`` names a 3x3 kernel from 3 to 64
channels), the shape written (weakly) and the order of the sheet.  The network chosen
for the section is the one whose alignment explains most; a network nobody named must
explain most entries, else the section's figures are ``unknown``.

Quantities come from the figure's own evidence (header, words, unit, form of the
working).  A figure with none may take the quantity of a list it belongs to, decided
by the *other* figures of the list (leave-one-out): no figure's own value ever decides
what it is about, so changing it can never make it right.  Every claim records how its
network, layer and quantity were decided.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .claims import Claim
from .figures import Entry, Figure, Label, Reading, Section, products, read_label
from .lookup import FAMILY_GROUP
from .numbers import Number
from .patterns import rx
from .vocabulary import QUANTITY, WEIGHTED, family_of_kind, mentions, quantity_named

NEG = -1e9
SKIP_COST = 0.6  # a conv, fc or pool layer the sheet passes over
UNASSIGNED = 2.0  # an entry aligned with no layer
REPEAT = 3.0  # two entries on one layer (unless the label names it)
RESTART = 4.0  # the sheet goes back to an earlier layer (an excerpt of a table listed again)
JUMP_CAP = 2.5  # the most a jump over many layers costs (a sheet that answers for conv1 and fc only)
CLEAR = 2.0  # how much better than any other an unnamed network's alignment must be
NAMED_PRIOR = 3.0  # a network the section names
INHERITED_PRIOR = 1.5  # ... or its question names


# -- networks prepared for alignment ------------------------------------------------------------


def _int(v) -> int | None:
    try:
        return int(v) if v is not None and sp.sympify(v).is_Integer else None
    except (TypeError, ValueError, SymcnnError):
        return None


def _arg(row, key):
    if row.layer is None:
        return None
    v = dict(row.layer.args).get(key)
    if isinstance(v, tuple):
        v = v[0]
    return _int(v)


def _name_forms(name: str) -> set[str]:
    forms = {name.lower()}
    m = rx(r"block(\d+)\.conv(\d+)").fullmatch(name)
    if m:
        forms |= {f"conv{m.group(1)}_{m.group(2)}", f"conv{m.group(1)}.{m.group(2)}", f"conv{m.group(1)}-{m.group(2)}"}
    m = rx(r"block(\d+)\.pool").fullmatch(name)
    if m:
        forms |= {f"pool{m.group(1)}", f"maxpool{m.group(1)}"}
    return forms


@dataclass
class Candidate:
    """A network's derived table, read for alignment."""

    name: str
    table: Any
    rows: list[Any]
    family: list[str]
    ordinal: list[int]
    weighted: list[int | None]
    listed: list[int | None]  # place among the conv, pool and fc layers (LeNet's C1, S2, ... F6)
    names: list[set[str]]
    kernel: list[int | None]
    stride: list[int | None]
    cin: list[int | None]
    cout: list[int | None]
    forms: list[set[tuple[int, ...]]]
    cost: list[float]  # what passing over the row costs
    groups: dict[str, list[int]] = field(default_factory=dict)
    _scores: dict = field(default_factory=dict, repr=False)
    #: each row's forms with one factor left out: a working one factor off a form shares one of these with it
    near: list[frozenset[tuple[int, ...]]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.near = [frozenset(q for form in forms for q in _one_left_out(form)) for forms in self.forms]

    def scores(self, ev: Evidence) -> list[tuple[float, str]]:
        """The entry's score against every row (the same evidence is scored once)."""
        found = self._scores.get(ev)
        if found is None:
            found = self._scores[ev] = [score(ev, self, i) for i in range(len(self.rows))]
        return found


def prepare(name: str, table: Any) -> Candidate:
    """A network's table read for alignment: each row's family, places, names, kernel, channels and the
    products its figures are worked from."""
    rows = list(table.rows)
    fams = [family_of_kind(r.kind) for r in rows]
    ordinal, weighted, listed = _places(fams)
    kernel = [_arg(r, "k") for r in rows]
    cin = [_int(r.input.c) if r.input.layout == "chw" else None for r in rows]
    cout = [_int(r.output.c) for r in rows]
    forms = [_forms(table, r, k, ci, co) for r, k, ci, co in zip(rows, kernel, cin, cout, strict=True)]
    cost = [SKIP_COST if f in ("conv", "fc", "pool") else 0.05 for f in fams]
    return Candidate(name, table, rows, fams, ordinal, weighted, listed, _row_names(rows), kernel,
                     [_arg(r, "s") for r in rows], cin, cout, forms, cost, _groups(rows, fams))


def _places(fams: list[str]) -> tuple[list[int], list[int | None], list[int | None]]:
    """Each row's place among its family, among the weighted layers, and among the conv, pool and fc layers."""
    counts: Counter[str] = Counter()
    ordinal: list[int] = []
    weighted: list[int | None] = []
    listed: list[int | None] = []
    w = count = 0
    for fam in fams:
        counts[fam] += 1
        ordinal.append(counts[fam])
        if fam in WEIGHTED:
            w += 1
        weighted.append(w if fam in WEIGHTED else None)
        if fam in ("conv", "pool", "fc"):
            count += 1
        listed.append(count if fam in ("conv", "pool", "fc") else None)
    return ordinal, weighted, listed


def _row_names(rows: list[Any]) -> list[set[str]]:
    names = [_name_forms(r.name) for r in rows]
    # a nested name's last part names the row too, where it is unique (inception.b2.conv3x3 is conv3x3)
    tails = Counter(r.name.split(".")[-1] for r in rows)
    for i, r in enumerate(rows):
        tail = r.name.split(".")[-1]
        if "." in r.name and tails[tail] == 1:
            names[i].add(tail)
    return names


def _forms(table: Any, r: Any, k: int | None, ci: int | None, co: int | None) -> set[tuple[int, ...]]:
    """The products a row's figures are worked from (sorted factors): its output shape, its kernel's
    weights, a fully connected layer's fan-in and fan-out."""
    out: set[tuple[int, ...]] = set()
    h, wd = _int(r.output.h), _int(r.output.w)
    if co and h and wd:
        out.add(tuple(sorted((h, wd, co))))
    if r.layer is not None and r.kind in ("conv", "convtranspose") and k and ci and co:
        g = _arg(r, "g") or 1
        out.add(tuple(sorted((k, k, ci // g, co))))
        out.add(tuple(sorted((k * k, ci // g, co))))
        if h and wd:
            out.add(tuple(sorted((h, wd, co, k, k, ci // g))))
    if r.kind == "linear":
        n_in = _int(r.input.elements) if hasattr(r.input, "elements") else None
        if n_in and co:
            out.add(tuple(sorted((n_in, co))))
            # the map before a flatten: its C x H x W written as the fan-in (7*7*512*4096)
            maps = [q.input for q in table.rows if q.kind == "flatten" and q.output == r.input] + [r.input]
            for x in maps:
                xh, xw, xc = _int(x.h), _int(x.w), _int(x.c)
                if xh and xw and xc and (xh, xw) != (1, 1):
                    out.add(tuple(sorted((xh, xw, xc, co))))
    return out


def _groups(rows: list[Any], fams: list[str]) -> dict[str, list[int]]:
    """The groups of layers a name prefix makes (layer3, block2), with at least two weighted layers."""
    groups: dict[str, list[int]] = {}
    names_all = {r.name for r in rows}
    for i, r in enumerate(rows):
        parts = r.name.split(".")
        for k in range(1, len(parts)):
            g = ".".join(parts[:k])
            if g not in names_all:
                groups.setdefault(g, []).append(i)
    return {g: idx for g, idx in groups.items() if sum(fams[i] in WEIGHTED for i in idx) >= 2}


# -- scoring an entry against a layer ---------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What an entry says of its layer, as used by the alignment (from its label, line and working)."""

    label: Label
    kernel: int | None
    stride: int | None
    channels: int | None
    terms: tuple[tuple[int, ...], ...]
    shapes: tuple[tuple[int, ...], ...]

    @property
    def empty(self) -> bool:
        return self.label.family is None and not self.label.names and self.kernel is None and \
            self.channels is None and not self.terms


def evidence(entry: Entry, label: Label | None = None) -> Evidence:
    label = label or entry.label
    terms = []
    shapes = []
    for f in entry.figures:
        for t in f.terms:
            if len(t) >= 2:
                terms.append(tuple(sorted(t)))
        if isinstance(f.value, tuple) and not f.from_working and len(f.value) == 3:
            shapes.append(tuple(sorted(f.value)))
    kernel = label.kernel if label.kernel is not None else entry.kernel
    channels = label.channels if label.channels is not None else entry.channels
    return Evidence(label, kernel, entry.stride, channels, tuple(terms), tuple(shapes))


#: words that say a layer's role in a block, as layer names say it too (inception's reduce3x3, a pool projection,
#: a residual shortcut or downsample)
_ROLE_WORDS = frozenset({"reduce", "reduction", "proj", "projection", "shortcut", "downsample"})
_KERNEL_NAME = re.compile(r"(?:conv\w*|reduce|pool\w*|proj\w*)\d+x\d+")


def score(ev: Evidence, c: Candidate, i: int) -> tuple[float, str]:
    """How well an entry's evidence fits layer i: (score, what fitted)."""
    how: list[str] = []
    total = _label_fit(ev.label, c, i, how)
    if total == NEG:
        return NEG, ""
    total += _stated_fit(ev, c, i, how) + _working_fit(ev, c, i, how)
    # a written shape is a claimed value: it never decides which layer (or network) a figure is about
    return total, "+".join(how)


def _label_fit(lab: Label, c: Candidate, i: int, how: list[str]) -> float:
    """The label's name, family and ordinal against layer i (NEG: the label rules the layer out)."""
    fam = c.family[i]
    total = 0.0
    matched = c.names[i] & set(lab.names) if lab.names else set()
    if matched:
        # a name that only says the kernel ('1x1 conv' is conv1x1: the branch of many a module) is weaker than one
        # that names this layer (conv5_1, inception3a.b1, layer4.1.conv2)
        generic = all(_KERNEL_NAME.fullmatch(n) for n in matched)
        total += 2 if generic else 8
        how.append("kernel name" if generic else "name")
    if lab.family == "any":
        if c.weighted[i] is None:
            return NEG
        if lab.ordinal is not None:
            if c.weighted[i] == lab.ordinal:
                total += 3
                how.append("position")
            else:
                total -= 2
    elif lab.family is not None:
        if lab.family == fam:
            total += 2
            how.append("family")
        elif lab.family == "conv" and fam == "fc":
            total -= 0.5  # LeNet's C5: a 5x5 convolution on a 5x5 map is a fully connected layer
        elif "name" in how:
            total -= 1
        else:
            return NEG
        if lab.ordinal is not None and lab.family == fam and "name" not in how:
            if c.ordinal[i] == lab.ordinal:
                total += 3
                how.append("ordinal")
            else:
                total -= 2
    return total


def _stated_fit(ev: Evidence, c: Candidate, i: int, how: list[str]) -> float:
    """What the label and the line state (position, kernel, channels, role, stride) against layer i."""
    lab = ev.label
    total = 0.0
    # (stated, the row's, reward, penalty, word)
    for stated, have, plus, minus, word in ((lab.position, c.listed[i], 2, 1, "position"),
                                            (ev.kernel, c.kernel[i], 1.5, 3, "kernel"),
                                            (ev.channels, c.cout[i], 2, 3, "channels")):
        if stated is not None and have is not None:
            if stated == have:
                total += plus
                how.append(word)
            else:
                total -= minus
        elif stated is not None and word == "position":
            total -= minus  # a row with no place among the listed layers (a ReLU) is not LeNet's C3
    said = _ROLE_WORDS.intersection(lab.words)
    if said:  # 'reduce', 'proj', 'shortcut': a role the row's own name says, or not
        name = c.rows[i].name.lower()
        if any(w[:4] in name for w in said):
            total += 2
            how.append("role")
        else:
            total -= 1
    if ev.stride is not None and c.stride[i] is not None and c.family[i] in ("conv", "pool"):
        total += 0.5 if ev.stride == c.stride[i] else -1
    return total


def _working_fit(ev: Evidence, c: Candidate, i: int, how: list[str]) -> float:
    """The factors of the working against the textbook forms of layer i."""
    if not ev.terms:
        return 0.0
    best = -1.0
    forms, near = c.forms[i], c.near[i]
    for t in ev.terms:
        if t in forms:
            best = 4.0
            break
        if best < 1 and not near.isdisjoint(_one_left_out(t)):
            best = 1.0  # all factors but one the form's (a product and a form of as many factors share all but one)
    if best >= 4:
        how.append("working")
    return best


@lru_cache(maxsize=65536)
def _one_left_out(t: tuple[int, ...]) -> frozenset[tuple[int, ...]]:
    """A sorted product with each of its factors left out in turn: two products of n factors share n - 1 of them
    (as multisets) exactly when these sets meet.

    >>> sorted(_one_left_out((3, 3, 64)))
    [(3, 3), (3, 64)]
    """
    return frozenset(t[:k] + t[k + 1:] for k in range(len(t)))


# -- the alignment ---------------------------------------------------------------------------------


@dataclass
class Placed:
    entry: Entry
    subject: str | None  # a row's name, "input", "total", a group's name, or None (unknown)
    how: str
    sure: bool
    score: float = 0.0


#: a label about every layer of a family: 'fc layers total', 'all conv layers', 'the FC layers'
_EVERY_OF_FAMILY = re.compile(r"(?i)(?:\ball\s+(?:the\s+)?|\btotal\s+(?:of\s+)?(?:the\s+)?)?"
                              r"\b(fc|fully[- ]connected|dense|linear|conv\w*|convolutional)\s+layers\b")
#: quantities that add up over layers
_ADDITIVE = frozenset({"params", "weights", "biases", "macs", "flops"})
#: quantities only a layer with weights has
_LEARNED = frozenset({"params", "weights", "biases"})


def _special(entry: Entry, c: Candidate | None) -> Placed | None:
    lab = entry.label
    output = rx(r"(?i)\s*output(?:\s+layer)?\s*").fullmatch(lab.text)
    if lab.family in ("total", "fc") and c is not None and output and \
            entry.figures and all(f.quantity in _LEARNED for f in entry.figures):
        # 'Output: 84 -> 10, params = 850': the output layer's parameters (the network's output has none)
        last = max((i for i, w in enumerate(c.weighted) if w is not None), key=lambda i: c.weighted[i] or 0,
                   default=None)
        if last is not None:
            return Placed(entry, c.rows[last].name, "the output layer: the last layer with weights", True)
    if lab.family == "total":
        return Placed(entry, "total", "the label says total", True)
    every = _EVERY_OF_FAMILY.search(lab.text)
    if every and c is not None:
        fam = "fc" if every.group(1).lower().startswith(("fc", "fully", "dense", "linear")) else "conv"
        if any(f == fam for f in c.family):
            return Placed(entry, FAMILY_GROUP + fam, f"the label says every {fam} layer", True)
    if lab.family == "input":
        return Placed(entry, "input", "the label says input", True)
    if c is not None:
        for n in lab.names:
            if n in c.groups:
                return Placed(entry, n, "the label names a group of layers", True)
            m = rx(r"conv([2-9])_?x").fullmatch(n)
            if m and f"layer{int(m.group(1)) - 1}" in c.groups:
                return Placed(entry, f"layer{int(m.group(1)) - 1}", "He et al.'s stage name", True)
    return None


def _stages(c: Candidate) -> list[str]:
    """The network's top-level containers in order (torchvision's features and classifier, ResNet's layer1...):
    what a model summary's next 'Sequential' row stands for."""
    out: list[str] = []
    for r in c.rows:
        top = r.name.split(".")[0]
        if top in c.groups and top not in out:
            out.append(top)
    return out


def align(entries: list[Entry], c: Candidate) -> tuple[list[Placed], float]:
    """The best monotone alignment of a section's entries with a network's layers, and its score."""
    placed, todo = _placed_first(entries, c)
    n = len(c.rows)
    if not todo or n == 0:
        return [p if p is not None else Placed(e, None, "no layer to align with", False)
                for p, e in zip(placed, entries, strict=True)], 0.0
    evs, ditto_of = _evidences(entries, todo)
    scores = [c.scores(ev) for ev in evs]
    assign, total = _best_path(scores, _pass_costs(placed, c), n)
    for t, k in enumerate(todo):
        e = entries[k]
        if t not in assign:
            placed[k] = Placed(e, None, "no layer of the network fits its label", False)
            continue
        i = assign[t]
        s, how = scores[t][i]
        if k in ditto_of:
            how = "ditto mark: the layer kind above, next in order"
        placed[k] = Placed(e, c.rows[i].name, how or "order", bool(how) and s > 0, s)
    _sure_among_neighbours(entries, placed, todo)
    return [p if p is not None else Placed(e, None, "", False) for p, e in zip(placed, entries, strict=True)], total


#: quantities a sheet can claim of the network as a whole only
_TOTAL_ONLY = ("bytes", "bytes-fb", "params-bytes")


def _placed_first(entries: list[Entry], c: Candidate) -> tuple[list[Placed | None], list[int]]:
    """Entries placed before any alignment (containers, the input, the network as a whole), and the rest to align."""
    placed: list[Placed | None] = [None] * len(entries)
    todo = []
    stages = _stages(c)
    for k, e in enumerate(entries):
        text = e.label.text.strip().lower()
        if text.endswith("(nested container)"):
            placed[k] = Placed(e, None, "a block inside a stage: its figures are its layers'", False)
            continue
        if rx(r"sequential|modulelist|moduledict|stage").fullmatch(text):
            placed[k] = Placed(e, stages.pop(0), "the next top-level container of the network", True) if stages \
                else Placed(e, None, "a container, and the network has no more", False)
            continue
        special = _special(e, c)
        if special is not None:
            placed[k] = special
        elif e.label_how in ("prose", "sentence", "block", "") and e.label.family is None and not e.label.names \
                and e.input_size is None and (not any(len(products(f.terms)) == 1 for f in e.figures) or
                                              all(f.quantity in _TOTAL_ONLY for f in e.figures)):
            # (bytes are the network's alone: '16,542,184 * 4 bytes = 66,168,736 bytes = 63.1 MiB')
            # no layer named, and no working of one layer's product: the network (or module) as a whole
            placed[k] = Placed(e, "total", "no layer named: the network as a whole", True)
        else:
            todo.append(k)
    return placed, todo


def _pass_costs(placed: list[Placed | None], c: Candidate) -> list[float]:
    """Prefix sums of what passing over rows costs (nothing for the rows of a group the section names whole)."""
    covered: set[int] = set()
    for p in placed:
        if p is not None and p.subject in c.groups:
            covered |= set(c.groups[p.subject])
    prefix = [0.0]
    for i, x in enumerate(c.cost):
        prefix.append(prefix[-1] + (0.0 if i in covered else x))
    return prefix


def _evidences(entries: list[Entry], todo: list[int]) -> tuple[list[Evidence], dict[int, int]]:
    """Each entry's evidence (a ditto mark takes the label above it), and which entries were dittos."""
    evs = []
    ditto_of: dict[int, int] = {}
    last_label: Label | None = None
    # the VGG paper's (and CS231n's) table notation: where convolutions are labelled CONVk-C, a POOLk is a k x k
    # pool, not the k-th pool
    vgg_notation = any(rx(r"(?i)\s*conv\s*\d+\s*-\s*\d{2,}\s*").fullmatch(entries[k].label.text) for k in todo)
    for k in todo:
        e = entries[k]
        lab = e.label
        pool = rx(r"(?i)\s*(?:max\s*)?pool\s*(\d)\s*").fullmatch(lab.text) if vgg_notation else None
        if pool:
            lab = Label(lab.text, "pool", None, int(pool.group(1)), None)
        if lab.ditto and last_label is not None:
            lab = Label(last_label.text, last_label.family, None, last_label.kernel, last_label.channels)
            ditto_of[k] = 1
        elif not lab.ditto:
            last_label = lab
        evs.append(evidence(e, lab))
    return evs, ditto_of


def _best_path(scores: list[list[tuple[float, str]]], prefix: list[float], n: int) -> tuple[dict[int, int], float]:
    """The dynamic programme: f[j] is the best total with the last entry placed on row j (j = n: none placed yet);
    each entry is placed on a row after the one before (passing over rows at their cost, a capped long jump, a
    restart for a table listed again, the same row again) or left unassigned. Returns entry -> row, and the total."""
    f = [NEG] * (n + 1)
    f[n] = 0.0
    back: list[list[tuple[int, int]]] = []
    for row_scores in scores:
        g = [NEG] * (n + 1)
        bp = [(-1, -1)] * (n + 1)
        for j in range(n + 1):  # unassigned: stays where it was
            if f[j] > NEG / 2 and f[j] - UNASSIGNED > g[j]:
                g[j], bp[j] = f[j] - UNASSIGNED, (j, -1)
        top = max(range(n + 1), key=f.__getitem__)
        restart, restart_arg = f[top] - RESTART, top
        best, arg = f[n], n  # from the start: the rows before i passed over (prefix[i])
        far, far_arg = f[n], n  # ... or a long jump, whose cost is capped
        for i in range(n):
            s, how = row_scores[i]
            if s > NEG / 2:
                v, src = best - prefix[i], arg
                if far - JUMP_CAP > v:
                    v, src = far - JUMP_CAP, far_arg
                if restart > v:
                    v, src = restart, restart_arg
                again = f[i] - (0 if "name" in how.split("+") else REPEAT)
                if again > v:
                    v, src = again, i
                if v > NEG / 2 and v + s > g[i]:
                    g[i], bp[i] = v + s, (src, i)
            # rows up to i become available to the next i
            if f[i] > NEG / 2 and f[i] + prefix[i + 1] > best:
                best, arg = f[i] + prefix[i + 1], i
            if f[i] > far:
                far, far_arg = f[i], i
        back.append(bp)
        f = g
    j = max(range(n + 1), key=f.__getitem__)
    total = f[j]
    assign: dict[int, int] = {}
    for t in range(len(scores) - 1, -1, -1):
        src, row = back[t][j]
        if row >= 0:
            assign[t] = row
        j = src
    return assign, total


def _sure_among_neighbours(entries: list[Entry], placed: list[Placed | None], todo: list[int]) -> None:
    """An entry placed by order alone is sure when it sits among sure neighbours of one table or list."""
    for idx, k in enumerate(todo):
        p = placed[k]
        if p is None or p.sure or p.subject is None:
            continue
        before = [placed[x] for x in todo[:idx]][-1:] if idx else []
        after = [placed[x] for x in todo[idx + 1:]][:1]
        near = [q for q in before + after if q is not None and q.sure]
        if near and entries[k].label.family is not None:
            p.sure, p.how = True, (p.how + "; " if p.how and p.how != "order" else "") + "order, among labelled rows"


def explained(placed: list[Placed]) -> tuple[int, int]:
    """(entries placed with evidence, entries that carry evidence)."""
    with_evidence = [p for p in placed if not evidence(p.entry).empty or p.subject in ("total", "input")]
    return sum(1 for p in with_evidence if p.sure), len(with_evidence)


# -- network choice --------------------------------------------------------------------------------


@dataclass
class Choice:
    network: str | None
    how: str
    placed: list[Placed]
    sure: bool


class Aligner:
    """Chooses each section's network and places its entries; tables are the grader's (cached)."""

    def __init__(self, grader, forced: str | None = None):
        self.grader = grader
        self.forced = forced
        self._candidates: dict[str, Candidate] = {}

    def candidate(self, name: str) -> Candidate | None:
        if name not in self._candidates:
            try:
                self._candidates[name] = prepare(name, self.grader.table(name))
            except SymcnnError:
                return None
        return self._candidates[name]

    def choose(self, section: Section, entries: list[Entry], inherited: tuple[str, ...],
               default: tuple[str, ...]) -> Choice:
        if self.forced:
            c = self.candidate(self.forced)
            placed, _ = align(entries, c) if c else ([], 0.0)
            return Choice(self.forced, "--network", placed, True)
        named = tuple(dict.fromkeys(n for group in section.named for n in group))
        if named:
            pool, prior, source = named, NAMED_PRIOR, "named in the section"
        elif inherited:
            pool, prior, source = inherited, INHERITED_PRIOR, "named earlier in the question"
        else:
            pool, prior, source = default, 0.0, "not named"
        best: tuple[float, str, list[Placed]] | None = None
        results = []
        for name in pool:
            c = self.candidate(name)
            if c is None:
                continue
            placed, total = align(entries, c)
            # a network named specifically (VGG-19, not VGG) is preferred over its family's others
            specific = sum(1 for group in section.named if group == (name,))
            total += prior * (1 + specific)
            results.append((total, name, placed))
            if best is None or total > best[0]:
                best = (total, name, placed)
        if best is None:
            return Choice(None, "no network named and none fits", [], False)
        total, name, placed = best
        good, carrying = explained(placed)
        others = sorted((r for r in results if r[1] != name), key=lambda r: -r[0])
        if source == "not named":
            if carrying == 0 or good * 10 < carrying * 6 or good < 2:
                return Choice(None, f"no network is named and none explains these figures (best: {name}, "
                                    f"{good} of {carrying} figures' layers)", placed, False)
            close = [r[1] for r in others if r[0] > total - CLEAR]
            if close:
                return Choice(None, f"no network is named, and the labels and working fit several as well: "
                                    f"{', '.join([name, *close[:4]])}", placed, False)
        how = f"{name}: {source}"
        if len(pool) > 1:
            how += f"; its layers explain {good} of {carrying} entries" + \
                (f" (next best {others[0][1]})" if others else "")
        return Choice(name, how, placed, True)


# -- quantities ---------------------------------------------------------------------------------------

#: quantities a bare figure in a list may have, tried in this order
LIST_QUANTITIES = ("params", "activations", "macs", "biases")  # weights: a reading of params (weights only)


def _fits(grader: Any, net: str, subject: str, quantity: str, number: Number | tuple[int, ...]) -> bool:
    """Does a figure fit this quantity of this layer, under the reference or any other convention?"""
    from .grader import value_of

    if not isinstance(number, Number):
        return False
    try:
        t = grader.table(net)
        true = value_of(t, subject, quantity)
    except (SymcnnError, KeyError, ValueError):
        return False
    if isinstance(true, tuple) or true is None or getattr(true, "free_symbols", None):
        return False  # (a stack's activations are (L - 4)^2: no number fits a symbol)
    if number.matches(true) or number.truncates(true):
        return True
    return grader.other_convention_fits(net, subject, quantity, number) is not None


def list_quantities(grader, net: str, items: list[tuple[str, Figure]]) -> list[tuple[str | None, str]]:
    """The quantity of each item of a list of bare figures, decided by the *other* items: the one quantity
    most of them fit (leave-one-out), or None. Each item's fits are worked out once (linear in the list)."""
    numbered = [isinstance(f.value, Number) for _, f in items]
    fits = [{q: _fits(grader, net, s, q, f.value) for q in LIST_QUANTITIES} if ok else {}
            for (s, f), ok in zip(items, numbered, strict=True)]
    totals = {q: sum(1 for d in fits if d.get(q)) for q in LIST_QUANTITIES}
    count = sum(numbered)
    out: list[tuple[str | None, str]] = []
    for d, ok in zip(fits, numbered, strict=True):
        n = count - ok
        if n < 2:
            out.append((None, ""))
            continue
        counts = {q: totals[q] - bool(d.get(q)) for q in LIST_QUANTITIES}
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        (q1, n1), (_, n2) = ranked[0], ranked[1]
        if n1 * 4 >= n * 3 and n1 > n2:
            out.append((q1, f"the other figures of its list are {q1} ({n1} of {n} fit)"))
        else:
            out.append((None, ""))
    return out


def list_quantity(grader, net: str, items: list[tuple[str, Figure]], index: int) -> tuple[str | None, str]:
    """The quantity of item ``index`` of a list of bare figures, decided by the *other* items."""
    return list_quantities(grader, net, items)[index]


# -- claims ------------------------------------------------------------------------------------------


@dataclass
class Unknown:
    """A figure whose subject or quantity cannot be told: listed for a human, never graded."""

    figure: Figure
    entry: Entry
    network: str | None
    subject: str | None
    quantity: str | None
    why: str


def _vector(c: Candidate, subject: str) -> bool:
    try:
        row = c.table.row(subject)
    except (SymcnnError, KeyError, ValueError):
        return False
    return row.output.h == 1 and row.output.w == 1


def _family(c: Candidate, subject: str) -> str | None:
    for r, f in zip(c.rows, c.family, strict=True):
        if r.name == subject:
            return f
    return None


@dataclass
class _Found:
    """What the claims stage has found so far: claims, unknowns, and how each network was chosen."""

    claims: list[Claim] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    networks: dict[str, str] = field(default_factory=dict)


def claims_of(reading: Reading, grader: Any, forced: str | None = None,
              default: tuple[str, ...] = ()) -> tuple[list[Claim], list[Unknown], dict[str, str]]:
    """Every figure of a sheet as a claim (network, subject, quantity decided, with how), or as an
    unknown; and how each section's network was chosen."""
    from .. import zoo
    from .problems import problem_network

    aligner = Aligner(grader, forced)
    if not default:
        # every zoo network but the variants (a variant's figures are credited as a convention of its original)
        variants = {v for name in zoo.names() for v, _ in zoo.load(name).variants}
        default = tuple(n for n in zoo.names() if n not in variants)
    found = _Found()
    by_section: dict[int, list[Entry]] = {}
    for e in reading.entries:
        by_section.setdefault(e.section, []).append(e)
    inherited: tuple[str, ...] = ()
    question = None
    last_choice: str | None = None
    topic_networks: dict[str, list[str]] = {}  # the networks each problem's parts were about, in order
    for section in reading.sections:
        since = (len(found.claims), len(found.unknown))  # what this section adds: its totals look at nothing older
        if section.question != question:
            question, inherited, last_choice = section.question, (), None
            # a part ('(a) 227 x 227 input') of a problem whose heading names a network ('AlexNet (P3)'), or whose
            # earlier parts were about some ('d) ratio = 2.81x cheaper' after the two modules' parts)
            inherited = tuple(dict.fromkeys([*(n for m in mentions(section.topic) if not m.weak for n in m.networks),
                                             *(topic_networks.get(section.topic, []) if section.topic else [])]))
        entries = by_section.get(section.index, [])
        named_here = tuple(dict.fromkeys(n for g in section.named for n in g))
        if not entries:
            inherited = named_here or inherited
            continue
        # a network the question describes in words (a stack; one conv layer only where no network is in play)
        problem = problem_network(section.text, grader, layer=not (inherited or last_choice), topic=section.topic) \
            if not named_here and not forced else None
        if problem is not None:
            choice = Choice(problem[0], problem[1], [], True)
            c = aligner.candidate(problem[0])
            choice.placed = [Placed(e, "input", "the label says input", True) if e.label.family == "input"
                             else Placed(e, "total", "the problem's stack as a whole", True) for e in entries]
        else:
            pool_inherit = inherited or ((last_choice,) if last_choice else ())
            choice = aligner.choose(section, [e for e in entries if not e.series_layers], pool_inherit, default)
            c = aligner.candidate(choice.network) if choice.network else None
        if choice.network:
            found.networks.setdefault(choice.network, f"line {entries[0].line}: {choice.how}")
            last_choice = choice.network
            if section.topic and choice.network not in topic_networks.setdefault(section.topic, []):
                topic_networks[section.topic].append(choice.network)
        for n in named_here:
            if section.topic and n not in topic_networks.setdefault(section.topic, []):
                topic_networks[section.topic].append(n)
        inherited = named_here or inherited
        placed = {id(p.entry): p for p in choice.placed}
        for e in entries:
            _entry_claims(e, placed.get(id(e)), section, choice, c, aligner, grader, found)
        _totals(section, entries, choice, c, grader, found.claims, found.unknown, since)
    return found.claims, found.unknown, found.networks


def _entry_claims(e: Entry, p: Placed | None, section: Section, choice: Choice, c: Candidate | None,
                  aligner: Aligner, grader: Any, found: _Found) -> None:
    """One entry's figures as claims of the layer it was placed on, or as unknowns saying why not."""
    claims, unknown = found.claims, found.unknown
    own = tuple(dict.fromkeys(n for g in e.named for n in g))
    if len(own) == 1 and own[0] != choice.network and not aligner.forced:
        # a part of a line that names its own network ("..., reduced MACs = 397,410,304")
        other = aligner.candidate(own[0])
        if other is not None:
            (p_own,), _ = align([e], other)
            sub = Choice(own[0], f"{own[0]}: named on the line", [p_own], True)
            found.networks.setdefault(own[0], f"line {e.line}: {sub.how}")
            if p_own.subject is not None and p_own.sure:
                for f in e.figures:
                    _claim(f, e, p_own.subject, p_own.how, sub, other, grader, claims, unknown, section)
                return
    if e.unknown_network:
        for f in e.figures:
            unknown.append(Unknown(f, e, None, None, f.quantity,
                                   f"it is about {e.unknown_network!r}, a network symcnn does not know"))
        return
    if e.series_layers:
        _series(e, c, choice, grader, claims, unknown)
        return
    if e.figures and all(f.kind in ("ratio", "saving") for f in e.figures):
        for f in e.figures:  # a ratio or saving compares two networks: no layer to find
            _ratio(f, e, choice, section, claims, unknown, grader)
        return
    if choice.network is None or c is None or p is None:
        for f in e.figures:
            unknown.append(Unknown(f, e, None, None, f.quantity, choice.how or "no network"))
        return
    if p.subject is None or not p.sure:
        for f in e.figures:
            unknown.append(Unknown(f, e, choice.network, p.subject, f.quantity,
                                   f"which layer of {choice.network} it is about cannot be told"
                                   + (f" ({p.how})" if p.how else "")))
        return
    rivals = sorted({n for g in (*section.named, *section.compared) for n in g} - {choice.network}) \
        if p.subject == "total" and not own else []
    answers: dict[str, list] = {}  # the different answers on the line, per quantity (one restated is one)
    for f in e.figures if rivals else ():  # (only where two networks could be meant; two answers are enough)
        if f.kind == "figure" and f.quantity is not None:
            said = answers.setdefault(f.quantity, [])
            if len(said) < 2 and not any(_same_answer(f.value, g) for g in said):
                said.append(f.value)
    for f in e.figures:
        if rivals and f.kind == "figure" and len(answers.get(f.quantity or "", ())) > 1:
            # "(a) 672x32x32 and 480x32x32" where the section speaks of two modules: two answers for one quantity,
            # and nothing on the line says which network each is about (never chosen by which one fits)
            unknown.append(Unknown(f, e, None, p.subject, f.quantity,
                                   f"two figures for the {f.quantity} on one line, and the section speaks of "
                                   f"{choice.network} and {', '.join(rivals)}: which is which, the line does not say"))
            continue
        _claim(f, e, p.subject, p.how, choice, c, grader, claims, unknown, section)


def _same_answer(a: Any, b: Any) -> bool:
    """Two figures of one line that are one answer: equal, or one the other rounded ('62,378,344 ~ 62.4M')."""
    if isinstance(a, Number) and isinstance(b, Number):
        return a.value == b.value or a.matches(b.value) or b.matches(a.value)
    return bool(a == b)


#: what makes a bare figure a sum of the lines above it: a label that says total, or a working that adds
#: ('reduced by 10 manually', '7 CNN ensemble: 18.2% -> 15.4%' are no totals)
_SUMS = re.compile(r"(?i)\b(?:total|sum|overall|altogether|in\s+all|grand)\b|\+")


def _totals(section: Section, entries: list[Entry], choice: Choice, c: Candidate | None, grader, claims: list,
            unknown: list, since: tuple[int, int] = (0, 0)) -> None:
    """A total that names no quantity ('total = 61,706' under the layers' parameters) adds up what the lines above
    it give: their one quantity, when they give only one (its own value plays no part)."""
    from .vocabulary import QUANTITY

    lines = {e.line for e in entries}
    if c is None:
        return
    layers = [cl for cl in claims[since[0]:] if cl.line in lines and cl.network == choice.network
              and cl.subject not in ("total", "input", "ratio", "saving")]
    for u in [u for u in unknown[since[1]:] if u.entry.line in lines and u.subject == "total" and u.quantity is None
              and u.network == choice.network and u.figure.kind == "figure" and not u.figure.is_shape
              and _SUMS.search(f"{u.entry.label.text} {u.figure.work or ''}")
              and not u.figure.written.rstrip(" )]").endswith("%")]:
        # the layers' figures above it: all of one quantity, or the last lines before it (a run of one quantity)
        above = [cl for cl in layers if cl.line < u.figure.line]
        said = {cl.quantity for cl in above}
        if len(said) != 1:
            run = sorted({cl.line for cl in above})[-3:]
            said = {cl.quantity for cl in above if cl.line in run and cl.quantity not in ("output", "size")}
            if len(run) < 2 or len(said) != 1:
                continue
        q = next(iter(said))
        if not QUANTITY[q].additive:
            continue
        del unknown[next(k for k in range(len(unknown) - 1, since[1] - 1, -1) if unknown[k] is u)]
        _claim(u.figure, u.entry, "total", "no layer named: the network as a whole", choice, c, grader, claims,
               unknown, section, quantity=q, q_how=f"the quantity of the layers' figures above it ({q})")


def _after(f: Figure, e: Entry) -> str:
    """The words of the line right after a figure ('% of all parameters', 'x cheaper')."""
    at = e.text.find(f.written) if f.written else -1
    return e.text[at + len(f.written):][:40] if at >= 0 else ""


def _chain_of(label: Label, subject: str, q: str, c: Candidate | None, how: str) -> tuple[str, str]:
    """A label naming a chain of layers by its last ('1x1 reduce 128 -> 3x3 conv 192'): what the chain holds or
    computes is the whole chain's, the block of exactly those layers (an Inception branch); its output the last's."""
    if label.chain < 2 or c is None or q not in _ADDITIVE or "." not in subject:
        return subject, how
    block = subject.rsplit(".", 1)[0]
    members = [r.name for r in c.rows if r.name.startswith(block + ".")]
    if len(members) != label.chain or members[-1] != subject:
        return subject, how
    return block, f"{how}; the label names the chain of {label.chain} layers that ends there: the block {block}"


def _share(f: Figure, e: Entry, subject: str | None, net: str | None, q: str | None, claims: list,
           unknown: list) -> bool:
    """A percentage of a count: the labelled part's share of the network's total ('FC layers ~ 58.6M (96%)', 'FC
    layers hold ~94% of the parameters', 'Total params: 0e3%'), or, where only the words say the part ('74.3% of
    all parameters', 'most of the parameters (about 94%) are in the FC layers'), one for a human."""
    if not e.label.text or subject is None or (subject == "total" and rx(r"(?i)\s*\)?\s*of\b").match(_after(f, e))):
        unknown.append(Unknown(f, e, net, subject, q, f"a share of the {q} (a percentage of a count, of which "
                                                      "layers the words say): for a human to grade"))
        return True
    if net is None or q is None:
        return False
    claims.append(Claim(f.line, net, "share", q, None, f.value, e.text, subject, claimed=f.written, work=f.work,
                        work_value=f.work_value, where=f.where, label=e.label.text or None,
                        how=f"a percentage of the {q} after the part's label ({subject}): its share of the "
                            "network's total"))
    return True


def _claim(f: Figure, e: Entry, subject: str, how: str, choice: Choice, c: Candidate, grader,
           claims: list, unknown: list, section: Section | None = None, quantity: str | None = None,
           q_how: str = "") -> None:
    net = choice.network
    q = quantity or f.quantity
    q_how = q_how or f.how
    if f.kind in ("ratio", "saving"):
        _ratio(f, e, choice, section, claims, unknown, grader)
        return
    if f.kind == "share" and _share(f, e, subject, net, q, claims, unknown):
        return
    if q is None and f.terms and len(f.terms) == 1 and len(f.terms[0]) == 3 and f.terms[0][0] == f.terms[0][1] and \
            c is not None and subject not in ("total", "input") and _family(c, subject) == "pool":
        # "pool5: 7x7x512 = 25,088": a pool has no weights, so its H x W x C product counts its activations
        q, q_how = "activations", "the form of the working (H x W x C of a layer with no weights)"
    if q is None:
        unknown.append(Unknown(f, e, net, subject, None, "nothing on the sheet says which quantity it is"))
        return
    subject, how = _chain_of(e.label, subject, q, c, how)
    value = f.value
    if subject == "input" and (q not in ("activations", "bytes") or f.is_shape):
        return  # the input's own size is given by the problem, not worked out
    if net is None:
        unknown.append(Unknown(f, e, None, subject, q, "no network"))
        return
    if q == "output" and isinstance(f.value, Number):
        # one number where a shape is expected: a vector's length (a fully connected layer), else the side
        fam = _family(c, subject) if subject not in ("total", "input") else None
        if subject not in ("total", "input") and (_vector(c, subject) or fam == "fc"):
            if f.value.rounded:
                unknown.append(Unknown(f, e, net, subject, q, "a rounded figure where a shape belongs"))
                return
            value, q = (int(f.value.value),), "output"
        elif fam in ("conv", "pool", "norm"):
            q = "size"
        else:
            unknown.append(Unknown(f, e, net, subject, q, "one number where a shape belongs"))
            return
    if f.is_shape and q != "output":
        q = "output"
    if q in _TOTAL_ONLY and subject != "total":
        unknown.append(Unknown(f, e, net, subject, q, "bytes are graded for the network's total only"))
        return
    if isinstance(value, Number) and q in ("output",):
        unknown.append(Unknown(f, e, net, subject, q, "a number where a shape belongs"))
        return
    label = e.label.text or None
    claim = Claim(f.line, net, subject, q, None, value, e.text, claimed=f.written, work=f.size_work or f.work,
                  work_value=f.work_value if not f.size_work else None,
                  factors=f.factors, label=label, where=f.where,
                  how=f"network {choice.how}; layer: {how}; quantity: {q_how or 'stated'}")
    claims.append(claim)


def _series(e: Entry, c: Candidate | None, choice: Choice, grader, claims: list, unknown: list) -> None:
    """A list of figures for a network's layers: by a row of labels above it, or one per weighted layer."""
    figs = [f for f in e.figures if f.kind != "total"]
    totals = [f for f in e.figures if f.kind == "total"]
    if choice.network is None or c is None:
        for f in e.figures:
            unknown.append(Unknown(f, e, None, None, f.quantity, choice.how or "no network"))
        return
    subjects: list[str | None] = []
    how = ""
    if e.series_layers and e.series_layers.startswith("labels:"):
        labels = e.series_layers.split(":", 1)[1].split(",")
        fake = [Entry(e.line, e.where, lab, read_label(lab), "column") for lab in labels[:len(figs)]]
        placed, _ = align(fake, c)
        subjects = [p.subject if p.sure else None for p in placed]
        how = "the label above it"
    elif e.series_layers and e.series_layers.startswith("family:"):
        _, fam, count = e.series_layers.split(":")
        rows = [r.name for r, f in zip(c.rows, c.family, strict=True) if f == fam]
        if len(rows) == int(count) == len(figs):  # 'the three FC layers': the network has exactly three
            subjects = rows
        how = f"its place in a list of the network's {count} {fam} layers"
    else:
        weighted = [r.name for r, fam in zip(c.rows, c.family, strict=True) if fam in WEIGHTED]
        first = figs[0] if figs else None
        if first is not None and rx(r"\binput\b", re.I).search(first.context) and len(figs) == len(weighted) + 1:
            subjects = ["input", *weighted]
        elif len(figs) == len(weighted):
            subjects = list(weighted)
        elif len(figs) == len(weighted) + 1:
            subjects = ["input", *weighted]
        how = "its place in a list of the network's layers"
    if len(subjects) != len(figs):
        for f in e.figures:
            unknown.append(Unknown(f, e, choice.network, None, f.quantity,
                                   "a list whose figures cannot be matched one to one with the network's layers"))
        return
    items = [(s, f) for s, f in zip(subjects, figs, strict=True) if s is not None]
    decided = None
    by_list = list_quantities(grader, choice.network, items) if any(f.quantity is None for _, f in items) else []
    for k, (s, f) in enumerate(items):
        q, q_how = f.quantity, f.how
        if q is None:
            q, q_how = by_list[k]
        decided = decided or q
        if s is None or q is None:
            unknown.append(Unknown(f, e, choice.network, s, q, "nothing on the sheet says which quantity it is"))
            continue
        _claim(f, e, s, how, choice, c, grader, claims, unknown, quantity=q, q_how=q_how)
    for f in totals:
        total_q = f.quantity or decided
        if total_q is None or not items:
            unknown.append(Unknown(f, e, choice.network, "total", total_q, "nothing says which quantity the sum is"))
            continue
        _claim(f, e, "total", "it sums the list before it", choice, c, grader, claims, unknown, quantity=total_q,
               q_how=f.how or "the quantity of the list it sums")
    for subj, f in zip(subjects, figs, strict=True):
        if subj is None:
            unknown.append(Unknown(f, e, choice.network, None, f.quantity, "its label names no layer"))


def _quotient(text: str, a: str, b: str) -> list:
    """'Reduced/naive', 'naive over reduced': the two networks written as a quotient, numerator first."""
    spans = [(m, n) for m in mentions(text) for n in m.networks if n in (a, b)]
    return [(m1, n1) for (m1, n1), (m2, n2) in pairwise(spans)
            if n1 != n2 and rx(r"(?i)\s*(?:/|over|divided\s+by)\s*").fullmatch(text[m1.end:m2.start])]


def _ratio(f: Figure, e: Entry, choice: Choice, section: Section | None, claims: list, unknown: list,
           grader) -> None:
    """A ratio or saving compares two networks: the two the section (or its line) names."""
    named = [g for g in (section.named if section else ()) if len(g) == 1]
    pair = [g[0] for g in named]
    if len(set(pair)) < 2 and section is not None:
        # "12x less than AlexNet": the network the section's is compared with
        pair += [g[0] for g in section.compared if len(g) == 1]
    if len(set(pair)) < 2 and choice.network:
        # the one other network that shares a name with the section's (P7's two modules are both "Inception
        # module"): the pair a question about one of them compares
        from .vocabulary import family

        others = sorted(family(choice.network) - {choice.network})
        if len(others) == 1:
            pair = [choice.network, others[0]]
    if len(set(pair)) < 2:
        unknown.append(Unknown(f, e, choice.network, f.kind, f.quantity,
                               "which two networks it compares cannot be told"))
        return
    a, b = pair[0], pair[1]

    text = f.context or e.text
    spans = [(m, n) for m in mentions(text) for n in m.networks if n in (a, b)]
    said = [n for _, n in spans]
    words = f.context
    q = "params" if quantity_named(words) in ("params", "weights") else "macs"
    quotient = _quotient(e.text, a, b) or _quotient(text, a, b)  # the line as written first: a sentence's names
    # are blanked in its figures' context
    if quotient:
        if quotient[0][1] == b:
            a, b = b, a  # "ratio reduced/naive": the network written over the other is the numerator
    elif said:
        if said[-1] == b:
            a, b = b, a  # "the reduced module saves ...": a saving of the network the sentence speaks of
    else:
        # a cost ratio that names neither side: the cheaper over the dearer (P7(d)), whichever section it is in
        try:
            key = QUANTITY[q].total
            if grader.table(a).totals[key] > grader.table(b).totals[key]:
                a, b = b, a
        except (SymcnnError, KeyError, TypeError):
            pass
    # "by a factor of 2.8", "2.81x cheaper", "2.8 times fewer": the larger over the smaller, whichever is named
    factor = bool(rx(r"factor|times", re.I).search(words)) or bool(
        rx(r"(?i)\s*(?:x|×|times)\s+(?:cheaper|fewer|less|faster|smaller|more|larger|bigger|as)\b").match(_after(f, e)))
    claims.append(Claim(f.line, a, f.kind, q, "factor" if factor else None, f.value, e.text, b, claimed=f.written,
                        work=f.work, work_value=f.work_value, where=f.where,
                        how=f"a {f.kind} of the two networks named ({a}, {b}); quantity: "
                            f"{'the words' if quantity_named(words) else 'multiply-adds (the default cost)'}"))


__all__ = ["Aligner", "Candidate", "Placed", "Unknown", "align", "claims_of", "list_quantity", "prepare", "score"]

