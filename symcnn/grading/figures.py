"""Stage one of reading a sheet: every figure with its evidence, knowing no network.

A sheet's lines (:mod:`symcnn.grading.sheets`) become *entries*: one per table row or
prose line that holds figures, each with the layer label as written (read into a
:class:`Label`: family, ordinal, kernel, channels, the names it may be), the layer's
configuration where the line states it (``96 kernels of size 11*11, stride 4``), and
its *figures*: each figure as written, its value (a number with the precision its digits
imply, or a shape), the student's working (its value and the factors of each product),
and what says which quantity it is (a column header, the words before or after it, a
unit, the form of the working).  Entries are grouped into *sections* (questions,
headings, tables, paragraphs that name a network), each with the networks it names.

Nothing here knows a network, a layer or a true value: deciding what a figure is about
is :mod:`symcnn.grading.align`'s job, from this evidence.

>>> r = read_figures(read_sheet("VGG16\\nCONV3-64: [224x224x64] memory: 224*224*64=3.2M", "s.txt"))
>>> e = r.entries[0]
>>> e.label.family, e.label.kernel, e.label.channels
('conv', 3, 64)
>>> [(f.quantity, f.written) for f in e.figures]
[('output', '[224x224x64]'), ('activations', '3.2M')]
>>> r.sections[0].named
(('vgg16',),)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import Any

from .clauses import COUNT_WORDS, FAMILY_LIST, GROWING, PROGRESSION, parts, sentences
from .numbers import ClaimsError, Number, parse_number, parse_shape
from .patterns import rx
from .sheets import SheetLine, read_sheet
from .vocabulary import (
    QUANTITY,
    family_of_label,
    mentions,
    only_quantity_words,
    quantity_named,
    quantity_words,
    squeezed,
    strip_quantity_words,
    the_one_quantity_named,
    unknown_network,
)
from .work import Run, plain, runs, value_or_none

# -- labels ---------------------------------------------------------------------------------------

DITTO = ('"', "''", "〃", "ditto", "do.", '-"-', "”", "“", "same", "same as above", "〃〃")


@dataclass(frozen=True)
class Label:
    """A layer label as written, read: its family (conv, pool, fc, ... or total, input, 'any' for
    L3-style labels), the ordinal it gives among its family, kernel and channel counts, the names
    it may stand for (conv5_1 may be block5.conv1), and whether it is a ditto mark."""

    text: str
    family: str | None
    ordinal: int | None = None
    kernel: int | None = None
    channels: int | None = None
    names: tuple[str, ...] = ()
    ditto: bool = False
    words: tuple[str, ...] = ()
    position: int | None = None  # LeNet's C1, S2, C3, ... F6: the layer's place among all layers
    chain: int = 1  # "1x1 reduce 128 -> 3x3 conv 192": the label names a chain of this many layers, by its last

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def _norm(text: str) -> str:
    return rx(r"\s+").sub(" ", text.strip().lower())


@lru_cache(maxsize=8192)
def read_label(text: str) -> Label:
    """A label's features.

    >>> read_label("CONV3-64").kernel, read_label("conv5_1").names, read_label("MaxPool 3").ordinal
    (3, ('conv5_1', 'block5.conv1'), 3)
    >>> read_label("FC^6").names, read_label("L4").family, read_label('"').ditto
    (('fc6',), 'any', True)
    """
    s = _norm(text).strip(":.-)( ")
    if s in DITTO or rx(r"[\"'”“〃]+").fullmatch(s):
        return Label(text, None, ditto=True)
    named = rx(r"(?i)[a-z ]*\blayer\s*\(\s*([a-z][\w-]*?\s*\d+[a-z]?)\s*\)\s*:?").fullmatch(text.strip())
    inner = read_label(named.group(1)) if named else None
    if inner is not None and inner.ordinal is not None:
        # "First layer (CONV1)", "Second layer (POOL1)": the name in brackets says which layer
        return replace(inner, text=text)
    s = rx(r"\^\s*\{?(\d+)\}?").sub(r"\1", s).replace("**", "")
    s = squeezed(s)  # '$C 1$', '$F C$': LeNet's C1, an FC layer
    links = [p.strip() for p in rx(r"\bthen\b\s*(?:an?\s+)?|->|→").split(s)]
    chain = len(links) if len(links) > 1 and all(family_of_label(p) is not None for p in links) else 1
    if chain > 1:
        # "1x1 conv 128 then 3x3 conv 192", "1x1 reduce 32 -> 5x5 conv 96": a chain of layers, named by its last
        # (what the chain puts out); what it holds and computes is the whole chain's (``chain``: how many layers)
        s = links[-1]
    slash = rx(r"([csf]\d{1,2})\s*/\s*[a-z]+").fullmatch(s)
    if slash:
        s = slash.group(1)  # "C5 / FC": LeNet's C5, which the problem calls its first FC layer
    # "conv1 params", "fc6 output size": the layer's name without the quantity named after it
    bare = strip_quantity_words(s).lower()
    if rx(r"\btotal\b").search(s) and family_of_label(strip_quantity_words(s)) in (None, "total", "conv"):
        return Label(text, "total")  # "Reduced MACs total", "params total"
    if bare and bare != s and family_of_label(bare) not in (None, "total"):
        s = bare
    family = family_of_label(s)
    ordinal = None
    kernel, channels, vgg_table = _label_sizes(s, family)
    compact = rx(r"[\s()\[\]]+").sub("", s)
    names = _label_names(compact, family, vgg_table)
    if family in ("conv", "pool", "fc", "norm", "activation") and not vgg_table:
        m = rx(r"[a-z][a-z ]*?\s*(\d+)").fullmatch(s)
        if m and not rx(r"[csf]\d").fullmatch(compact):  # LeNet's C1, S2, F6 count all layers, not a family
            ordinal = int(m.group(1))
    if rx(r"(?:Conv[123]d|ConvTranspose[123]d|MaxPool[123]d|AvgPool[123]d|Adaptive(?:Avg|Max)Pool[123]d|"
                    r"Linear|ReLU6?|BatchNorm[123]d|Dropout[123]?d?|LocalResponseNorm|Flatten|Sigmoid|Tanh|Softmax|"
                    r"GELU|SiLU|Hardswish|LayerNorm|GroupNorm|Identity)-\d+").fullmatch(text.strip()):
        # torchsummary's "Conv2d-1", "Linear-16": a class name and a position among all modules, not an ordinal
        # or a width (FC-4096 is written in capitals by people, Linear-16 by the tool)
        ordinal, channels = None, None
        names = []
    numbered = rx(r"(?:layer|l)\s*(\d+)").fullmatch(s)
    if family is None and numbered:
        family, ordinal = "any", int(numbered.group(1))
        names = [compact] if compact.startswith("layer") else []
    words = tuple(w for w in rx(r"[^a-z0-9]+").split(s) if w)
    for size, word in rx(r"(\d+\s*x\s*\d+)\s*(reduce|conv\w*|pool\w*)").findall(s):
        names.append(rx(r"\s").sub("", word + size).replace("convolution", "conv"))
    position = int(compact[1:]) if rx(r"[csf]\d{1,2}").fullmatch(compact) else None
    return Label(text, family, ordinal, kernel, channels, tuple(dict.fromkeys(names)), False, words, position,
                 chain)


def _label_sizes(s: str, family: str | None) -> tuple[int | None, int | None, bool]:
    """The kernel and channel count a label states, and whether it is the VGG paper's CONVk-C notation."""
    kernel = channels = None
    m = rx(r"(\d+)\s*[x×*]\s*\1\b").search(s)
    if m:
        kernel = int(m.group(1))
    m = rx(r"conv\s*(\d+)\s*-\s*(\d+)").match(s)  # CONV3-64 (the VGG paper's table)
    vgg_table = bool(m and int(m.group(2)) >= 16)
    if m and vgg_table:
        kernel, channels = int(m.group(1)), int(m.group(2))
    if rx(r"\breduce\b").search(s):  # GoogLeNet's "#3x3 reduce" is the 1x1 convolution before the 3x3
        kernel = 1
    m = rx(r"(?:fc|dense|linear)\s*-\s*(\d{2,})").match(s)  # FC-4096
    if m and family == "fc":
        channels = int(m.group(1))
    m = rx(r"(\d+)\s*(?:filters|channels|maps|units|neurons|kernels)").search(s)
    if m:
        channels = int(m.group(1))
    return kernel, channels, vgg_table


def _label_names(compact: str, family: str | None, vgg_table: bool) -> list[str]:
    """The layer names a label may be (conv5_1 is VGG's block5.conv1; maxpool2 is pool2)."""
    names: list[str] = []
    m = rx(r"conv(\d+)[_.-](\d+)").fullmatch(compact)  # conv5_1 (VGG's own naming)
    if m and not vgg_table:
        names += [compact, f"block{m.group(1)}.conv{m.group(2)}"]
    elif rx(r"[a-z][a-z0-9_.]*\d[a-z0-9_.]*").fullmatch(compact) and not vgg_table:
        names.append(compact)
        m = rx(r"(?:max|avg|average)pool(\d+)").fullmatch(compact)
        if m:
            names.append(f"pool{m.group(1)}")
        m = rx(r"(?:fc|dense|linear)(\d+)").fullmatch(compact)
        if m:
            names.append(f"fc{m.group(1)}")
    elif rx(r"[a-z][a-z0-9_.]+").fullmatch(compact) and family not in ("total", "input"):
        names.append(compact)  # layer3, block2, fc, classifier
    return names


NO_LABEL = Label("", None)


# -- figures ----------------------------------------------------------------------------------------


@dataclass
class Figure:
    """A figure as written, with the evidence of what it is.

    ``value`` is a :class:`Number`, or a tuple of ints for a shape; ``work`` the student's
    expression before the '=' (with ``work_value`` its exact value), ``terms`` the factors
    of each product in it; ``quantity`` what the words, header, unit or form of the
    working say it is (None: nothing says), ``how`` which of them said it.  ``series``
    groups bare figures written as one list; ``index`` is the figure's place in it."""

    line: int
    where: str
    written: str
    value: Number | tuple[int, ...]
    work: str | None = None
    work_value: Fraction | None = None
    terms: tuple[tuple[int, ...], ...] = ()
    quantity: str | None = None
    how: str = ""
    column: int | None = None
    series: int | None = None
    index: int = 0
    kind: str = "figure"  # "figure", "total" (the sum a list ends with), "ratio", "saving"
    from_working: bool = False  # a shape read from the working of another figure (224*224*64=3.2M)
    context: str = ""  # the words of the clause it is in (for ratios, subjects in sentences)
    size_work: str | None = None  # an output-size formula written before a shape

    @property
    def factors(self) -> tuple[int, ...] | None:
        return self.terms[0] if len(self.terms) == 1 else None

    @property
    def is_shape(self) -> bool:
        return isinstance(self.value, tuple)


@dataclass
class Entry:
    """A row or a line of a sheet with figures, and what it says of its layer."""

    line: int
    where: str
    text: str
    label: Label
    label_how: str  # "row", "prose", "block", "sentence", "column", "ditto", ""
    figures: list[Figure] = field(default_factory=list)
    section: int = 0
    kernel: int | None = None  # from the configuration written on the line
    stride: int | None = None
    padding: int | None = None
    channels: int | None = None
    input_size: int | None = None  # from an output-size formula (227 - 11 + 2*0)/4 + 1
    series_layers: str | None = None  # "weighted": a list of figures for the network's weighted layers
    unknown_network: str | None = None  # a network named next to it that symcnn does not know ("2f Net")
    named: tuple[tuple[str, ...], ...] = ()  # the networks its own words name (one of two on a line)


@dataclass
class Section:
    """A question, heading, table or paragraph: the networks it names (each mention a tuple of the
    networks its words can mean), a network name it uses that symcnn does not know, its words."""

    index: int
    line: int
    question: int  # sections of one question share it
    named: tuple[tuple[str, ...], ...] = ()
    words: list[str] = field(default_factory=list)  # its lines as read, in order
    topic: str = ""  # the heading of the problem a part ('(c) ...') belongs to ('P6 Receptive field')
    compared: tuple[tuple[str, ...], ...] = ()  # networks named only as what another is compared with ('than AlexNet')

    @property
    def text(self) -> str:
        return " " + " ".join(self.words) if self.words else ""


@dataclass
class Reading:
    entries: list[Entry]
    sections: list[Section]
    unread: list[tuple[int, str, str]] = field(default_factory=list)  # (line, where, why)
    meta: dict = field(default_factory=dict)


# -- words ------------------------------------------------------------------------------------------

_OPEN_END = re.compile(r"(?:\bis|\bare|:|=|given by)\s*\.?\s*$")  # a sentence the next line finishes
_SAVING = re.compile(r"\bsav(?:e|es|ed|ing)\b|\breduc(?:tion|es|ing)\b|\breduced\s+(?:by|to)\b|\bcuts?\b|\bfewer\b|"
                     r"\bless\b|\bcheaper\b|\bsmaller\b", re.I)  # not 'reduced' alone: P7's module is called that
#: a quotient of two names written just before a figure ('Reduced/naive = 0.356')
_QUOTIENT_BEFORE = re.compile(r"(?i)\b[a-z][\w-]*\s*/\s*[a-z][\w-]*\s*(?:ratio)?\s*[=:]\s*~?\s*$")
#: ... as a sentence reads after the networks' names are blanked (two names, spaces now, either side of the '/')
_BLANKED_QUOTIENT = re.compile(r"\s{4,}/\s{4,}(?:ratio)?\s*[=:]\s*~?\s*$", re.I)
_RATIO = re.compile(r"\bratio\b|\btimes\b|\bfraction\b|\bfactor\b", re.I)
#: the words after a factor between two networks: '12x less than AlexNet', '2.81x cheaper'
_TIMES_AFTER = re.compile(r"(?i)\s*(?:x|×|times)\s+(?:cheaper|fewer|less|faster|smaller|more|larger|bigger|"
                          r"slower|deeper)\b")
_LABEL_END = re.compile(r"\s*(?::|=>|->|→|⇒|\s-\s|\s–\s|\)\s|=(?!>))")
#: a part of a problem: '(c)', 'b.', 'part (d)', '(ii)'
_PART_MARK = r"part\s*\(?[a-h]\)?|\(?[a-h]\)(?:\s|$)|[a-h]\.\s|\(?[ivx]+\)\s"
_QUESTION = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?\s*(?:q(?:uestion)?\s*\.?\s*\d+\b|problem\s*\d+|exercise\s*\d+|"
                       r"p\d{1,2}\b(?!\s*[=:]?\s*\d)|" + _PART_MARK + ")", re.I)
#: "3) Receptive field", "2. AlexNet (paper says 224 input)": a numbered topic of words (no working, no figure after a
#: colon: "1) conv1: 55x55x96" is an item of a list)
_NUMBERED_TOPIC = re.compile(r"^\s*\d{1,2}[).]\s+[A-Za-z][^=:]*$")
#: table columns that hold no claim: the row's number, the layer's input
_NOT_GRADED_COLUMN = re.compile(r"(?i)\s*(?:#|no\.?|n|idx|index|s\.?\s*no\.?|row|input|in|input\s+(?:size|shape|dims?|"
                                r"dimensions?|volume|tensor))\s*")
_PART = re.compile(r"^\s*(?:" + _PART_MARK + ")", re.I)
#: a range of layers as a label: 'conv3_1 .. conv3_4', 'conv4_1 - conv4_4', 'conv5_1 to conv5_4'
_LAYER_RANGE = re.compile(r"\s*([A-Za-z]+\s*\d+[_.]\d+)\s*(?:\.{2,}|…|-|–|—|to|through|thru)\s*"
                          r"[A-Za-z]*\s*\d+[_.]\d+\s*")
#: a label that is a prompt of a question and its answer, not a layer
_PROMPT = re.compile(r"(?i)\s*(?:q|a|ans|answer|hint|note|sol|solution|recall|remember)\s*\.?\s*")
#: words after a number that make it part of a layer's configuration, not a figure to grade
_CONFIG_AFTER = re.compile(r"\s*(?:filters?|kernels?|channels?|units|neurons\s+in|stride|pad\w*|layers?|"
                           r"input\b|inputs?\s+(?:image|size)|images?\b|"
                           r"bits?|groups?|heads?|classes|epochs?|images?|gpus?|stacked|convolutions?\b|conv\b|"
                           r"@\s*\d{1,2}\s*[x×*]\s*\d{1,2}\b|"  # "96 @ 11x11": 96 filters of 11x11
                           r"(?:fc|conv\w*|pool\w*|fully[- ]connected)\s*(?:layers?)?\s*(?:[)+,;]|and\b|$)|"  # "3 FC)"
                           r"(?:flops?|ops|operations|bytes?)\s+(?:per|for\s+(?:each|one|a|every))\s+"
                           r"(?:multiply|mac|madd|fma|element|value|float|number|param)|"  # "(2 FLOPs per MAC)"
                           r"x\s*\d+\s*(?:filters?|kernels?|conv)|(?:and|or|,)\s*\d+\s*(?:filters?|kernels?|conv)|"
                           r"(\d{1,2})\s*[x×]\s*\1\s*(?:filters?|kernels?|conv))",  # "96 11x11 filters"
                           re.I)
#: the words that give the network's input just before a shape ("input 32x32x1", "input size: 224 x 224 x 3")
_INPUT_BEFORE = re.compile(r"(?:\binput(?:\s+(?:size|shape|image|volume|dimensions?|tensor))?\s*(?:is|of|=|:)?|"
                           r"(?:^|\s)(?:on|for)\s+(?:an?\s+)?(?:input\s+(?:of\s+)?)?)"  # 'AlexNet on 224x224'
                           r"\s*[(\[]?\s*$", re.I)
_CONFIG_BEFORE = re.compile(r"(?:filters?\s+of|kernels?\s+of|size|stride|padding|pad|with|of\s+size|"
                            r"problem|question|exercise|part|q|hw|homework|step|section|table|figure|chapter|"
                            r"lecture|week|page|eq\.?|equation|batch\s+size|momentum|lr|rate|dropout|decay|groups?|"
                            r"epochs?|in\s*\[)\s*[:=,]?\s*[(#]?\s*$", re.I)
#: a training hyper-parameter named just before a number ('Weight decay of 1e-5', 'Learning rate: 0.1'): no claim
_HYPER = re.compile(r"(?:learning\s+rate|\blr\b|weight\s+decay|momentum|(?:mini-?)?batch(?:\s+size)?|dropout|"
                    r"epochs?|iterations?|warm-?up|label\s+smoothing|decay(?:ed)?\s+by|divided\s+by|"
                    r"(?:top[- ]?[15]\s+)?(?:error|accuracy|acc\.)(?:\s+rate)?"
                    r"(?:\s*[:=]?\s*[\d.]+\s*%?\s*(?:->|→|to))?)\s*"
                    r"(?:of|is|was|=|:|set\s+to|rate)?\s*[(\[$]?\s*$", re.I)
#: what follows a number that is no arithmetic: a count of layers (also the last of a list of them), an error rate
_NOT_ARITHMETIC_AFTER = re.compile(r"(?i)(?:\s*,\s*(?:or\s+|and\s+)?\d+)*\s*(?:,\s*)?(?:or\s+|and\s+)?\d*\s*-?\s*"
                                   r"(?:layers?|layered|weight\s+layers)\b|\s*%?\s*\)?\s*(?:top[\s-]*\d\s*)?"
                                   r"(?:error|accuracy|acc\.)")
#: ... and what comes just before one: a year after an apostrophe ("ILSVRC'15"), the 5 of 'top-5'
_NOT_ARITHMETIC_BEFORE = re.compile(r"(?i)(?:[A-Za-z]['’]|\btop[\s-]*)$")
#: the footer of a model summary (torchinfo) that counts under the tool's own conventions
_FOREIGN_CONVENTION = re.compile(r"\s*(?:(?:non-)?trainable params|input size \(|params size \(|"
                                 r"forward/backward pass size|estimated total size)", re.I)
_TORCHINFO_UNITS = {"kilobytes": "K", "megabytes": "M", "gigabytes": "G", "terabytes": "T"}
_UNITS_WORD = re.compile(r"\(units\.(kilobytes|megabytes|gigabytes|terabytes)\)", re.I)
_TENSOR = re.compile(r"\[\s*-?1\s*,\s+(\d+(?:\s*,\s+\d+)*)\s*\]")
_SYMBOLIC = re.compile(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])")


def _torchinfo_units(text: str) -> str:
    return _UNITS_WORD.sub(lambda m: f"({_TORCHINFO_UNITS[m.group(1).lower()]})", text)


@lru_cache(maxsize=16384)
def header_unit(text: str) -> str | None:
    """The unit a column header puts on its bare numbers: 'Params (K)', 'Memory (MB)', 'MACs (in millions)'."""
    text = _torchinfo_units(text)
    m = rx(r"\((?:in\s+)?(k|thousands?|m|millions?|g|billions?|[kmg]i?b)\)"
                  r"|\bin\s+(thousands|millions|billions)\b", re.I).search(text)
    if not m:
        return None
    word = (m.group(1) or m.group(2)).lower()
    if word.endswith("b") and len(word) >= 2:
        return word[:-1].upper() + "B" if "i" not in word else word[0].upper() + "iB"
    return {"k": "K", "thousand": "K", "thousands": "K", "m": "M", "million": "M", "millions": "M", "g": "G",
            "billion": "G", "billions": "G"}[word]


def _tensor_shape(cell: str) -> str:
    """A printed tensor shape as the shape a student writes: [1, 64, 112, 112] is 64x112x112."""
    m = _TENSOR.fullmatch(cell.strip())
    if not m:
        return cell
    dims = [d.strip() for d in m.group(1).split(",")]
    return "x".join(["1", "1", *dims] if len(dims) == 1 else dims)


def _summary_label(label: str) -> str:
    """A model summary's row label as a name: torchinfo's tree ('├─Conv2d: 1-1') without its branches
    and depth-index; a container below the top level is kept apart."""
    s = rx(r"^[\s│├└─|`+\\-]+").sub("", label)
    m = rx(r":\s*(\d+)-\d+\s*$").search(s)
    if not m:
        return s.strip() or label
    name = s[:m.start()].strip()
    if int(m.group(1)) > 1 and rx(r"Sequential|ModuleList|ModuleDict|\w*Block|Bottleneck\w*").fullmatch(name):
        return f"{name} (nested container)"
    return name or label


def _shape(text: str) -> tuple[int, ...] | None:
    t = text.strip()
    if not rx(r"[\[(]?\s*\d+(?:\s*[x×*,]\s*\d+){1,3}\s*[\])]?").fullmatch(t):
        return None
    try:
        return parse_shape(t)
    except ClaimsError:
        return None


def _scientific(text: str) -> str | None:
    m = rx(r"\s*([-+]?\d+(?:\.\d+)?)\s*[x*]\s*10\s*\*\*\s*([-+]?\d+)\s*").fullmatch(text)
    return f"{m.group(1)}e{m.group(2)}" if m else None


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """A cell in plain notation: HTML tags gone, superscript labels joined (CONV^3 is CONV3), LaTeX
    and Unicode operators as plain arithmetic, hyphenated lists of numbers as lists."""
    s = rx(r"</?[a-zA-Z][^<>]{0,40}>").sub(" ", text)
    s = rx(r"(?<!\d)\*\*|\*\*(?!\d)|(?<![\w*])__|__(?![\w*])").sub("", s)  # Markdown's bold (3**2 stays a power)
    s = rx(r"(\\text\{[A-Za-z]+\}|[A-Za-z]{2,})\s*\^\s*\{?\s*(\d{1,2})\s*\}?").sub(r"\1\2", s)
    s = plain(s)
    s = s.replace("\\", " ")
    # "[1x1 conv, 128] 32x32x128x1x1x256": a layer named in brackets before its working (the slides' notation)
    s = rx(r"^\s*\[((?=[^\[\]]*[A-Za-z]{2})[^\[\]:=]{1,30}?)\]\s*(?=[\d(])").sub(r"\1: ", s)
    # 253,440-186,624-64,896: a list written with hyphens, not a subtraction
    s = rx(r"\*\s*(?=\+|$)").sub(" ", s)  # a \cdot ending a line of a long sum
    s = rx(r"(\d)\s*bytes?\b(?=\s*(?:~|=))").sub(r"\1", s)  # "24M * 4 bytes = 96MB": the unit inside the working
    s = rx(r"(?<=[\d)])\s*~=?\s*(?=\d)").sub(" = ~", s)  # "24M * 4 ~ 96MB": approximately equal
    s = rx(r"(?<![\w.])(\d+(?:\.\d+)?)\s+e\s*([-+])\s*(\d{1,3})\b").sub(r"\1e\2\3", s)  # '$1 e-5$' typeset: 1e-5
    # "1.8 GFLOPs", "4.1 GMACs", "3.2 MParams": the scale is the number's ("1.8G FLOPs")
    s = rx(r"(?<=\d)\s*([KMGT])(?=(?:FLOPs?|flops?|MACs?|macs?|OPs|ops|[Mm]ult-?[Aa]dds?|[Pp]arams?|parameters)"
           r"\b)").sub(r"\1 ", s)
    # "3.5 x 10^4", "1.05 x 10⁸": scientific notation as people write it, one number
    s = rx(r"⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+").sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), s)  # 10⁸: 10^8
    s = rx(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[x×*·]\s*10\s*(?:\*\*|\^|\s)\s*\(?([-+]?\d{1,2})\)?(?![\d.])").sub(r"\1e\2", s)
    # "62.378.344": thousands grouped with dots (two groups or more: never a decimal)
    s = rx(r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![\d.,])").sub(lambda m: m.group(0).replace(".", ","), s)
    # "(96, 55, 55)", "[1, 96, 55, 55]": a shape printed as a tuple (square maps only: not a list of kernel sizes)
    s = rx(r"(?<![\w])[(\[]\s*(?:1\s*,\s*)?(\d{1,4})\s*,\s*(\d{1,4})\s*,\s*(\d{1,4})\s*[)\]]").sub(
        lambda m: f"[{'x'.join(m.groups())}]" if m.group(2) in (m.group(1), m.group(3)) else m.group(0), s)
    s = rx(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:-(?:\d{1,3}(?:,\d{3})+|\d+)){2,}(?![\d,])").sub(
        lambda m: ", ".join(m.group(0).split("-")), s)
    return rx(r"[ \t]+").sub(" ", s).strip()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    out = list(text)
    for a, b in spans:
        for i in range(a, b):
            out[i] = " "
    return "".join(out)


@lru_cache(maxsize=16384)
def _blank_names(text: str) -> str:
    """Network names and layer labels blanked (the 19 of 'VGG-19', the 1 of 'CONV 1' are no figures)."""
    spans = [(m.start, m.end) for m in mentions(text)]
    text = _blank(text, spans)
    return rx(r"\b(?:conv|pool|maxpool|max\s*pool|avgpool|fc|norm|layer|block|stage|inception|l|c|s|f|q|"
              r"question|problem|part|exercise|figure|table|cell|in|out)\s*\(?\s*\d+[a-z]?\)?(?![\d,.]*\s*[x×*])"
              r"(?![.,]?\d|[KMGT]\b)",  # 'the first FC layer (102.8M)': a figure, not the layer's number
              re.I).sub(lambda m: rx(r"\d").sub(" ", m.group(0)), text)


@lru_cache(maxsize=16384)
def _layer_in_sentence(text: str) -> str | None:
    """A layer a sentence is about: 'the first conv layer', 'conv3', 'FC-4096', 'the network's input'."""
    ordinals = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8}
    m = rx(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|6th|7th|8th)\s+"
                  r"(conv\w*|pool\w*|max[- ]?pool\w*|fc|fully[- ]connected|linear|dense)", re.I).search(text)
    if m:
        kind = m.group(2).lower()
        kind = "conv" if kind.startswith("conv") else "pool" if "pool" in kind else "fc"
        return f"{kind}{ordinals[m.group(1).lower()]}"
    m = rx(r"\b((?:conv|pool|fc|maxpool|norm)\s?\d+(?:[_-]\d+)?|CONV\d-\d+|FC-\d+)\b", re.I).search(text)
    if m:
        return m.group(1)
    m = rx(r"\b([CSF][1-7])\b").search(text)  # LeNet's own names: 'the paper's C3 only connects some maps'
    if m:
        return m.group(1)
    if rx(r"\b(?:network's|the)\s+input\s+(?:is|has|of)\b|\binput\s+(?:image\s+)?(?:is|has)\b", re.I).search(text):
        return "input"
    return None


_FORMULA = re.compile(r"[A-Za-z0-9_()+\-*/^.\s]+")
_SYMBOL_OP = re.compile(r"(?<![A-Za-z0-9])[A-Z](?:_\{?\w\}?)?(?![a-z])\s*[-+*/)^]|[-+*/(]\s*[A-Z](?![a-z])|"
                        r"\d\s*(?![KMGBT])[A-Z](?![A-Za-z])")


@lru_cache(maxsize=16384)
def _symbolic_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of a text that are formulas in symbols (W_1 - F + 2P, L - NF + N): their numbers are no figures."""
    out = []
    for m in _FORMULA.finditer(text):
        if _SYMBOL_OP.search(m.group(0)):
            out.append((m.start(), m.end()))
    return tuple(out)


_FORMULA_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_()+-*/^.")


def _symbolic_figures(text: str, line: SheetLine, before: str, column: str | None) -> list[Figure]:
    """A formula with numbers put in and a result in one symbol: 'L - 3*5 + 3 = L - 12' (the output side
    after three 5x5 convolutions, in terms of the input side L)."""
    from ..errors import SymcnnError
    from ..expr import parse

    if len(text) > 300:
        return []
    if "=" not in text:
        # "Output length: L - 12": a result in one symbol after a label, with no working
        m = rx(r":\s*([A-Z]\s*[-+]\s*\d+)\s*\.?\s*$").search(text)
        if not m:
            return []
        left, right, start = "", m.group(1), m.start(1)
    else:
        head, _, right = text.rpartition("=")
        k = len(head)
        while k > 0 and (head[k - 1] in _FORMULA_CHARS or head[k - 1].isspace()):
            k -= 1
        left, right, start = head[k:].strip(), right.strip().rstrip(".").strip(), k
        # the working has numbers put in ('L - 3*5 + 3') or the problem's letters ('L - N F + N')
        letters = set(rx(r"(?<![A-Za-z])[A-Z](?![A-Za-z])").findall(left))
        if not left or not (rx(r"\d").search(left) or len(letters) > 1):
            return []
    if not rx(r"[A-Za-z0-9_()+\-*/^.\s]+").fullmatch(right):
        return []
    symbols = set(rx(r"(?<![A-Za-z])[A-Z](?![A-Za-z])").findall(right))
    if len(symbols) != 1 or not rx(r"\d").search(right) or \
            (left and not rx(r"(?<![A-Za-z])[A-Z](?![A-Za-z])").search(left)):
        return []
    try:
        value = parse(right, functions=False)
    except (SymcnnError, ValueError, RecursionError):
        return []
    words = before + " " + text[:start]
    quantity = "size" if rx(r"length|size|width|height|side", re.I).search(words) else quantity_named(words) or column
    return [Figure(line.line, line.where, right, value, work=left or None, quantity=quantity,
                   how="the words before it" if quantity else "", context=words[-120:])]


#: a line of code that states a figure: an assignment of arithmetic, bare arithmetic, or a prompt ('In [3]: ...')
#: a line of Python outside a fence: a definition, a loop, an import, a print, a call with numbers for arguments,
#: a list or a dict assigned
_MATH_CALL = r"(?!(?:floor|ceil|round|max|min|sqrt|log\d*|exp|abs|sum)\s*\()"
_CODE_LINE = re.compile(r"\s*(?:def\s+\w+\s*\(|class\s+\w+\s*[(:]|"
                        r"for\s+\w+(?:\s*,\s*\w+)*\s+in\s+[\w.]+(?:\([^)]*\))?\s*:|while\s.*:\s*$|"
                        r"import\s+\w|from\s+[\w.]+\s+import\b|return\b|print\s*\(|lambda\b|"
                        r"(?!.*=\s*[~≈]?\s*\d[\d,.]*\s*[KMG]?\s*$)(?:"  # no line that ends '= 1,728': a working
                        rf"[A-Za-z_][\w.]*\s*=\s*(?:\{{|\[[^\]]*,|{_MATH_CALL}[A-Za-z_][\w.]*\s*\()|"
                        rf".*\b{_MATH_CALL}[A-Za-z_]\w*\(\s*\d+(?:\s*,\s*\d+){{2,}}\s*\)))")
_WORKING_CODE = re.compile(r"\s*(?:(?:In|Out)\s*\[\s*\d*\s*\]\s*:.*|(?:[A-Za-z_]\w*\s*=\s*)?[\d(][\d\s*+\-/().x,]*|"
                           r"[A-Za-z_]\w*)\s*")
#: how an entry got the layer of the line above it
_UNDER = "the line under its layer's line"
#: the quantities one layer's working computes (weights, parameters, multiply-adds)
_LAYER_WORKED = ("weights", "params", "macs", "flops")
#: the words of a count of learned values ('params = 850' after 'Output: 84 -> 10')
_LEARNED_WORDS = re.compile(r"\b(?:params|parameters|weights|biases)\b", re.I)


_BACKWARD_AFTER = re.compile(r"\s*(?:[KMG]i?B|bytes?)?\s*[,(]?\s*(?:(?:with|incl\w*|for|counting|and|\+)\s+(?:the\s+)?"
                             r"(?:forward\s*(?:\+|and)\s*)?(?:backward|bwd|backprop)|"
                             r"(?:fwd|forward)\s*(?:\+|and|&)\s*(?:bwd|backward))", re.I)


def _not_a_figure(context: str, after: str, r: Run) -> bool:
    """In a sentence: a number that configures a layer ('96 filters of 11x11x3', 'stride 4') or numbers
    a question ('Problem 3'), not a figure the student worked out."""
    if r.result is not None and r.expression is not None:
        return False
    if _CONFIG_BEFORE.search(context[-25:]) or _HYPER.search(context[-40:]):
        return True
    if r.expression is None and ((("ayer" in after or "rror" in after or "ccura" in after or "acc." in after) and
                                 _NOT_ARITHMETIC_AFTER.match(after)) or _NOT_ARITHMETIC_BEFORE.search(context[-12:])):
        return True  # '152-layer model', 'depths of 34, 50, 101 or 152 layers', '3.57% top-5 error', "ILSVRC'15"
    arrow_after = rx(r"\s*(?:->|=>|→)\s*\d+\b(?!\s*(?:->|=>|→|[x×*]))").match(after)
    arrow_before = rx(r"(?:->|=>|→)\s*$").search(context[-6:])
    if r.expression is None and r.result is not None and _LEARNED_WORDS.search(after) and (
            (arrow_after and not arrow_before) or
            (arrow_before and not context[:-6].strip() and not rx(r"\s*(?:->|=>|→)").match(after))):
        return True  # "Output : 84 -> 10, params = 850": a fully connected layer's widths, in and out
    if r.expression is None and rx(r"(?<![A-Za-z0-9_])[SPFKNspfkn]\s*=\s*$").search(context[-8:]):
        return True  # "7x7 s=2", "P = 1", "F = 3", "K = 96", "N = 3": the problem's notation for its configuration
    if r.expression is None and r.result is not None and rx(r"(?:19|20)\d\d[)\]]?").fullmatch(r.result.strip()) and \
            rx(r"(?:\(|\[)\s*(?:[A-Z][\w.'’-]*(?:\s+(?:et\s+al\.?|and|&)\s*[\w.'’-]*)*)?,?\s*$").search(context[-40:]):
        return True  # "(LeCun 1998)": a citation's year
    if r.expression is None and r.result is not None and \
            rx(r"[\[(]\s*(?:19|20)\d\d\s*[)\]]").fullmatch(r.result.strip()):
        return True  # "[Zeiler & Fergus 2013]" (the authors blanked as the network's name): a citation's year
    if r.expression is None and rx(r"(?i)\binput(?:\s+(?:size|image|is|of))?\s*[:=]?\s*$").search(context[-20:]) and \
            rx(r"\s*\d{2,3}\s*[)\]]?\s*").fullmatch(r.result or ""):
        return True  # "(input 224)": the input's side, as the problem (or the student) sets it
    if r.expression is None and rx(r"\s*bytes?\b").match(after) and rx(r"\s*\d{1,2}\s*").fullmatch(r.result or ""):
        return True  # "x 4 bytes": the element size, not a figure ('65,566,624 bytes' is one)
    if r.expression is None and rx(r"(?i)\b(?:adds?|grows?\s+by|increases?\s+by|widens?\s+by)\s*$").search(context):
        return True  # "each 5x5 layer adds 4": the step, not a figure of any layer
    if rx(r"\(\s*(?:vs\.?|versus|compared\s+(?:to|with)|against)\s*$|\b(?:instead\s+of|rather\s+than)\s*$",
          re.I).search(context[-30:]):
        return True  # "397M ops (vs 1.1B)": an aside, the figure it is compared with (about something else)
    if r.result is None and r.expression and rx(r"\s*(\d{1,2})\s*[x×]\s*\1\s*").fullmatch(r.expression) and \
            rx(r"\s*(?:[A-Za-z][\w-]*\s*,?\s*(?:\d{1,4}\s*)?(?:filters?\s*)?){0,3}:", re.I).match(after):
        return True  # "3x3 conv 192:", "1x1:": a branch named by its kernel, not a figure
    if r.result is None and r.expression and _INPUT_BEFORE.search(context[-40:]):
        return True  # "LeNet-5, input 32x32x1": the input, as the problem gives it
    if r.result is None and r.expression and \
            rx(r"(?:filters?|kernels?)\s*(?:of\s+size\s*)?[:=]?\s*$", re.I).search(context[-30:]):
        return True  # "6 filters 5x5": the filters' size
    if rx(r"\s*[x×*]\s*\d+\s*(?:filters?|kernels?)", re.I).match(after):
        return True  # "11x11 filters": the size of a kernel
    return bool(_CONFIG_AFTER.match(after))


@lru_cache(maxsize=16384)
def _label_only(text: str) -> str | None:
    """A line that only names a layer ('Conv1:', '**CONV3-64**', '- Layer: pool2', 'Conv1 (96 filters, 11x11,
    stride 4):'), with no figure of its own; None otherwise."""
    t = rx(r"[*_`#>]+").sub(" ", text).strip()
    t = rx(r"^\s*(?:[-•]|\d+[.)])\s+").sub("", t)
    m = rx(r"(?:layer\s*:\s*)?([A-Za-z][\w-]*(?:\s*\d+)?(?:\s*\([^()]*\))?)\s*:?", re.I).fullmatch(t)
    if not m:
        return None
    label = rx(r"\s*\([^()]*\)").sub("", m.group(1)).strip()
    fam = family_of_label(label)
    if fam in (None, "total") or quantity_named(label):
        return None
    return label


@lru_cache(maxsize=16384)
def _label_like(head: str) -> bool:
    words = head.split()
    if rx(r"(?<![A-Za-z0-9_-])\d[\d,.]*\s*(?:[KMGB]\b|million|billion|%)|"
          r"(?<![A-Za-z0-9_-])(?:\d{5,}|\d{1,3}(?:,\d{3})+)").search(head):
        return False  # "params ~ 144 M (most in FC6": a figure before the colon, not a label
    if family_of_label(head) is not None or mentions(head):
        return True
    return len(words) <= 4 and not rx(r"(?<![A-Za-z])\d").search(head)


@lru_cache(maxsize=16384)
def _split_label(cell: str) -> tuple[str | None, str]:
    """A prose line's label (the words before ':' or '=>') and the rest."""
    text = rx(r"^\s*(?:[-*•]|\d+[.)]|\([a-z0-9]+\)|[a-z][.)])\s+").sub("", cell.strip())
    m = _LABEL_END.search(text)
    if m and m.start() <= 40 and rx(r"[A-Za-z]").search(text[:m.start()]) and _label_like(text[:m.start()]):
        head = text[:m.start()].strip()
        worked = rx(r"(.*?[A-Za-z][\w.\-]*)\s+(\(?\d+\s*[x*×]\s*\d+(?:\s*[x*×]\s*\d+)*\)?)").fullmatch(head)
        if worked and text[m.start():m.end()].strip() == "=":
            # "conv2_2 112x112x128 = 1.6M": the label, then a working and its result
            return worked.group(1).strip(), f"{worked.group(2)} {text[m.start():]}"
        if not rx(r"\d\s*[x*×]\s*\d").search(head) or rx(r"^[A-Za-z]").match(head) or \
                rx(r"(\d{1,2})\s*[x×]\s*\1\s+[A-Za-z]").match(head):  # '1x1 reduce 128:' names a branch
            return head, text[m.end():]
    m = rx(r"\s*((?:[A-Za-z][\w-]*(?:\s*\d+(?![\d.,]|\s*[x×*]))?)(?:[ (][A-Za-z][\w()-]*){0,3})\s+(?=[\[\d(~$])").match(
        text)
    if m and family_of_label(m.group(1)) is not None:
        # "fc6 is 83.5% of ...", "conv2 has 614,656 parameters": the layer, without the verb
        head = rx(r"(?i)\s+(?:is|are|has|have|had|gives?|takes?|uses?|holds?|needs?|contains?)$").sub("", m.group(1))
        return head.strip(), text[m.end():]
    return None, text


def _config(text: str) -> dict:
    """A layer's configuration as a line states it: '96 kernels of size 11*11, stride 4, 0 padding'."""
    out: dict = {}
    t = text.lower()
    m = rx(r"(?<![x×*\d])(?<![x×*]\s)(\d+)\s+(?:(?:of\s+)?\d+\s*[x×*]\s*\d+\s+)?"
                  r"(?:kernels?|filters?|channels?|units|neurons|maps)\b").search(t)
    if m:
        out["channels"] = int(m.group(1))
    m = rx(r"(\d+)\s*[x×*]\s*\1\b").search(t)
    if m:
        out["kernel"] = int(m.group(1))
    m = rx(r"stride\s*[:=]?\s*(\d+)|(\d+)\s*stride").search(t)
    if m:
        out["stride"] = int(m.group(1) or m.group(2))
    m = rx(r"pad(?:ding)?\s*[:=]?\s*(\d+)|(\d+)\s*pad").search(t)
    if m:
        out["padding"] = int(m.group(1) or m.group(2))
    return out


def _size_formula(work: str | None) -> dict:
    """The input size, kernel, padding and stride an output-size formula names: (227 - 11 + 2*0)/4 + 1."""
    if not work:
        return {}
    w = rx(r"\s").sub("", work)
    m = rx(r"\((\d+)-(\d+)(?:\+2\*?(\d+))?\)\)?/\(?(\d+)\)?\)?\)?\+1").search(w) or \
        rx(r"(\d+)-(\d+)(?:\+2\*?(\d+))?\)?\)?/\(?(\d+)").search(w)
    if not m:
        return {}
    return {"input_size": int(m.group(1)), "kernel": int(m.group(2)), "padding": int(m.group(3) or 0),
            "stride": int(m.group(4))}


# -- the form of a working --------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def terms_of(expression: str | None) -> tuple[tuple[int, ...], ...]:
    """The products a working adds up, each as its integer factors: (3*3*3+1)*64 is 3*3*3*64 + 64.
    Empty when the working is not a sum of products of whole numbers."""
    if not expression:
        return ()
    tokens = rx(r"\d+(?:,\d{3})*(?:\.\d+)?|[x×*+()\[\]]|\S").findall(expression.replace("**", "^"))
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def expr(depth):
        out = term(depth)
        while peek() == "+":
            take()
            out = out + term(depth)
            if len(out) > 64:
                raise ValueError
        return out

    def term(depth):
        out = [()]
        factor = atom(depth)
        out = [a + b for a in out for b in factor]
        while peek() in ("*", "x", "×"):
            take()
            factor = atom(depth)
            out = [a + b for a in out for b in factor]
            if len(out) > 64:
                raise ValueError
        return out

    def atom(depth):
        if depth > 8:
            raise ValueError
        tok = peek()
        if tok in ("(", "["):
            take()
            inner = expr(depth + 1)
            if take() not in (")", "]"):
                raise ValueError
            return inner
        if tok is not None and rx(r"\d+(?:,\d{3})*").fullmatch(tok):
            take()
            return [(int(tok.replace(",", "")),)]
        raise ValueError

    try:
        out = expr(0)
    except (ValueError, IndexError):
        return ()
    if pos != len(tokens):
        return ()
    return tuple(tuple(t) for t in out)


def products(terms: tuple[tuple[int, ...], ...]) -> list[tuple[int, ...]]:
    """The products of a working's terms, its bias terms left out: (5*5*1+1)*6 is 5*5*1*6 and a bias 1*6.

    >>> products(((5, 5, 1, 6), (1, 6))), products(((400, 120), (120,)))
    ([(5, 5, 1, 6)], [(400, 120)])
    """
    return [t for t in terms if len(t) >= 2 and not (len(t) == 2 and 1 in t)]


@lru_cache(maxsize=16384)
def working_form(terms: tuple[tuple[int, ...], ...]) -> str | None:
    """The quantity the form of a working computes, when only one can: k*k*Cin*Cout weights, plus Cout
    biases parameters, H*W*C activations, H*W*C*k*k*Cin multiply-adds."""
    if not terms:
        return None
    terms = tuple(t if not (len(t) == 2 and 1 in t) else (max(t),) for t in terms)  # (C_out x 1): a bias term
    main = products(terms)
    single = [t for t in terms if len(t) == 1]
    if not main:
        return None
    pairs = [t for t in main if len(t) in (3, 4, 6) and len(set(t)) < len(t)]
    if single and all(len(t) >= 2 for t in main):
        return "params" if all(any(s[0] == t[-1] or s[0] in t for t in main) for s in single) else None
    if len(main) == 1 and not single:
        t = main[0]
        if len(t) == 4 and t[0] == t[1] and t[0] <= 11:
            return "weights"
        if len(t) >= 5 and pairs:
            return "macs"
        if len(t) == 3 and t[0] == t[1] and t[0] > 11:
            return "activations"
    return None


# -- reading --------------------------------------------------------------------------------------


#: words that make the network named after them a point of comparison: 'same as AlexNet', 'fewer than VGG'
#: "ZFNet ... AlexNet but: CONV1 7x7 stride 2": the network another is described as a change of
_BUT_AFTER = re.compile(r"(?i)\s*[,:]?\s*(?:,\s*)?(?:but|except|with\s+(?:these|the\s+following)\s+changes)\b")
_COMPARED = re.compile(r"(?:\bsame\s+as|\bsimilar\s+to|\blike|\bthan|\bvs\.?|\bversus|\bcompared\s+(?:to|with)|"
                       r"\bunlike|\binstead\s+of|\brelative\s+to|\bimprov\w*\s+(?:on|upon|over))\s+(?:the\s+)?$", re.I)


class _Reader:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.sections: list[Section] = [Section(0, 0, 0)]
        self.unread: list[tuple[int, str, str]] = []
        self.meta: dict = {}
        self.block_label: str | None = None
        self.last_label = ""
        self.last_shape: tuple | None = None
        self.question = 0
        self.series = 0
        self.pending_labels: list[str] | None = None  # a row of labels whose figures are on the next line
        self.carry = ""  # an open sentence ("... map length is") whose figures are on the next line
        self.in_table = False
        self.table_header: tuple | None = None
        self.after_table = 0
        self.unknown_pending: tuple[str, int] | None = None
        self.torch = False  # the sheet speaks of PyTorch: its networks are torchvision's
        self.assignment = False  # the line is a program's assignment (name = arithmetic)
        self.question_named: set[str] = set()  # the networks the current question names
        self.pending_in: tuple[str, str] | None = None  # a notebook's In [n]: working, waiting for its Out[n]
        self.previous_row = False  # the line before was a table's row
        self.parent: tuple[int, str] | None = None  # (indent, label) of the last line that named a layer
        self.above: tuple[int, str] | None = None  # (line, label) of the line before, when it named a layer
        self.in_fence = False  # inside a ``` code fence of a text export
        self.topic_number: int | None = None  # the number of the last numbered topic ('1) AlexNet')
        self.code_open = 0  # brackets a line of code outside a fence left open (its next lines are code too)
        # (line, family, quantity, terms) of the last working whose quantity the words named
        self.worded: tuple[int, str, str, int] | None = None
        self.topic = ""  # the last problem's heading (its parts '(a)', '(b)' share it)
        self.list_quantity: str | None = None  # the quantity a line of words ending in ':' gives the list below it

    # sections -----------------------------------------------------------------------------------
    @property
    def section(self) -> Section:
        return self.sections[-1]

    def new_section(self, line: int, question: bool = False) -> None:
        if question:
            self.question += 1
            self.question_named = set()
        if any(w.strip() for w in self.section.words) or self.section.named or \
                (self.entries and self.entries[-1].section == self.section.index):  # entries come in section order
            self.sections.append(Section(len(self.sections), line, self.question, topic=self.topic))
        else:
            self.section.line, self.section.question, self.section.topic = line, self.question, self.topic
        self.block_label = None
        self.last_shape = None
        self.parent = None
        self.list_quantity = None

    def notice(self, text: str, line: int, has_figures: bool, is_row: bool) -> None:
        """Networks named on a line: a new section begins where a line names other networks (a caption
        right after a table names the table's)."""
        found = self.named(text)
        # torchvision, torchinfo, torchsummary, torch.nn, 'PyTorch's AlexNet': the model a framework ships; a shape
        # 'in PyTorch order' (C x H x W) says how it is written, not which network
        self.torch = self.torch or bool(rx(r"torch(?:vision|info|summary|\.|\s+summary)|"
                                           r"pytorch(?:'s|’s)?\s+(?:model|version|implementation|zoo|alexnet|vgg|resnet)|"
                                           r"(?:from|in|of)\s+pytorch\b(?!\s+(?:order|layout|convention|style))", re.I
                                           ).search(text))
        if found and self.torch:
            # a line that speaks of PyTorch (torchinfo, torchvision) means the variant torchvision ships
            from .. import zoo

            names = set(zoo.names())
            found = tuple(tuple(f"{n}-torchvision" if f"{n}-torchvision" in names else n for n in g) for g in found)
        unknown = unknown_network(text)
        if not found and not unknown:
            return
        current = set(self.section.named)
        if found and set(found) <= current and not unknown:
            return
        caption = self.after_table and not has_figures and rx(r"\s*(?:table|figure|fig\.?|caption)\b", re.I).match(text)
        if caption or (is_row and self.in_table):
            self.section.named = self.section.named + tuple(n for n in found if n not in current)
            return
        if not found and unknown:
            # a name symcnn cannot read ("2f Net"): the figures next to it are about an unknown network, not
            # the section's
            self.unknown_pending = (unknown, line)
            return
        self.new_section(line)
        self.section.named = found

    def _prompt(self, text: str, raw: str = "") -> str | None:
        """A notebook exported as text: 'In [3]: 3*3*256*384' and then 'Out[3]: 884736' are one working and its
        result ('3*3*256*384 = 884736', read on the Out line); a prompt is never a layer's label (Out is no output
        layer).  None: the line is the In half, kept for its Out, or code in a fence that states no figure."""
        if ("```" in text or "~~~" in text) and rx(r"\s*(?:```|~~~)").match(text):
            self.in_fence = not self.in_fence
            return None
        if not self.in_fence and (self.code_open or _CODE_LINE.match(text)) and not _WORKING_CODE.fullmatch(text):
            # 'def conv(k, cin, cout): return k*k*cin*cout + cout', 'layers = {"conv1": conv(11,3,96), ...': a program
            # pasted without a fence; its numbers are arguments, and a statement left open runs on to the next lines
            raw = raw or text
            depth = self.code_open + sum(raw.count(c) for c in "([{") - sum(raw.count(c) for c in ")]}")
            self.code_open = max(0, min(depth, 20))
            return None
        if self.in_fence and not _WORKING_CODE.fullmatch(text):
            # 'def conv_params(k, cin, cout):', 'vgg19 = [64, 64, 'M', ...]', 'conv_params(3, 3, 64)': code whose
            # numbers are arguments and settings, not figures (an assignment of arithmetic is the program's claim)
            return None
        m = rx(r"\s*In\s*\[\s*(\d*)\s*\]\s*:\s*(.*)$").match(text)
        if m:
            code = m.group(2).strip()
            if rx(r"(?:[A-Za-z_]\w*\s*=\s*)?[\d(][\d\s*+\-/().x]*").fullmatch(code) and rx(r"[*+/x]").search(code):
                self.pending_in = (m.group(1), code)
                if "=" in code:
                    return code  # "conv1 = 11*11*3*96 + 96": an assignment, read as it stands
                return None
            self.pending_in = None
            return None if _CODE_LINE.match(code) else code  # 'In [3]: out_size(227, 11, 4, 0)': arguments
        m = rx(r"\s*Out\s*\[\s*(\d*)\s*\]\s*:\s*(.*)$").match(text)
        if m:
            pending, self.pending_in = self.pending_in, None
            value = m.group(2).strip()
            if pending and pending[0] == m.group(1) and "=" not in pending[1] and rx(r"[\d.,eE+\-]+").fullmatch(value):
                return f"{pending[1]} = {value}"
            return value
        return text

    def named(self, text: str) -> tuple[tuple[str, ...], ...]:
        """The networks a text names; a weak name ("reduced") only where its family is the question's subject."""
        from .vocabulary import family

        out = []
        before = set(self.question_named)
        for m in mentions(text):
            if m.weak and not any(family(n) & self.question_named for n in m.networks):
                continue
            if before and not set(m.networks) & before and (_COMPARED.search(text[:m.start]) or
                                                            _BUT_AFTER.match(text[m.end:])):
                # 'ZF Net ... Same as AlexNet but: CONV1 7x7 stride 2': a network the question's subject is
                # compared with is not what its figures are about (a ratio's second network, at most)
                if m.networks not in self.section.compared:
                    self.section.compared = (*self.section.compared, m.networks)
                continue
            if not m.weak:
                self.question_named |= set(m.networks)
            out.append(m.networks)
        return tuple(out)

    # lines --------------------------------------------------------------------------------------
    def read(self, lines: list[SheetLine]) -> Reading:
        for line in lines:
            self._read_line(line)
        return Reading(self.entries, self.sections, self.unread, self.meta)

    def _read_line(self, line: SheetLine) -> None:
        raw = "   ".join(line.cells)
        text = self._prompt(clean(raw), raw)  # a notebook's In [n]: / Out[n]: prompts: no label, and a working's result
        if text is None:
            return
        m = rx(r"\s*#?\s*(?:student|name)\s*:\s*(.+)", re.I).match(text)
        if m and not rx(r"\d{2,}").search(m.group(1)):
            self.meta["student"] = m.group(1).strip()
            return
        if not self._structure(line, raw, text):
            return
        has_figure = bool(rx(r"\d").search(_blank_names(text))) or bool(rx(r"\s*\(\s*[\"”“〃]+\s*\)").match(text))
        self.notice(text, line.line, has_figure, line.is_row)
        self.section.words.append(text)
        if line.is_heading:
            return
        if _FOREIGN_CONVENTION.match(text):
            self.unread.append((line.line, line.where, "a summary tool's own figure (graded by hand)"))
            return
        if not line.is_row and not has_figure:
            if self.parent is not None and line.indent <= self.parent[0] and text.strip():
                self.parent = None
            self._words_only(text)
            return
        try:
            entries = self.row(line) if line.is_row and line.header is not None else self.prose(line, text)
        except ClaimsError:
            entries = []
        self._keep(line, text, entries)

    def _structure(self, line: SheetLine, raw: str, text: str) -> bool:
        """Questions, headings and tables begin sections; False: the line was a table's header row (read)."""
        if line.is_row and not self.previous_row and line.header is not None:
            self.after_table = 0
        numbered = rx(r"^\s*(\d{1,2})[).]\s+([A-Za-z][\w-]*)").match(raw)
        # '3) RF of 3 stacked 5x5: 5 -> 9 -> 13' after '2) VGG-19 memory: ...': the next of a numbered list of topics,
        # figures and all (a numbered list of layers, '2) pool1 -> 27x27x96', is not one)
        next_topic = numbered is not None and self.topic_number is not None and \
            int(numbered.group(1)) == self.topic_number + 1 and family_of_label(numbered.group(2)) in (None, "total")
        if line.is_heading or _QUESTION.match(raw) or self._numbered_topic(raw) or next_topic:
            if numbered is not None and (next_topic or self._numbered_topic(raw)):
                self.topic_number = int(numbered.group(1))
            if not _PART.match(raw):
                self.topic = text  # a problem's heading: the topic of its parts
            self.new_section(line.line, question=True)
            self.carry = ""
            self.pending_labels = None
        if line.is_row and line.header is None and not rx(r"\d").search(text):
            # a table's header row: a new table
            self.new_section(line.line)
            self.in_table, self.table_header = True, line.cells
            self.previous_row = True
            self.notice(text, line.line, False, True)
            return False
        if line.is_row:
            self.in_table = True
        elif self.previous_row:
            self.in_table = False
            self.after_table = 3
        elif self.after_table:
            self.after_table -= 1
        self.previous_row = line.is_row
        return True

    @staticmethod
    def _numbered_topic(raw: str) -> bool:
        """'3) Receptive field', '2. AlexNet (paper says 224 input)': a numbered topic, not an item of a list of
        layers ('1. CONV1 55x55x96', '2) pool1 -> 27x27x96')."""
        m = _NUMBERED_TOPIC.match(raw)
        if not m or rx(r"\d\s*[x×*]\s*\d|->|→|=>").search(raw):
            return False
        first = rx(r"^\s*\d{1,2}[).]\s+([A-Za-z][\w-]*)").match(raw)
        return first is None or family_of_label(first.group(1)) in (None, "total")

    def _words_only(self, text: str) -> None:
        """A line of words: a block's label, a row of labels for the next line, or a sentence the next line
        finishes ('... the output length is')."""
        # a question about the layer ('Q: What is the total number of parameters in this layer?') or an arrow keeps
        # the block of the layer named above
        keeps = not text.strip() or not rx(r"[A-Za-z]").search(text) or \
            rx(r"(?i)\s*(?:q|question|hint)\s*\d*\s*[:.)]").match(text) or text.rstrip().endswith("?")
        asked = _layer_in_sentence(text) if keeps and text.strip() and rx(r"[A-Za-z]").search(text) else None
        # ('Q: What is the output volume of CONV1?': the answers under it are CONV1's)
        self.block_label = _label_only(text) or asked or (self.block_label if keeps else None)
        # "(b) naive MACs:" over a list ('1x1: ...', '3x3: ...'): the quantity of the list's figures
        # ... and a short line naming a network and a quantity over its figures ('Reduced module MACs')
        heading_like = text.rstrip().endswith(":") or (len(text.split()) <= 6 and bool(mentions(text)))
        self.list_quantity = quantity_named(_blank_names(text)) if heading_like else None
        labels = self._label_row(text)
        if labels:
            self.pending_labels = labels
        elif text.strip():
            self.pending_labels = None
        self.carry = text if _OPEN_END.search(text) else ""

    def _keep(self, line: SheetLine, text: str, entries: list[Entry]) -> None:
        """A line's entries kept in its section; a line with figures but none read is listed as unread."""
        named_here = [e.label.text for e in entries if e.label.family not in (None, "total", "input") and e.figures
                      and e.label_how in ("prose", "row")]
        self.above = (line.line, named_here[-1]) if named_here and not line.is_row else None
        if self.parent is None or line.indent <= self.parent[0]:
            # a line that names a layer is the parent of the lines indented under it
            named = [e for e in entries if e.label.family not in (None, "total") and e.label_how != "block"]
            self.parent = (line.indent, named[0].label.text) if named and not line.is_row else None
        for e in entries:
            e.section = self.section.index
            if self.unknown_pending and line.line - self.unknown_pending[1] <= 2:
                e.unknown_network = self.unknown_pending[0]
            if e.figures:
                self.entries.append(e)
        if any(e.figures for e in entries):
            self.unknown_pending = None
            if any(e.label.text and e.label_how not in ("block", "indented under its layer's line", _UNDER)
                   for e in entries):
                self.block_label = None  # a line with a label of its own ('Total: 397M') ends the block above it
            under = [e.label.text for e in entries if e.label_how == _UNDER]
            if under:
                # "CONV3 : ... => 13x13x384", "Weights = 3x3x256x384 = ...", then "Parameters = 885,120": once the
                # working under a layer's line is that layer's, the lines of quantities after it are too
                self.block_label = under[0]
            return
        configured = [e for e in entries if e.label.family not in (None, "total", "input") and e.label_how != "block"]
        if configured and not line.is_row:
            # "First layer (CONV1): 96 11x11 filters applied at stride 4": a layer and its configuration, no figure:
            # the lines after it are about that layer
            self.block_label = configured[0].label.text
        if self._figure_like(text):
            self.unread.append((line.line, line.where, text[:200]))
        if _OPEN_END.search(text):
            self.carry = text  # "For 3 stacked 5 x 5 filters, the output length is": the figure follows

    @staticmethod
    def _figure_like(text: str) -> bool:
        t = _blank_names(text)
        return bool(rx(r"(?<![A-Za-z0-9_])\d{2,}|\d\s*[x×*]\s*\d").search(t))

    @staticmethod
    def _label_row(text: str) -> list[str] | None:
        """A line of labels only ('L1 L2 L3 L4', 'conv1 conv2 conv3'): the figures are on the next line."""
        words = text.split()
        if len(words) < 3:
            return None
        if all(read_label(w).family in ("any", "conv", "pool", "fc", "norm") and rx(r"\d").search(w) for w in words):
            return words
        return None

    # table rows ---------------------------------------------------------------------------------
    def row(self, line: SheetLine) -> list[Entry]:
        self.assignment = False
        cells = list(line.cells)
        header = list(line.header or ())
        label_index = 0
        for i, h in enumerate(header):
            if rx(r"layer|name|type|stage|operation|module|branch", re.I).search(h) and i < len(cells):
                label_index = i
                break
        extra = len(cells) - len(header)
        if header and extra > 0 and read_label(clean(cells[label_index])).family is None and \
                read_label(clean(cells[label_index + extra])).family is not None:
            cells = cells[extra:]  # a stray cell before the row (a caption run into it): the columns start later
        label = _summary_label(clean(cells[label_index])) if cells else ""
        if rx(r"\s*[\d.,\s]*").fullmatch(label) and not read_label(label).ditto:
            label = ""
        read = read_label(label) if label else NO_LABEL
        if label and read.family is None and mentions(label) and not _blank_names(label).strip(" :-()"):
            read = Label(label, "total")  # a model summary's first row: the network itself (its output)
        entry = Entry(line.line, line.where, " | ".join(cells), read, "row" if label else "")
        if read.ditto:
            entry.label_how = "ditto"
        for i, cell in enumerate(cells):
            if i == label_index and label:
                continue
            head = header[i] if i < len(header) else ""
            if _NOT_GRADED_COLUMN.fullmatch(head):
                continue  # a row's number, or the layer's input (the row above gives it as its output)
            text = clean(_tensor_shape(cell))
            q_head = quantity_named(head)
            if q_head is None and rx(r"(?i)\s*(?:total|sum|together)\s*").fullmatch(head) and \
                    {"weights", "biases"} <= {quantity_named(h) for h in header[:i]}:
                q_head = "params"  # '# weights | # biases | total': the total of the two is the parameters
            if rx(r"description|comment|note|kernel|filter|stride|pad|config", re.I).search(head) and \
                    (q_head is None or q_head in ("output", "size", "depth")) and \
                    not rx(r"(?i)\bout(?:put)?\b").search(head):
                # 'Filter size', '# Filters', 'Stride': the layer's configuration, given by the problem, never a
                # claim ('Output size', 'Weights per filter' and 'Params' are)
                self._configure(entry, text)
                continue
            entry.figures += self.figures(line, text, q_head, head, column_index=i, entry=entry)
        self.last_label = label
        return [entry]

    def _configure(self, entry: Entry, text: str) -> None:
        for key, value in _config(text).items():
            if getattr(entry, key) is None:
                setattr(entry, key, value)

    # prose ----------------------------------------------------------------------------------------
    def prose(self, line: SheetLine, joined: str) -> list[Entry]:
        text = _torchinfo_units(joined)
        carried = self.carry
        self.carry = ""
        if self.pending_labels:
            labels, self.pending_labels = self.pending_labels, None
            return [self._columns(line, text, labels)]
        arrow = self._arrow_row(line, text)
        if arrow is not None:
            return [arrow]
        text = _QUESTION.sub("", text) if _QUESTION.match(text) else text  # "Q2) AlexNet ...": no label
        self.assignment = bool(rx(r"\s*[A-Za-z_][\w.]*\s*=\s*[\d(][\d\s*+\-/().x]*").fullmatch(text))
        symbolic = _symbolic_figures(text, line, carried, None)
        if symbolic:
            return [Entry(line.line, line.where, text, NO_LABEL, "", symbolic)]
        # a line under a label of its own ('conv1: 7x7, stride 2, 96 filters. (224 - 7 + 2P)/2 + 1 = 110') is one
        colon = rx(r"\s*(?:[-*•]\s+)?([A-Za-z][\w\-.]*(?: [\w\-.]+){0,2}?)\s*:\s").match(text)
        said = sentences(text) if not (colon and family_of_label(colon.group(1))) else (text,)
        if len(said) > 1:
            # "Pooling again gives 13x13x256. Conv3 has ... = 885,120 parameters": each sentence its own subject,
            # the context the line carried into every one of them
            out = []
            for sentence in said:
                entries = self._prose_part(line, sentence, carried)
                own = self.named(sentence)
                for e in entries:
                    e.named = e.named or own
                out += entries
            return out
        return self._prose_part(line, text, carried)

    def _prose_part(self, line: SheetLine, text: str, carried: str) -> list[Entry]:
        chunks = parts(text)
        if len(chunks) > 1:
            # "conv3: 13x13x384, conv4: 13x13x384" and "MACs: 1x1: ...; 3x3: ...; total = ...": one entry per label,
            # the words of the first (a quantity) the context of the others; a part that names its own network
            # ("Naive MACs = ..., reduced MACs = ...") is about that one
            out: list[Entry] = []
            lead = ""
            for k, chunk in enumerate(chunks):
                entries = self._prose_chunk(line, chunk, carried if k == 0 else carried + " " + lead)
                if k == 0:
                    lead = _split_label(chunk)[0] or ""
                    # "conv layers ~ 2.5M params, FC layers ~ 58.6M", "conv MACs ~ 1.08B vs FC ~ 58.6M": the next part
                    # is of the quantity the words of the first gave its figure
                    worded = [f.quantity for e in entries for f in e.figures
                              if f.quantity in QUANTITY and f.how.startswith("the word")]
                    said = worded[0] if worded else None if quantity_named(lead) else quantity_words(chunk)
                    if said:
                        lead = f"{lead} {said}".strip()
                own = self.named(chunk)
                for e in entries:
                    e.named = own
                    if k > 0 and rx(r"(?i)\blayers\b").search(lead) and \
                            rx(r"(?i)\s*(?:fc|conv|pool|dense|linear)\s*").fullmatch(e.label.text):
                        # "conv layers: ~1.08B MACs vs FC ~ 58.6M": a family named like the group before it
                        e.label = read_label(f"{e.label.text.strip()} layers")
                out += entries
            return out
        return self._prose_chunk(line, text, carried)

    def _chunk_label(self, line: SheetLine, text: str, carried: str) -> tuple[str | None, str, str]:
        """A chunk's label and the rest, as written: the first of a range of layers, no prompt ('Q:', 'Hint:') and
        no letter given a value ('For N = 3'), the layer of a quantity's label ('Naive MACs: 1x1: ...')."""
        label, rest = _split_label(text)
        span = _LAYER_RANGE.fullmatch(label or "")
        if span:
            # "conv3_1 .. conv3_4: 56x56x256 = 802,816 each; params 295,168 then 590,080 x 3": the figures are the
            # first layer's; what follows 'then' is about the others, listed for a human
            label = span.group(1)
            cut = rx(r"\bthen\b").search(rest)
            if cut:
                self.unread.append((line.line, line.where, f"{text[:200]} (after 'then': the range's other layers)"))
                rest = rest[:cut.start()]
        if label and rx(r"(?i)\s*(?:for|with|let|where|if|when)?\s*[A-Za-z]\s*").fullmatch(label):
            label, rest = None, text  # "For N = 3, F = 5: ...": the problem's letters given values, not a label
        if label and _PROMPT.fullmatch(label):
            label = None  # "Q: what is the output volume size? Hint: (227-11)/4+1 = 55": a prompt, not a layer
        inner = rx(r"\s*(\d{1,2}\s*[x×]\s*\d{1,2}|[A-Za-z][\w-]*\s*\d{0,2})\s*:\s*(?=[\d(\[~$])").match(rest)
        if label and inner and (quantity_named(label) or mentions(label)) and \
                (family_of_label(inner.group(1)) or rx(r"\d").match(inner.group(1))):
            # "Naive MACs: 1x1: 32*32*128*256 = ...": the first label says what, the second which layer
            carried, label, rest = f"{carried} {label}".strip(), inner.group(1), rest[inner.end():]
        return label, rest, carried

    def _prose_chunk(self, line: SheetLine, text: str, carried: str) -> list[Entry]:
        label, rest, carried = self._chunk_label(line, text, carried)
        lead = label or (text.split(":")[0] if ":" in text[:60] else "")
        if lead and (_HYPER.search(lead.strip() + " ") or rx(r"(?i)\berror\b|\baccuracy\b").search(lead)):
            return []  # "Learning rate: 0.1, ...", "Batch size 128", "top 5 error: 16.4% -> 11.7%": no arithmetic
        unit_of_label = label if label and header_unit(label) else ""
        label_line = _label_only(text)
        if label_line:
            self.block_label = label_line
            return []
        column = quantity_named(carried[-60:]) if carried and not rx(r"\d").search(carried[-60:]) else None
        column = column or self.list_quantity
        how = "prose"
        output_layer = False
        if label:
            column = quantity_named(label) or column
            quantity_word = only_quantity_words(label)
            if rx(r"\s*output(?:\s+layer)?\s*", re.I).fullmatch(label) and _LEARNED_WORDS.search(rest):
                column, quantity_word = None, False  # 'Output: 84 -> 10, params = 850': the output layer
                output_layer = True
            if column and (family_of_label(label) is None or quantity_word) and not mentions(label):
                label, how = self.block_label, "block"  # "Memory: ..." about the layer named above, or the total
            if label and mentions(label):
                blanked = _blank(label, [(m.start, m.end) for m in mentions(label)])
                blanked = rx(r"\b(?:q(?:uestion)?\s*\d+\)?|part\s*\w\)?|\(\w\))", re.I).sub(" ", blanked)
                blanked = blanked.strip(" :-()")
                if quantity_named(blanked) and not strip_quantity_words(blanked):
                    label, how = None, ""  # "Naive module output": the network's own output, not a layer's
                else:
                    label = blanked if family_of_label(blanked) else None
            if label and how == "prose" and family_of_label(label) is None and len(label.split()) >= 3:
                # "the paper's C3 only connects some maps: 1516 params": a sentence that names its layer
                named_layer = _layer_in_sentence(label)
                label, how = (named_layer, "sentence") if named_layer else (label, how)
        if not label:
            label = _layer_in_sentence(rest) or ""
            how = "sentence" if label else ""
            if not label and rx(r"\s*(?:its|it|this|that|the same|which)\b", re.I).match(rest):
                label, how = self.last_label, "sentence"
            if not label and self.parent is not None and line.indent >= self.parent[0] + 2:  # one space: OCR noise
                label, how = self.parent[1], "indented under its layer's line"
            if not label and self.block_label:
                label, how = self.block_label, "block"  # a layer's block: 'First layer (CONV1): ...', then 'Q: ...'
        self.last_label = label or ""
        entry = Entry(line.line, line.where, text, read_label(label) if label else NO_LABEL, how)
        self._configure(entry, rest)
        if label and quantity_named(label) and carried:
            carried = ""  # "Total weights ~ 143.7M; total activations ~ 16.5M": a part's own words say its quantity
        context = (carried + " " if carried else "") + \
            (f"{text[:len(text) - len(rest)]} " if rest != text and not output_layer else "")
        entry.figures = self.figures(line, rest, column, unit_of_label, prose=True, entry=entry, before=context)
        self._family_list(entry, rest)
        _units_after_arrow(entry, text[:len(text) - len(rest)], rest)
        self._around(line, entry, bool(label), carried)
        return self._split_sentences(entry)

    def _family_list(self, entry: Entry, text: str) -> None:
        """'The three fully connected layers have 102,764,544, 16,781,312 and 4,097,000 parameters': a list of bare
        figures for the layers of one family, in order (how many the words say, else one per figure)."""
        m = FAMILY_LIST.search(text)
        bare = [f for f in entry.figures if f.work is None and isinstance(f.value, Number)]
        if m is None or len(bare) < 2 or len(bare) != len(entry.figures) or \
                not rx(r"[\d\s.,KkMG]*(?:,|\band\b)[\d\s.,KkMG]*").search(text[m.end():]):
            return
        fam = family_of_label(m.group(2))
        if fam not in ("conv", "fc", "pool"):
            return
        n = m.group(1)
        count = int(n) if n and n.isdigit() else COUNT_WORDS.get((n or "").lower(), len(bare))
        self.series += 1
        for i, f in enumerate(bare):
            f.series, f.index = self.series, i
        _name_series(entry.figures, self.series)
        entry.series_layers = f"family:{fam}:{count}"

    def _around(self, line: SheetLine, entry: Entry, labelled: bool, carried: str) -> None:
        """What the lines around an entry say of it: the layer of the line above, the quantity of a working of the
        same form there, the one quantity the problem's heading names, the layer a carried sentence names."""
        if not labelled and self.above is not None and self.above[0] == line.line - 1 and \
                any(len(products(f.terms)) == 1 and f.quantity in _LAYER_WORKED for f in entry.figures):
            # "Conv3 : 512 filters 3x3 -> 13x13x512" then "Params = 3x3x256x512+512 = 1,180,160": one layer's working
            # on the line right under that layer's
            entry.label, entry.label_how = read_label(self.above[1]), _UNDER
        self._as_line_above(line, entry)
        topic_q = the_one_quantity_named(self.topic)
        for f in entry.figures:
            if f.quantity is None and topic_q and not f.is_shape:
                f.quantity, f.how = topic_q, "the problem's heading (the one quantity it names)"

        kept: list[Figure] = []
        for f in entry.figures:
            if not (kept and _field_restated(kept[-1], f)):  # "... -> 13 => 13x13"
                kept.append(f)
        entry.figures = kept
        for k, f in enumerate(kept):
            shape = f.value if isinstance(f.value, tuple) else ()
            if len(shape) == 2 and shape[0] == shape[1] and topic_q == "rf" and f.how == "written as a shape":
                # "So three layers see 13x13" under 'Receptive field': a square with no words is the field's side
                kept[k] = replace(f, value=Number(Fraction(shape[0]), Fraction(0), f.written), quantity="rf",
                                  how="a square under the problem's heading (the receptive field)")
        if not labelled and carried:
            sentence = _layer_in_sentence(carried)
            if sentence:
                entry.label, entry.label_how = read_label(sentence), "sentence"

    def _as_line_above(self, line: SheetLine, entry: Entry) -> None:
        """'FC6 : 6x6x512x4096 = 75,497,472 weights' then 'FC7 : 4096x4096 = 16,777,216': a working of the same
        form for a layer of the same family, on the next line, is the same quantity (the words said it once)."""
        worked = [f for f in entry.figures if f.work and len(products(f.terms)) == 1 and not f.is_shape]
        before, self.worded = self.worded, None
        if len(worked) != 1 or entry.label.family in (None, "total", "input"):
            return
        f = worked[0]
        if f.quantity is not None:
            if f.how.startswith("the word"):
                self.worded = (line.line, entry.label.family, f.quantity, len(f.terms))
            return
        if before is not None and before[0] == line.line - 1 and before[1] == entry.label.family and \
                before[3] == len(f.terms):
            f.quantity, f.how = before[2], "the words of the line above, whose working has the same form"
            self.worded = (line.line, *before[1:])

    def _split_sentences(self, entry: Entry) -> list[Entry]:
        """A line of two clauses about different subjects ('The input is 150,528-dimensional, and ... the
        remaining layers ... 253,440, 186,624, ...'): the list of a network's layers is its own entry; so is a
        progression through the layers ('RF: 5 -> 9 -> 13', one figure per weighted layer, in order)."""
        chain = PROGRESSION.search(entry.text) or GROWING.search(entry.text)
        steps = [int(x) for x in rx(r"\d+").findall(chain.group(0))] if chain else []
        if chain is not None and chain.re is GROWING and any(b <= a for a, b in pairwise(steps)):
            chain = None  # a comma list is a progression only where it grows ('5, 9, 13': a field, layer by layer)
        if chain is not None and not entry.series_layers:
            bare = [f for f in entry.figures if f.work is None and isinstance(f.value, Number)]
            run = next((bare[i:i + len(steps)] for i in range(len(bare) - len(steps) + 1)
                        if [getattr(f.value, "value", None) for f in bare[i:i + len(steps)]] == steps), None)
            said = {f.quantity for f in run or ()} - {None}
            if run is not None and len(said) == 1:
                for f in run:  # 'receptive field: 5 -> 9 -> 13': the words before the chain name all of it
                    if f.quantity is None:
                        f.quantity, f.how = next(iter(said)), "the words before the chain it is part of"
            if run is not None and len({f.quantity for f in run}) == 1:
                self.series += 1
                for i, f in enumerate(run):
                    f.series, f.index = self.series, i
                series = Entry(entry.line, entry.where, entry.text, NO_LABEL, "series", run, series_layers="weighted")
                entry.figures = [f for f in entry.figures if f not in run]
                return [entry, series] if entry.figures else [series]
        listed = [f for f in entry.figures if f.series is not None]
        if not listed or \
                not rx(r"remaining layers|each layer|layers? (?:is|are) given by|per layer", re.I).search(entry.text):
            return [entry]
        series = Entry(entry.line, entry.where, entry.text, NO_LABEL, "series", listed, series_layers="weighted")
        entry.figures = [f for f in entry.figures if f.series is None]
        return [entry, series]

    def _columns(self, line: SheetLine, text: str, labels: list[str]) -> Entry:
        """Figures under a row of labels: 'L1 L2 ... L8' then '35k 307k ... 4M -> 60M'."""
        entry = Entry(line.line, line.where, text, NO_LABEL, "column")
        figures = self.figures(line, text, None, "", prose=True, entry=entry, keep_bare=True)
        self.series += 1
        for i, f in enumerate(figures):
            f.series, f.index = self.series, i
            if i >= len(labels):
                f.kind = "total"
        entry.figures = figures
        entry.series_layers = "labels:" + ",".join(labels)
        return entry

    def _arrow_row(self, line: SheetLine, text: str) -> Entry | None:
        """'(27 x 27 x 96) -> MAX POOL 1 -> 3x3 filters at stride 2': a layer's output, then its label and
        configuration (a ditto mark '(")' repeats the shape above)."""
        m = rx(r"\s*\(\s*([^()]*?)\s*\)\s*(?:}\s*)?->\s*([^->]+?)\s*(?:->|<-|$)(.*)").match(text)
        if not m:
            self.last_shape = None
            return None
        inside, label, config = m.group(1), m.group(2).strip(), m.group(3)
        cut = rx(r"([A-Za-z]+(?:\s+[A-Za-z]+)*\s*\d*[a-z]?)(?=\s+\d|\s*$|\s*[,;(<]|(?<=\d)\s+[A-Za-z])").match(label)
        if cut and cut.group(1).strip() != label:
            label, config = cut.group(1).strip(), label[cut.end():] + " " + config
        read = read_label(label)
        if read.family is None:
            return None
        entry = Entry(line.line, line.where, text, read, "row")
        self._configure(entry, config)
        written = inside.strip()
        if rx(r"[\"'”“〃]+").fullmatch(written) and self.last_shape is not None:
            value: tuple | None = self.last_shape
            how = "a ditto mark: the shape above"
        else:
            value = _shape(f"({written})") if rx(r"[x×*]").search(written) else None
            if value is None and rx(r"\d+").fullmatch(written):
                value = (int(written),)
            how = "written before the layer, as its output"
            if value is not None and len(value) > 3:
                return None  # (6 x 6 x 256 x 4096): a product with no value
        if value is None:
            return None
        self.last_shape = value
        entry.figures = [Figure(line.line, line.where, f"({written})", value, quantity="output", how=how)]
        return entry

    # figures in a cell ----------------------------------------------------------------------------
    def figures(self, line: SheetLine, text: str, column: str | None, head: str, *, prose: bool = False,
                column_index: int | None = None, entry: Entry | None = None, before: str = "",
                keep_bare: bool = False) -> list[Figure]:
        """The figures of a cell or a line: each run of arithmetic read with the words around it, then the
        figures that belong together joined (a size formula and its shape; a list and its words)."""
        if prose:
            text = _blank_names(text)
        found = runs(text)
        symbolic = _symbolic_spans(text)
        out: list[Figure] = _symbolic_figures(text, line, before, column)
        series_id = None
        if _is_listing(text, list(found), prose) and not keep_bare:
            self.series += 1
            series_id = self.series
        last_end = 0
        previous_run: Run | None = None
        taken = 0  # the words after the figure before that named its quantity ('4096 act., 25088*4096 + 4096')
        skipped = False
        for r in found:
            context = text[last_end:r.start]
            last_end = r.start + len(r.text)
            after = text[last_end:last_end + 40]
            if _passed_over(r, text, context, after, skipped) or _skipped(r, context, after, out, symbolic, prose):
                skipped = True  # ('top 5 error 16.4% -> 11.7%': the second rate too)
                continue
            skipped = False
            own = context[taken:] if taken <= len(context) else context
            clause = rx(r"[;]|\band\b(?!\s+bias)|,\s(?=[A-Za-z])").split(before + own)[-1][-60:]
            words, how = _after_the_figure_before(*_words_of(clause, after, column, prose), out, r, context)
            taken = _AFTER_WORDS.match(after).end() if how == "the word after it" else 0  # type: ignore[union-attr]
            if previous_run is not None and _result_in_brackets(previous_run, r, context):
                # "112 x 112 x 128 (1,605,632)": the working, then its result in brackets
                if out and out[-1].work is None and out[-1].written == previous_run.expression:
                    out.pop()
                r = Run(previous_run.text + " = " + r.text, previous_run.start, previous_run.expression,
                        (r.result or "").strip("()[] "), False)
            previous_run = r
            figs = self.figure(line, r, words, how, context + " " + head, before + context, after)
            if _BACKWARD_AFTER.match(after):
                for f in figs:  # "~122 MB with backward": forward and backward, said after the figure
                    if f.quantity == "bytes":
                        f.quantity, f.how = "bytes-fb", "the words after it (with the backward pass)"
            _add(out, figs, context, column_index, series_id, text[max(0, r.start - 80):r.start])
        merged = _with_size_formulas(out)
        if entry is not None:
            for f in merged:
                for key, value in _size_formula(f.size_work or f.work).items():
                    if getattr(entry, key) is None:
                        setattr(entry, key, value)
        if series_id is not None:
            _name_series(merged, series_id)
        if any(f.is_shape and not f.from_working for f in merged):
            merged = [f for f in merged if not f.from_working]
        shapes = [f.value for f in merged if isinstance(f.value, tuple) and not f.from_working]
        if entry is not None and len(shapes) == 1:
            self.last_shape = shapes[0]
        return merged

    def figure(self, line: SheetLine, r: Run, quantity: str | None, how: str, context: str,
               clause: str, after: str = "") -> list[Figure]:
        """The figure (or figures) one run of arithmetic states: a shape, a program's value, or a number whose
        quantity the words, the unit or the form of the working say."""
        written = r.result if r.result is not None else r.expression
        if written is None:
            return []
        written = written.strip()
        sci = _scientific(written)
        if sci is not None:
            r = Run(r.text, r.start, None if r.result is None else r.expression, sci, r.bracketed, r.middle)
            written = sci

        def at(**kw: Any) -> Figure:
            return Figure(line=line.line, where=line.where, context=clause[-120:], **kw)

        shaped = _as_shape(r, written, quantity, how, at)
        if shaped is not None:
            return shaped
        if r.result is None:
            return self._assigned(r, quantity, how, at)
        unit = header_unit(context)
        scaled = f"{written} {unit}" if unit and rx(r"[~≈]?\s*[\d.,' ]+").fullmatch(written) else written
        try:
            number = parse_number(_number_text(scaled),
                                  bytes_unit=bool(rx(r"[KMG]i?B\s*$|bytes?").search(scaled)))
        except ClaimsError:
            return []
        if number.value < 0:
            return []
        work = r.expression
        terms = terms_of(work)
        q, how = _quantity_of(written, work, terms, quantity, how, clause, r.text + context[-3:])
        valued = work
        step = next((m for m in reversed(r.middle) if rx(r"\d\s*[-+*/x×]\s*\(?\d").search(m)), None)
        if step is not None and value_or_none(work) == value_or_none(r.middle[0].split("+")[0].split("-")[0]):
            valued = step  # "3*3*3*64 = 1,728 + 64 = 1,792": the result is its last step's; the first step checked out
        if work and q in ("bytes", "bytes-fb"):
            # '16.5M x 4 B': 4 bytes, not 4 billion
            valued = rx(r"(?<![\d.,])(\d{1,2})\s*(?:B|bytes?)\b").sub(r"\1", work)
        figures = [at(written=written, value=number, work=work, work_value=value_or_none(valued), terms=terms,
                      quantity=q, how=how, kind=_kind(written, number, clause, q, after))]
        # "memory: 224*224*64 = 3.2M": the working names the layer's output shape too
        if terms and len(terms) == 1 and len(terms[0]) == 3 and q in ("activations",) and \
                terms[0][0] == terms[0][1] and not r.bracketed:
            figures.insert(0, at(written=work, value=tuple(terms[0]), quantity="output",
                                 how="the factors of the working", from_working=True))
        if work and q == "bytes":
            figures[:0] = _scaled_start(work, clause, quantity, at)
        return figures

    def _assigned(self, r: Run, quantity: str | None, how: str, at: Callable[..., Figure]) -> list[Figure]:
        """An expression printed with no value: a claim only as a program's assignment ('conv2 = 5*5*16*16 + 16'
        in a code cell: the program computes the value the student claims)."""
        if not self.assignment or r.expression is None:
            return []
        value = value_or_none(r.expression)
        if value is None:
            return []
        terms = terms_of(r.expression)
        q = quantity or working_form(terms)
        return [at(written=r.expression, value=Number(value, Fraction(0), r.expression), work=r.expression,
                   work_value=value, terms=terms, quantity=q, how=how or ("the form of the working" if q else ""))]


def _after_the_figure_before(words: str | None, how: str, out: list[Figure], r: Run,
                             context: str) -> tuple[str | None, str]:
    """A figure's quantity from the figure just before it: the same figure restated, a percentage in brackets (its
    share), the memory of the parameters just counted."""
    last = out[-1] if out else None
    if last is None or not isinstance(last.value, Number):
        return words, how
    if last.quantity in ("params", "weights") and _PARAM_MEMORY.fullmatch(context) and \
            rx(r"\s*[~≈]?\s*[\d.,]+\s*(?:[KMG]i?B|bytes)\b").match(r.text):
        # "62.38M parameters ~ 238 MiB in float32": the parameters' memory, not the activations'
        return "params-bytes", "the parameters before it, in bytes"
    if r.expression is None and (r.result or "").rstrip(" )").endswith("%") and \
            rx(r"\s*(?:[A-Za-z]+\s*){0,2}\(?\s*").fullmatch(context) and last.quantity in _LAYER_WORKED and \
            (r.text.lstrip().startswith("(") or context.rstrip().endswith("(")):
        # "20,024,384 parameters (14%)": a percentage in brackets after a figure is its share of that quantity
        return last.quantity, "the figure before it (a share of its quantity)"
    if words is None and last.quantity in QUANTITY and QUANTITY[last.quantity].additive and \
            _RESTATED.fullmatch(context):
        # "62,378,344 parameters, about 62.4 million": the same figure said again, rounded
        return last.quantity, "the figure before it, restated"
    return words, how


def _passed_over(r: Run, text: str, context: str, after: str, skipped: bool) -> bool:
    """A number no claim by what is around it in the line: the second rate of 'top 5 error 16.4% -> 11.7%' (the
    first was passed over), a branch's filters in its label ('1x1 reduce 32 -> 5x5 96: ...')."""
    if skipped and (r.result or "").rstrip().endswith("%") and rx(r"\s*(?:->|→|=>|to)\s*").fullmatch(context):
        return True
    return r.expression is None and bool(rx(r"\s*:").match(after)) and \
        bool(rx(r"(?i)(\d{1,2})\s*[x×]\s*\1\s*(?:conv\w*|reduce|proj\w*)?\s*,?\s*$").search(text[:r.start]))


def _units_after_arrow(entry: Entry, head: str, rest: str) -> None:
    """'fc6 -> 4096 ; params = ...': after the arrow from a fully connected layer, its units (its output), as
    'conv1 -> 55x55x96' is the convolution's."""
    first = entry.figures[0] if entry.figures else None
    if first is not None and first.quantity is None and first.work is None and entry.label.family == "fc" and \
            rx(r"(?:->|→|=>)\s*$").search(head) and \
            rx(r"\s*" + re.escape(first.written) + r"\s*(?:[;,]|$)").match(rest):
        first.quantity, first.how = "output", "after the arrow from its layer (its units)"


def _is_listing(text: str, found: list[Run], prose: bool) -> bool:
    """A sentence that lists bare figures ('... is given by 253,440, 186,624, 64,896'): one series."""
    bare = [r for r in found if r.expression is None and r.result is not None]
    if not prose or len(bare) < 3:
        return False
    unworded = rx(r"[A-Za-z(][\w\s'’().-]*?(?:is|are|by|:)\s").sub("", text)
    if len(bare) == len(found) and rx(r"[\s\d.,KkMGB%~≈-]*(?:->.*)?").fullmatch(unworded) is not None:
        return True
    return bool(rx(r"\d,\d{3}\s*,\s+\d{1,3},\d{3}").search(text))  # "253,440, 186,624": not one grouped number


def _skipped(r: Run, context: str, after: str, out: list[Figure], symbolic: tuple[tuple[int, int], ...],
             prose: bool) -> bool:
    """A run that is no figure: the tail of other arithmetic, a number inside a formula with symbols, a layer's
    configuration in a sentence, or a layer's size as the problem gives it."""
    if rx(r"[*x×/+^-]\s*~?\s*$").search(context) and r.expression is None and out:
        return True  # "~*2 for bwd": the tail of arithmetic that is not a figure
    if any(a <= r.start < b for a, b in symbolic):
        return True  # a number inside a formula with symbols (L - F + 1, 2F): no figure
    if prose and _not_a_figure(context, after, r):
        return True
    # "-> 4096 neurons": the layer's size, as the problem gives it
    return bool(rx(r"->\s*$").search(context) and rx(r"\s*(?:neurons|units)\b").match(after))


#: the words right after a figure that may name its quantity ('3,211,264 act.', '76 params per filter')
_AFTER_WORDS = re.compile(r"\s*-?\s*([A-Za-z-]+(?:\s+[A-Za-z-]+){0,2})(\s*[:=])?")


#: the words between a figure and the same figure said again: ', about', ' parameters, i.e.', ' (or'
_RESTATED = re.compile(r"\s*(?:[A-Za-z]+\s*)?[,;(]?\s*(?:about|approx\w*\.?|roughly|around|nearly|almost|i\.e\.?,?|"
                       r"that\s+is|or|~|≈)\s*", re.I)


#: between a count of parameters and its memory: ' parameters ~ ', ' params, i.e. ', ' weights -> '
_PARAM_MEMORY = re.compile(r"\s*(?:param\w*|weights?)?\s*[,;(]?\s*(?:≈|~|=|->|→|about|approx\w*\.?|i\.e\.?,?|or|"
                           r"which\s+is|that\s+is|takes?|needs?|occup\w+)?\s*", re.I)


def _words_of(clause: str, after: str, column: str | None, prose: bool) -> tuple[str | None, str]:
    """The quantity the words before a figure (or, in prose, the word after it) or its column header name."""
    named = quantity_named(clause)
    words, how = named or column, "the words before it" if named else ("the column header" if column else "")
    if prose:
        m = _AFTER_WORDS.match(after)
        # ('..., plus 10 biases = 760 parameters': a term added in, named by its word though a total follows)
        added = bool(rx(r"(?i)(?:\bplus|\+|\band)\s*$").search(clause))
        named_after = quantity_named(m.group(1)) if m and (not m.group(2) or added) and \
            not rx(r"(?i)(?:and|or|but|while|whereas|vs|versus|then|so|than)\b").match(m.group(1)) else None
        # ('13x13 and the receptive field 13': the words after 'and' are the next figure's)
        if named_after:
            words, how = named_after, "the word after it"
    return words, how


def _result_in_brackets(previous: Run, r: Run, context: str) -> bool:
    """A product with no value followed by a bare number in brackets or after '=': its result."""
    return previous.result is None and bool(previous.expression) and r.expression is None and \
        r.result is not None and \
        bool(rx(r"\s*[(=]\s*").fullmatch(context) or (not context.strip() and r.text.startswith("(")))


def _add(out: list[Figure], figs: list[Figure], context: str, column_index: int | None,
         series_id: int | None, preceding: str = "") -> None:
    """A run's figures added to the line's: a bare total after weights and biases is parameters; a figure restated
    in brackets ('50,844,008 parameters (about 50.8M)') is dropped."""
    said = {g.quantity for g in out}
    if rx(r"(?:\b(?:total|sum|together|altogether)\b\s*(?:of\s*)?[:=]?|⟹|=>|⇒|->|→)\s*$", re.I).search(context) and \
            {"weights", "biases"} <= said:
        for f in figs:
            if f.quantity is None:
                f.quantity, f.how = "params", "'total' after the weights and the biases"
    if rx(r"(?:weights?\s*\+\s*[\d,.]+\s*bias(?:es)?|bias(?:es)?\s*\+\s*[\d,.]+\s*weights?)\s*=\s*$",
          re.I).search(preceding):
        for f in figs:  # "34,848 weights + 96 biases = 34,944": the sum of the two is the parameters
            if f.quantity in (None, "weights", "biases") and f.work is None:
                f.quantity, f.how = "params", "the sum of the weights and the biases before it"
    in_brackets = bool(rx(r"\(\s*(?:about|approx\w*|~|≈|i\.e\.|or)?\s*$").search(context))
    for f in figs:
        if out and f.quantity in (None, "output") and _field_restated(out[-1], f):
            continue  # "receptive field ... = 13, so 13x13": the same field restated as a square
        f.column = column_index
        if series_id is not None and f.work is None and not f.is_shape:
            f.series, f.index = series_id, sum(1 for g in out if g.series == series_id)
        last = out[-1].value if out else None
        if in_brackets and isinstance(f.value, Number) and isinstance(last, Number) and last.value and \
                f.value.matches(last.value):
            continue
        out.append(f)


def _field_restated(before: Figure, f: Figure) -> bool:
    """A square shape right after a receptive field of its side: the same field said again ('13, so 13x13')."""
    square = isinstance(f.value, tuple) and len(f.value) == 2 and f.value[0] == f.value[1]
    return square and before.quantity == "rf" and isinstance(before.value, Number) and \
        before.value.value == f.value[0]  # type: ignore[index]


def _with_size_formulas(out: list[Figure]) -> list[Figure]:
    """An output-size formula before the shape it gives: one figure, the formula its working."""
    merged: list[Figure] = []
    for f in out:
        prev = merged[-1] if merged else None
        if isinstance(f.value, tuple) and prev is not None and isinstance(prev.value, Number) and prev.work and \
                prev.value.value == f.value[0] and rx(r"/|ceil|floor").search(prev.work):
            f.size_work = merged.pop().work
        merged.append(f)
    return merged


def _name_series(figures: list[Figure], series_id: int) -> None:
    """A list's words name all of it: 'the number of neurons ... is given by 253,440, 186,624, ...'."""
    said = next((f for f in figures if f.series == series_id and f.quantity), None)
    if said is None:
        return
    for f in figures:
        if f.series == series_id and f.quantity is None:
            f.quantity, f.how = said.quantity, f"{said.how} (the list's words)"


def _as_shape(r: Run, written: str, quantity: str | None, how: str,
              at: Callable[..., Figure]) -> list[Figure] | None:
    """A shape: [224x224x64], (27 x 27 x 96), a product written as the result (= 32 * 32 * 672), or a product with
    no result where a shape is expected; a square 'shape' where a receptive field is asked is its side."""
    shape = None
    if r.bracketed or (r.result is not None and rx(r"\d\s*[x×*]\s*\d").search(r.result)) or \
            (r.result is None and quantity in ("output", None, "rf")) or \
            (r.result is None and quantity == "activations" and
             rx(r"^\s*\d+\s*[x×]\s*\d+\s*[x×]\s*\d+\s*$").match(written)):
        # "the naive module outputs 32x32x672": a volume written as a shape where its activations are named
        shape = _shape(written)
    if shape is not None and len(shape) == 4 and quantity != "output":
        shape = None  # (6 x 6 x 256 x 4096): a product printed with no value
    if shape is not None and r.result is None and rx(r"\d,\d{3}\s*[x×*]\s*\d{1,2}\s*$").search(written):
        return []  # "590,080 x 3": a figure written again for three layers, not a shape
    if shape is not None and len(shape) == 2 and shape[0] == shape[1] <= 11 and quantity is None and r.result is None:
        return []  # "before the 3x3 and 5x5": a kernel named in words, not an output shape
    if shape is not None and len(shape) == 2 and shape[0] == shape[1] and quantity == "rf":
        return [at(written=written, value=Number(Fraction(shape[0]), Fraction(0), written), quantity="rf", how=how)]
    if shape is not None and len(shape) >= 2:
        work = r.expression if r.result is not None else None
        return [at(written=written, value=shape, quantity="output", how=how or "written as a shape", work=work)]
    return None


#: the form of an output-size formula, however its padding is written: (W - F + 2P)/S + 1, (110 - 3 + 2)/2 + 1
_SIZE_FORM = re.compile(r"\s*\(\s*\d+\s*-\s*\d+\s*(?:\+\s*\d+\s*(?:[*x×]\s*\d+\s*)?)?\)\s*/\s*\d+\s*\+\s*1\s*")


def _quantity_of(written: str, work: str | None, terms: tuple[tuple[int, ...], ...], quantity: str | None,
                 how: str, clause: str, near: str) -> tuple[str | None, str]:
    """A number's quantity: the words (given), else its unit, else the form of its working."""
    q = quantity
    if q == "params-bytes":
        return q, how
    if rx(r"[KMG]i?B\s*$|\bbytes\b", re.I).search(written) or (rx(r"[KMG]i?B\b").search(written) and not q):
        q, how = "bytes", "its unit"
    form = working_form(terms) if terms else None
    if q is None and form:
        q, how = form, "the form of the working"
    if q is None and work and (rx(r"ceil|floor").search(work) or _size_formula(work) or _SIZE_FORM.fullmatch(work)):
        q, how = "size", "the form of the working (an output-size formula)"
    if q in ("output", "size") and quantity is not None and form in ("params", "weights", "macs"):
        # "Output: 84*10 + 10 = 850": the working counts parameters; "Output" names the layer, not a shape
        q, how = form, "the form of the working"
    if q == "bytes" and rx(r"backward|bwd|fwd\s*\+|\bx\s*2\b|\*\s*2\b", re.I).search(clause[-50:]):
        q, how = "bytes-fb", "the words before it (forward and backward)"
    if rx(r"-\s*dimensional", re.I).search(near):
        q, how = "activations", "the word after it"
    return q, how


def _kind(written: str, number: Number, clause: str, quantity: str | None = None, after: str = "") -> str:
    """'figure', a 'ratio' / 'saving' where the clause compares two networks, or a 'share' (a percentage of a
    count: 'about 94% of the parameters are in the FC layers')."""
    if _TIMES_AFTER.match(after) and not written.rstrip().endswith("%"):
        return "ratio"  # "12x less than AlexNet", "2.8 times fewer": a factor between two networks
    if written.rstrip(" )]").endswith("%") and \
            rx(r"(?i)\s*(?:fewer|less|cheaper|smaller|lower|sav\w*|reduction|reduced\s+by)\b").match(after):
        return "saving"  # "-> 64 % fewer": a saving, said after the figure
    of = rx(r"(?i)\s*of\s+(?:the\s+)?(?=\S)").match(after)
    named = mentions(after[of.end():of.end() + 30]) if of else ()
    if written.rstrip(" )]").endswith("%") and of and \
            ((named and named[0].start == 0) or rx(r"(?i)\s*of\s+(?:the\s+)?\s{4,}\S").match(after)):
        # (in prose the name is blanked before this runs: 'of the naive one' reads 'of the          ')
        return "ratio"  # "costs 35.6% of the naive one": one network's cost as a percentage of another's
    tail = clause[-40:]
    if "/" in tail and ((_QUOTIENT_BEFORE.search(tail) and mentions(tail)) or _BLANKED_QUOTIENT.search(tail)):
        return "ratio"  # "Reduced/naive = 0.356": the quotient of two networks' costs
    if not (_RATIO.search(clause) or _SAVING.search(clause)):
        if written.rstrip(" )]").endswith("%") and quantity is not None and QUANTITY[quantity].additive:
            return "share"
        return "figure"
    if not (written.endswith("%") or number.value < 1 or _RATIO.search(clause)):
        return "figure"
    saving = _SAVING.search(clause) and (written.endswith("%") or not _RATIO.search(clause)) and \
        not rx(r"factor|times", re.I).search(clause)
    return "saving" if saving else "ratio"


def _scaled_start(work: str, clause: str, quantity: str | None, at: Callable[..., Figure]) -> list[Figure]:
    """'24M * 4 bytes = 96MB': a scaled figure the working starts from is the student's own figure."""
    m = rx(r"\s*(~?\s*\d[\d.,]*\s*[KMG])\s*[*x×]").match(work)
    if not m:
        return []
    first_text = m.group(1).strip()
    before_q = quantity_named(clause.split(first_text)[0][-40:]) if first_text in clause else None
    try:
        first = parse_number(m.group(1))
    except ClaimsError:
        return []
    said = before_q or (quantity if quantity != "bytes" else None)
    if said is None:
        return []
    return [at(written=first_text, value=first, quantity=said, how="the words before it")]


def _number_text(text: str) -> str:
    t = text.strip().strip("()[]").strip()
    return rx(r"\s*(?:parameters|params|weights|biases|flops|macs|activations|bytes)\s*$", re.I).sub("", t)


def read_figures(lines: list[SheetLine]) -> Reading:
    """Every figure of a sheet with its evidence, in sections; knowing no network."""
    return _Reader().read(lines)


def read(text: str, filename: str = "<sheet>", fmt: str | None = None) -> Reading:
    return read_figures(read_sheet(text, filename, fmt))


__all__ = ["Entry", "Figure", "Label", "Reading", "Section", "clean", "read", "read_figures", "read_label",
           "terms_of", "working_form"]
