"""The one vocabulary of grading: the quantities a sheet can claim, the words that name them,
how each is read off a derived table's row or totals, and whether it adds up over layers;
the words that name a layer's family (taken from the layer kinds themselves) and the names
people give the zoo's networks (taken from the zoo's own ``aka`` headers).

Adding a quantity word is one line of :data:`QUANTITIES`; a layer kind declares its own
family and label words (``LayerKind.family``, ``LayerKind.label_words``); a network its own
names (``aka`` in its spec).

>>> quantity_named("Number of biases"), quantity_named("Memory (MB)"), quantity_named("Parameters (Compute)")
('biases', 'bytes', 'params')
>>> quantity_named("Size of Tensor"), quantity_named("the receptive field")
('output', 'rf')
>>> QUANTITY["macs"].additive, QUANTITY["output"].additive
(True, False)
>>> family_of_label("MaxPool1"), family_of_label("FC-4096"), family_of_label("CONV3-64")
('pool', 'fc', 'conv')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import sympy as sp

from .patterns import rx


@dataclass(frozen=True)
class Quantity:
    """One quantity a sheet can claim.

    name        the claim's quantity (claims files use the same names)
    words       a regular expression of the words that name it, tried in the order of QUANTITIES
    total       the key of the network's totals (None: the network's own value is its last layer's)
    additive    a group's or the network's value is the sum over its layers
    doc         what it is, for help and feedback
    """

    name: str
    words: str
    total: str | None
    additive: bool
    doc: str

    def row_value(self, row):
        """The quantity read off one row of a derived table."""
        if self.name == "output":
            return tuple(int(v) if v.is_Integer else v for v in row.output.as_tuple())
        if self.name == "size":
            return row.output.h
        if self.name == "depth":
            return row.output.c
        if self.name == "rf":
            return None if row.rf is None else row.rf[0]
        if self.name == "jump":
            return None if row.jump is None else row.jump[0]
        if self.name.endswith("-per-filter"):  # P1's weights of one filter: K x K x C_in (a neuron's: its inputs)
            whole = getattr(row, self.name.split("-")[0])
            return None if whole == 0 else sp.simplify(whole / row.output.c)
        if self.name in ("bytes", "bytes-fb", "params-bytes"):
            from ..errors import SymcnnError

            raise SymcnnError("bytes are given for the total only")
        return getattr(row, self.name)


#: every quantity, the most specific words first (a header "Parameters (Compute)" is parameters;
#: "Memory (MB)" is bytes, "Memory" alone activations)
_PER_FILTER = r"\s*(?:per|for\s+(?:each|one|a|every))\s+(?:filter|kernel|neuron|unit)"
QUANTITIES: tuple[Quantity, ...] = (
    Quantity("weights-per-filter", r"\bweights?" + _PER_FILTER, None, False,
             "the weights of one filter (K x K x C_in; a neuron's: its inputs)"),
    Quantity("params-per-filter", r"\b(?:params?|parameters)" + _PER_FILTER, None, False,
             "the parameters of one filter: its weights and its bias"),
    Quantity("biases", r"(?<!without )(?<!excluding )(?<!counting )(?<!no )(?<!w/o )(?<!with )(?<!including )"
                       r"(?<!plus )(?<!and )(?<!\+ )(?<!\+)(?<!& )\bbias|(?<![\w.])b\s*=(?!\s*[a-z])", "biases", True,
             "biases (one per output channel or unit)"),
    Quantity("weights", r"\bweight(?!s?\s*(?:and|\+|&)\s*bias)(?!\s*(?:decay|init))|"
                        r"(?:without|excluding|counting|\bno|w/o)\s+bias",
             "weights", True,
             "weights (parameters without biases)"),
    Quantity("params", r"\bparam|#\s*p\b|learnable|trainable|(?:with|including|plus|weights?\s*(?:and|\+|&))\s*bias",
             "params", True, "parameters: weights + biases"),
    Quantity("params-bytes", r"(?:param\w*|weights?|model)\s+(?:size|memory|storage|footprint)|"
                             r"(?:size|memory|storage)\s+of\s+(?:the\s+)?(?:param|weights|model)", None, False,
             "bytes of the parameters (the model's size at the element size of the convention)"),
    Quantity("bytes-fb", r"(?:forward\s*(?:\+|and)\s*backward|fwd\s*\+\s*bwd|backward).{0,20}"
                         r"(?:bytes|mb|memory)", "bytes_forward_backward", True,
             "bytes of activations, forward and backward"),
    Quantity("bytes", r"\bbytes?\b|\bmb\b|\bkb\b|\bgb\b|mib|megabyte", "bytes_forward", True,
             "bytes of activations, forward"),
    Quantity("macs", r"\bmacs?\b|multipl|mult-?adds?|madds?|\bcosts?\b", "macs", True, "multiply-adds"),
    Quantity("flops", r"flop|operations|\bops\b|comput", "flops", True, "floating-point operations"),
    Quantity("rf", r"receptive|\brf(?![a-z0-9])|\bregion\b", None, False,
             "receptive field (pixels of the input one output sees)"),
    Quantity("jump", r"\bjump|effective\s+stride", None, False, "jump: the stride in input pixels"),
    Quantity("activations", r"activation|\bacts?\b|memory|neurons|elements|\bvalues\b|\boutputs\b|dimensional\b",
             "activations", True, "activations: the values a layer puts out"),
    Quantity("size", r"(?<![A-Za-z0-9_])[wh]_?\{?(?:2|out)\}?(?![A-Za-z0-9_])", None, False,
             "output height (= width for a square map); W2 and H2 in the problem's notation"),
    Quantity("depth", r"(?<![A-Za-z0-9_])d_?\{?2\}?(?![A-Za-z0-9_])|\b(?:output\s+)?depth\b", None, False,
             "output depth: the channels of the output (D2 in the problem's notation)"),
    Quantity("output", r"output|size|shape|dimension|volume|tensor|feature\s*map|\bmaps?\b|\bdims?\b|length",
             None, False, "output shape (C x H x W, or H x W x C as written)"),
)
QUANTITY = {q.name: q for q in QUANTITIES}


@lru_cache(maxsize=16384)
def quantity_named(text: str) -> str | None:
    """The quantity a header or a phrase names, or None."""
    s = text.lower()
    for q in QUANTITIES:
        if re.search(q.words, s):
            return q.name
    return None


_ANY_QUANTITY = re.compile(r"(?:" + "|".join(f"(?:{q.words})" for q in QUANTITIES) + r")[\w-]*",
                           re.I)
_FILLER = re.compile(r"\b(?:number\s+of|the|of|count|in|per|a|an|field)\b", re.I)


@lru_cache(maxsize=1024)
def the_one_quantity_named(text: str) -> str | None:
    """The quantity a text (a problem's heading) names, when it names exactly one.

    >>> the_one_quantity_named("P6 Receptive field"), the_one_quantity_named("P5 memory and parameters")
    ('rf', None)
    """
    named = {q.name for q in QUANTITIES if re.search(q.words, text.lower())} if text else set()
    return named.pop() if len(named) == 1 else None


def quantity_words(text: str) -> str | None:
    """The first words in the text that name a quantity, as written ('2.5M params, ...' -> 'params')."""
    m = _ANY_QUANTITY.search(text)
    return m.group(0) if m else None


@lru_cache(maxsize=16384)
def strip_quantity_words(text: str) -> str:
    """A label without the words that name quantities ('conv1 params' is 'conv1', 'Reduced MACs total' is
    'Reduced total').

    >>> strip_quantity_words("conv1 params"), strip_quantity_words("Number of parameters")
    ('conv1', '')
    """
    out = _FILLER.sub(" ", _ANY_QUANTITY.sub(" ", text))
    return rx(r"\s+").sub(" ", out).strip(" :-()")


@lru_cache(maxsize=16384)
def only_quantity_words(text: str) -> bool:
    """Does a label only name a quantity ('Memory', 'the output size', 'Number of parameters')?"""
    return bool(text.strip()) and bool(_ANY_QUANTITY.search(text)) and not strip_quantity_words(text)


def row_value(row, quantity: str):
    return QUANTITY[quantity].row_value(row)


def total_value(table, quantity: str):
    """The network's value of a quantity: its total (additive quantities), else its last row's."""
    q = QUANTITY[quantity]
    if q.total is not None:
        return table.totals[q.total]
    if quantity == "params-bytes":
        return table.totals["params"] * table.convention.bytes_per_element
    if quantity.endswith("-per-filter"):  # the network's last layer with weights
        rows = [r for r in table.rows if r.weights != 0]
        return q.row_value(rows[-1]) if rows else None
    rows = [r for r in table.rows if r.field is not None or quantity in ("output", "size")]
    return q.row_value(rows[-1]) if rows else None


def group_sum(rows, quantity: str):
    """An additive quantity over several rows (a stage, a module)."""
    return sum((getattr(r, quantity) for r in rows), sp.Integer(0))


# -- layer labels -------------------------------------------------------------------------------

#: labels that are not a layer of the network: its input, or a total
SPECIAL_LABELS = (
    ("total", r"^(?:grand\s+)?(?:total|sum|overall|all\s+layers|whole\s+network|network\s+total|in\s+total)\b"),
    ("input", r"^(?:input|data|image|img|in)\b(?!\w*\s*(?:conv|pool))"),
)


@cache
def _families() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(family, label pattern, kind names) from the layer kinds, most specific first."""
    from ..layers import KINDS

    seen: dict[str, tuple[list[str], list[str], float]] = {}
    for k in KINDS.values():
        words, kinds, _order = seen.setdefault(k.family, ([], [], k.label_order))
        words.extend(w for w in k.label_words if w not in words)
        kinds.append(k.name)
    # merges of branches (no layer kind of their own): an Inception module's concatenation, a residual add
    seen.setdefault("concat", ([r"concat|depth\s*concat|filter\s*concat|output of the module|module output|"
                                r"^inception\b|^module\b"], ["concat", "add"], 45))
    out = sorted(seen.items(), key=lambda kv: kv[1][2])
    return tuple((fam, "|".join(f"(?:{w})" for w in words), tuple(kinds)) for fam, (words, kinds, _) in out
                 if words)


@lru_cache(maxsize=16384)
def squeezed(label: str) -> str:
    """A label lower-cased with its spaces collapsed, and what was typeset or read off a page letter by letter
    joined again ('$C 1$' is LeNet's C1, '$F C$' an FC layer).

    >>> squeezed(" C 1 "), squeezed("F C 6"), squeezed("3 x 3 conv")
    ('c1', 'fc 6', '3 x 3 conv')
    """
    s = rx(r"\s+").sub(" ", label.strip().lower()).strip(":.-)( ")
    return rx(r"(?<![\w.])([a-wyz])\s(\d{1,2})\b").sub(r"\1\2", rx(r"\bf\s+c\b").sub("fc", s))


@lru_cache(maxsize=16384)
def family_of_label(label: str) -> str | None:
    """The family a layer label names (conv, pool, fc, norm, ...), 'total', 'input', or None."""
    s = squeezed(label)
    for name, pattern in SPECIAL_LABELS:
        if re.search(pattern, s):
            return name
    if rx(r"proj|\breduce\b").search(s):
        return "conv"
    for fam, pattern, _ in _families():
        if re.search(pattern, s):
            return fam
    return None


@cache
def family_of_kind(kind: str) -> str:
    """The family of a derived row's kind (a merge row's kind is its own family)."""
    for fam, _, kinds in _families():
        if kind in kinds:
            return fam
    return kind


#: families whose layers hold weights or compute multiply-adds: a table that skips one of them skips a layer
WEIGHTED = ("conv", "fc")


__all__ = ["QUANTITIES", "QUANTITY", "SPECIAL_LABELS", "WEIGHTED", "Quantity", "family_of_kind",
           "family_of_label", "group_sum", "only_quantity_words", "quantity_named", "quantity_words",
           "row_value", "squeezed", "strip_quantity_words", "the_one_quantity_named", "total_value"]


# -- networks -----------------------------------------------------------------------------------


def _name_pattern(name: str) -> str:
    """A name as people write it: case, spaces, hyphens and underscores between its parts free
    ('VGG-19' also reads vgg19, VGG 19, vgg_19)."""
    parts = [p for p in rx(r"[\s_\-]+").split(name.lower()) if p]
    pieces = []
    for p in parts:
        # a letter-digit boundary may be written with a space or hyphen too (ResNet50, ResNet-50)
        pieces.append(r"[\s_\-]?".join(re.escape(x) for x in rx(r"[a-z]+|\d+|[^a-z\d]+").findall(p)))
    return r"[\s_\-\"'“”‘’]*".join(pieces)  # quotes between words too: 1x1 "bottleneck" layers


def _first_piece(name: str) -> str:
    """The letters (or digits) a name begins with, as every way of writing it begins: 'alexnet' of 'AlexNet',
    'vgg' of 'VGG-19', 'inceptionv' of 'Inception-v3'."""
    first = next(p for p in rx(r"[\s_\-]+").split(name.lower()) if p)
    return rx(r"[a-z]+|\d+|[^a-z\d]+").findall(first)[0]


@cache
def _network_pattern() -> tuple[re.Pattern[str], tuple[tuple[tuple[str, ...], bool], ...], re.Pattern[str]]:
    """One pattern for every name of every zoo network (its zoo name and its ``aka`` names), the longest names
    first, and the networks each alternative names (several for a family name such as 'VGG'); and a pattern for
    the places a name can begin (the letters every name starts with), so that the long one is tried only there."""
    from .. import zoo

    by_name: dict[str, set[str]] = {}
    weak: set[str] = set()
    firsts: set[str] = set()
    for name in zoo.names():
        for written in (name, *zoo.load(name).aka):
            pat = _name_pattern(written.lstrip("~"))
            by_name.setdefault(pat, set()).add(name)
            firsts.add(_first_piece(written.lstrip("~")))
            if written.startswith("~"):
                weak.add(pat)
    ordered = sorted(by_name, key=lambda p: (-len(p), p))
    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(f"({p})" for p in ordered) + r")(?![a-z0-9])")
    starts = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(f) for f in sorted(firsts, key=lambda f: (-len(f), f)))
                        + ")")
    return pattern, tuple((tuple(sorted(by_name[p])), p in weak) for p in ordered), starts


@cache
def family(network: str) -> frozenset[str]:
    """The networks that share a (strong) name with this one: 'Inception module' names both of P7's modules."""
    from .. import zoo

    def names(n: str) -> set[str]:
        return {_name_pattern(a) for a in zoo.load(n).aka if not a.startswith("~")}

    if network not in zoo.names():
        return frozenset({network})  # a network the sheet's words describe (a stack, one layer): no zoo names
    mine = names(network)
    return frozenset(n for n in zoo.names() if n == network or names(n) & mine)


@dataclass(frozen=True)
class Mention:
    """A place where a text names networks: the networks the words can mean (several for a family
    name such as 'VGG'), the words, and where."""

    start: int
    end: int
    networks: tuple[str, ...]
    text: str
    weak: bool = False  # a word that names the network only where its family is already the subject ("reduced")


def mentions(text: str) -> list[Mention]:
    """The networks a text names, in order; where names overlap the longest (most specific) wins.

    >>> [m.networks for m in mentions("Q2: VGG-19 and AlexNet")]
    [('vgg19',), ('alexnet',)]
    >>> sorted(mentions("VGG Net")[0].networks)
    ['vgg11', 'vgg13', 'vgg16', 'vgg19']
    """
    if not text or not rx(r"[a-z]", re.I).search(text):
        return []
    return list(_mentions(text.lower(), text))


@lru_cache(maxsize=8192)
def _mentions(s: str, text: str) -> tuple[Mention, ...]:
    pattern, networks, starts = _network_pattern()
    out = []
    end = 0
    for start in starts.finditer(s):
        # where a name can begin, the long pattern tried there only (what finditer would find, without trying
        # every name at every character of the text)
        if start.start() < end:
            continue
        m = pattern.match(s, start.start())
        if m is None:
            continue
        end = m.end()
        k = m.lastindex - 1 if m.lastindex else next(i for i, g in enumerate(m.groups()) if g is not None)
        nets, weak = networks[k]
        out.append(Mention(m.start(), m.end(), nets, text[m.start():m.end()], weak))
    return tuple(out)


#: words that look like a network's name but are none symcnn knows ("2f Net", "XYZNet"): a section they
#: head is about an unknown network
UNKNOWN_NETWORK = re.compile(r"(?<![a-z0-9])([a-z0-9]{1,8})\s*-?\s*net(?:work)?\b(?!\s*(?:work|s\b))", re.I)


@lru_cache(maxsize=16384)
def unknown_network(text: str) -> str | None:
    """A name of the form 'XNet' that names no zoo network (OCR'd or unknown), or None."""
    known = mentions(text)
    for m in UNKNOWN_NETWORK.finditer(text):
        if any(k.start <= m.start() < k.end or m.start() <= k.start < m.end() for k in known):
            continue
        word = m.group(1).lower()
        if word in ("image", "the", "a", "this", "that", "our", "neural", "deep", "conv", "whole", "each", "full",
                    "per", "of", "in", "to", "sub", "main", "one", "two", "net", "same", "entire", "residual", "small"):
            continue
        return m.group(0)
    return None


__all__ += ["Mention", "family", "mentions", "unknown_network"]
