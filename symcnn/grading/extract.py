"""Finding the claims in an answer sheet: each figure with its line, the network, the
layer (by label, then by order and kind) and the quantity (from the column header, the
words before it, the unit, and the shape of the student's expression).

>>> sheet = extract(read_sheet("VGG16\\nCONV3-64: [224x224x64] memory: 224*224*64=3.2M", "s.txt"))
>>> [(c.subject, c.quantity, c.claimed) for c in sheet.claims]
[('block1.conv1', 'output', '[224x224x64]'), ('block1.conv1', 'activations', '3.2M')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from .claims import Claim
from .labels import Mapper, features, networks_named
from .numbers import ClaimsError, Number, parse_number, parse_shape
from .sheets import SheetLine, read_sheet
from .work import Run, plain, runs, value_or_none

# the words that name a quantity, most specific first (a header "Parameters (Compute)" is parameters)
_QUANTITY_WORDS = (
    ("biases", r"bias"),
    ("weights", r"weight"),
    ("params", r"param|#\s*p\b"),
    ("bytes-fb", r"(?:forward\s*(?:\+|and)\s*backward|fwd\s*\+\s*bwd|backward).{0,20}(?:bytes|mb|memory)"),
    ("bytes", r"bytes|\bmb\b|\bkb\b|\bgb\b|mib|megabyte"),
    ("macs", r"\bmacs?\b|multipl|mult-?adds?|madds?|\bcosts?\b"),
    ("flops", r"flop|operations|\bops\b|comput"),
    ("rf", r"receptive"),
    ("jump", r"\bjump|effective\s+stride"),
    ("activations", r"activation|memory|neurons|elements|\boutputs\b"),
    ("output", r"output|size|shape|dimension|volume|tensor|feature\s*map|\bmaps?\b|\bdims?\b"),
)


def quantity_named(text: str) -> str | None:
    s = text.lower()
    for name, pattern in _QUANTITY_WORDS:
        if re.search(pattern, s):
            return name
    return None


_SAVING = re.compile(r"sav(?:e|es|ed|ing)|reduc|fewer|less|cheaper|smaller", re.I)
_RATIO = re.compile(r"ratio|times|fraction|factor", re.I)
_LABEL_END = re.compile(r"\s*(?::|=>|->|→|⇒|\s-\s|\s–\s|\)\s|=(?!>))")


@dataclass
class Sheet:
    """A sheet read: its claims, the lines with figures that could not be read as claims, what
    it says of itself (student), and how its networks were found."""

    claims: list[Claim]
    unread: list[tuple[int, str, str]] = field(default_factory=list)  # (line, where, text)
    meta: dict = field(default_factory=dict)
    networks: dict = field(default_factory=dict)  # network -> how it was found


def _number(text: str, quantity: str) -> Number | None:
    t = text.strip().strip("()[]").strip()
    t = re.sub(r"\s*(?:parameters|params|weights|biases|flops|macs|activations|bytes)\s*$", "", t, flags=re.I)
    try:
        return parse_number(t, bytes_unit=quantity.startswith("bytes") or bool(re.search(r"[KMG]i?B$", t)))
    except ClaimsError:
        return None


#: a tensor's shape as PyTorch prints it, batch first: [1, 64, 112, 112] (torchinfo), [-1, 64, 112, 112]
#: (torchsummary); the spaces after the commas tell it from a number with thousands separators
_TENSOR = re.compile(r"\[\s*-?1\s*,\s+(\d+(?:\s*,\s+\d+)*)\s*\]")


def _tensor_shape(cell: str) -> str:
    """A printed tensor shape as the shape a student writes: [1, 64, 112, 112] is 64x112x112 (C x H x W), the
    batch dimension dropped; [1, 1000] is the vector 1x1x1000."""
    m = _TENSOR.fullmatch(cell.strip())
    if not m:
        return cell
    dims = [d.strip() for d in m.group(1).split(",")]
    return "x".join(["1", "1", *dims] if len(dims) == 1 else dims)


def _summary_label(label: str) -> str:
    """A model summary's row label as a name: torchinfo's tree ('├─Conv2d: 1-1', '│    └─BasicBlock: 2-1')
    without its branches and its depth-index.  A container below the top level (a block, a shortcut's
    Sequential) is kept apart: only a top-level Sequential is a stage of the network."""
    s = re.sub(r"^[\s│├└─|`+\\-]+", "", label)
    m = re.search(r":\s*(\d+)-\d+\s*$", s)
    if not m:
        return s.strip() or label
    name = s[:m.start()].strip()
    if int(m.group(1)) > 1 and re.fullmatch(r"Sequential|ModuleList|ModuleDict|\w*Block|Bottleneck\w*", name):
        return f"{name} (nested container)"
    return name or label


def _shape(text: str) -> tuple[int, ...] | None:
    t = text.strip()
    if not re.fullmatch(r"[\[(]?\s*\d+(?:\s*[x×*,]\s*\d+){1,3}\s*[\])]?", t):
        return None
    try:
        return parse_shape(t)
    except ClaimsError:
        return None


def _without_networks(label: str) -> str:
    from .labels import _NETWORK_WORDS

    out = label
    for pattern, _ in _NETWORK_WORDS:
        out = re.sub(pattern, " ", out, flags=re.I)
    out = re.sub(r"\b(?:q(?:uestion)?\s*\d+\)?|part\s*\w\)?|\(\w\))", " ", out, flags=re.I)
    out = re.sub(r"\b(?:params|parameters|weights|biases|memory|activations|macs|flops|output|size|of|the|for|"
                 r"number|total\s+)\b", lambda m: m.group(0) if m.group(0).lower().startswith("total") else " ", out,
                 flags=re.I)
    return re.sub(r"\s+", " ", out).strip(" :-")


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8}


def _layer_in_sentence(text: str) -> str | None:
    """A layer a sentence is about: 'the first conv layer', 'conv3', 'FC-4096', 'the last pool'."""
    m = re.search(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|6th|7th|8th)\s+"
                  r"(conv\w*|pool\w*|max[- ]?pool\w*|fc|fully[- ]connected|linear|dense)", text, re.I)
    if m:
        kind = m.group(2).lower()
        kind = "conv" if kind.startswith("conv") else "pool" if "pool" in kind else "fc"
        return f"{kind}{_ORDINALS[m.group(1).lower()]}"
    m = re.search(r"\b((?:conv|pool|fc|maxpool|norm)\s?\d+(?:[_-]\d+)?|CONV\d-\d+|FC-\d+)\b", text, re.I)
    return m.group(1) if m else None


#: words after a number that make it part of a layer's configuration, not a figure to grade
_CONFIG_AFTER = re.compile(r"\s*(?:filters?|kernels?|channels?|units|neurons\s+in|stride|pad\w*|layers?|bytes?\b|"
                           r"bits?|groups?|heads?|classes|x\s*\d+\s*(?:filters?|kernels?|conv))", re.I)
_CONFIG_BEFORE = re.compile(r"(?:filters?\s+of|kernels?\s+of|size|stride|padding|pad|with|of\s+size|"
                            r"problem|question|exercise|part|q|hw|homework|step|section|table|figure|chapter|"
                            r"lecture|week|page|eq\.?|equation)\s*[:=]?\s*[(#]?\s*$", re.I)


def _not_a_figure(context: str, after: str, r: Run) -> bool:
    """In a sentence: a number that configures a layer ('96 filters of 11x11x3', 'stride 4') or
    numbers a question ('Problem 3'), not a figure the student worked out."""
    if r.result is not None and r.expression is not None:
        return False  # worked arithmetic is always a figure
    if _CONFIG_BEFORE.search(context[-25:]):
        return True
    return bool(_CONFIG_AFTER.match(after))


def _blank_networks(text: str) -> str:
    """Network names blanked out (the 19 of 'VGG-19' is not a figure)."""
    from .labels import _NETWORK_WORDS

    for pattern, _ in _NETWORK_WORDS:
        text = re.sub(pattern + r"(?:\s*-?\s*\d+)?", lambda m: " " * len(m.group(0)), text, flags=re.I)
    return text


#: the footer of a model summary (torchinfo) that counts under the tool's own conventions, not symcnn's:
#: trainable splits, the input's and the parameters' bytes, its forward/backward size and grand total
_FOREIGN_CONVENTION = re.compile(r"\s*(?:(?:non-)?trainable params|input size \(|params size \(|"
                                 r"forward/backward pass size|estimated total size)", re.I)

#: torchinfo names its multiply-add unit as (Units.GIGABYTES): a scale, not bytes
_TORCHINFO_UNITS = {"kilobytes": "K", "megabytes": "M", "gigabytes": "G", "terabytes": "T"}
_UNITS_WORD = re.compile(r"\(units\.(kilobytes|megabytes|gigabytes|terabytes)\)", re.I)


def _torchinfo_units(text: str) -> str:
    """torchinfo's '(Units.GIGABYTES)' as the scale it means, '(G)' (its mult-adds are not bytes)."""
    return _UNITS_WORD.sub(lambda m: f"({_TORCHINFO_UNITS[m.group(1).lower()]})", text)


def _header_unit(text: str) -> str | None:
    """The unit a column header puts on its bare numbers: 'Params (K)', 'Memory (MB)', 'MACs (in millions)'."""
    text = _torchinfo_units(text)
    m = re.search(r"\((?:in\s+)?(k|thousands?|m|millions?|g|billions?|[kmg]i?b)\)"
                  r"|\bin\s+(thousands|millions|billions)\b", text, re.I)
    if not m:
        return None
    word = (m.group(1) or m.group(2)).lower()
    if word.endswith("b") and len(word) >= 2:
        return word[:-1].upper() + "B" if "i" not in word else word[0].upper() + "iB"
    return {"k": "K", "thousand": "K", "thousands": "K", "m": "M", "million": "M", "millions": "M", "g": "G",
            "billion": "G", "billions": "G"}[word]


def _label_only(text: str) -> str | None:
    """A line that only names a layer ('Conv1:', '**CONV3-64**', '- Layer: pool2', 'Conv1 (96 filters, 11x11,
    stride 4):'), with no figure of its own; None otherwise."""
    t = re.sub(r"[*_`#>]+", " ", text).strip()
    t = re.sub(r"^\s*(?:[-•]|\d+[.)])\s+", "", t)
    m = re.fullmatch(r"(?:layer\s*:\s*)?([A-Za-z][\w-]*(?:\s*\d+)?(?:\s*\([^()]*\))?)\s*:?", t, re.I)
    if not m:
        return None
    label = re.sub(r"\s*\([^()]*\)", "", m.group(1)).strip()
    f = features(label)
    if f.kind in (None, "total") or quantity_named(label):
        return None
    return label


def _label_like(head: str) -> bool:
    """A layer label or a short heading ('CONV3-64', 'Total params', 'Q2) AlexNet'), not a sentence
    ('The ratio of the costs is 35%')."""
    words = head.split()
    if features(head).kind is not None or networks_named(head):
        return True
    return len(words) <= 4 and not re.search(r"(?<![A-Za-z])\d", head)


def _scientific(text: str) -> str | None:
    """'1.12 x 10**9' as the number 1.12e9 (its precision kept)."""
    m = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)\s*[x*]\s*10\s*\*\*\s*([-+]?\d+)\s*", text)
    return f"{m.group(1)}e{m.group(2)}" if m else None


def _split_label(cell: str) -> tuple[str | None, str]:
    """A prose line's label (the words before ':' or '=>') and the rest."""
    text = re.sub(r"^\s*(?:[-*•]|\d+[.)]|\([a-z0-9]+\)|[a-z][.)])\s+", "", cell.strip())
    m = _LABEL_END.search(text)
    if m and m.start() <= 40 and re.search(r"[A-Za-z]", text[:m.start()]) and _label_like(text[:m.start()]):
        head = text[:m.start()].strip()
        if not re.search(r"\d\s*[x*×]\s*\d", head) or re.match(r"^[A-Za-z]", head):
            return head, text[m.end():]
    m = re.match(r"\s*((?:[A-Za-z][\w-]*(?:\s*\d+(?![\d.,]|\s*[x×*]))?)(?:[ (][A-Za-z][\w()-]*){0,3})\s+(?=[\[\d(~$])",
                 text)
    if m and features(m.group(1)).kind not in (None,):
        return m.group(1).strip(), text[m.end():]
    return None, text


class Extractor:
    def __init__(self, network: str | None = None):
        self.forced = network
        self.network: str | None = network
        self.named: list[str] = []
        self.mappers: dict[str, Mapper] = {}
        self.tables: dict = {}
        self.networks: dict[str, str] = {}
        self.last_label = ""
        self.block_label: str | None = None  # a layer named on a line of its own, for the lines below it
        if network:
            self.networks[network] = "--network"

    def table(self, net: str):
        if net not in self.tables:
            from .. import load

            self.tables[net] = load(net).derive()
        return self.tables[net]

    def mapper(self, net: str) -> Mapper:
        if net not in self.mappers:
            self.mappers[net] = Mapper(self.table(net))
        return self.mappers[net]

    def notice_networks(self, line: SheetLine, text: str) -> None:
        if self.forced:
            return
        named = networks_named(text)
        if not named:
            return
        for n in named:
            self.networks.setdefault(n, f"named on line {line.line}")
        if named[-1] != self.network:
            self.network = named[-1]
            self.mappers.pop(self.network, None)  # a new section starts the layer order again
        self.named = (self.named + named)[-4:]

    def extract(self, lines: list[SheetLine]) -> Sheet:
        sheet = Sheet([])
        for line in lines:
            joined = " ".join(line.cells)
            m = re.match(r"\s*#?\s*(?:student|name)\s*:\s*(.+)", joined, re.I)
            if m and not re.search(r"\d{2,}", m.group(1)):
                sheet.meta["student"] = m.group(1).strip()
                continue
            if line.is_heading or (not line.is_row and not re.search(r"\d", joined)):
                self.notice_networks(line, joined)
                self.block_label = _label_only(joined) if not line.is_heading else None
                continue
            if line.is_row:
                self.block_label = None
            if line.is_row and line.header is None and not re.search(r"\d", joined):
                continue  # a header row
            if not line.is_row:
                self.notice_networks(line, joined)
            before = len(sheet.claims)
            if _FOREIGN_CONVENTION.match(joined):  # a summary tool's own figure: graded by hand, not against ours
                sheet.unread.append((line.line, line.where, joined.strip()[:200]))
                continue
            try:
                # a row with no header above it reads as prose: its words say what each figure is
                found = self.row(line) if line.is_row and line.header is not None else self.prose(line)
            except ClaimsError:
                found = []
            sheet.claims.extend(found)
            if len(sheet.claims) == before and self._has_figure(line):
                sheet.unread.append((line.line, line.where, joined.strip()[:200]))
        sheet.networks = dict(self.networks)
        return sheet

    @staticmethod
    def _has_figure(line: SheetLine) -> bool:
        text = " ".join(line.cells)
        if line.header is None and line.is_row:
            return False
        # a figure: a number of two or more digits that is not part of a word (conv3, Q2, fc6), a
        # network's name (VGG-19) or a question's number (Problem 3)
        t = re.sub(r"\b(?:problem|question|exercise|part|q|hw|homework|step|section|table|figure|chapter)\s*"
                   r"\d+", " ", _blank_networks(plain(text)), flags=re.I)
        return bool(re.search(r"(?<![A-Za-z0-9_])\d{2,}|\d\s*[x×*]\s*\d", t))

    # -- table rows --------------------------------------------------------------------------
    def row(self, line: SheetLine) -> list[Claim]:
        cells = list(line.cells)
        header = list(line.header or ())
        label_index = 0
        if header:
            for i, h in enumerate(header):
                if re.search(r"layer|name|type|stage|operation|module", h, re.I) and i < len(cells):
                    label_index = i
                    break
        label = cells[label_index] if cells else ""
        if re.fullmatch(r"\s*[\d.,\s]*", plain(label)) and not features(label).ditto:
            label = ""  # a row number, or a figure in the first column
        label = _summary_label(label)
        out: list[Claim] = []
        for i, cell in enumerate(cells):
            if i == label_index and label:
                continue
            cell = _tensor_shape(cell)
            head = header[i] if i < len(header) else ""
            if re.search(r"description|comment|note|kernel|filter|stride|pad", head, re.I) and \
                    quantity_named(head) not in ("params", "weights", "biases", "output"):
                continue  # the layer's configuration, not a figure to grade
            out += self.figures(line, label, cell, quantity_named(head), head)
        return out

    # -- prose ---------------------------------------------------------------------------------
    def prose(self, line: SheetLine) -> list[Claim]:
        text = _torchinfo_units(plain("   ".join(line.cells)))
        label, rest = _split_label(text)
        column = None
        # a unit in the label scales the figures after it ('Total mult-adds (G): 1.81', 'Memory (MB): 93')
        unit_of_label = label if label and _header_unit(label) else ""
        if label is None and not text.strip():
            return []
        label_line = _label_only(text)
        if label_line:  # "Conv1 (96 filters of 11x11):" on a line of its own: the lines below are about it
            self.block_label = label_line
            return []
        if label:
            column = quantity_named(label)  # "fc6 params = ...", "Total memory: ..."
            quantity_word = re.fullmatch(r"(?:the\s+)?(?:output|input|size|shape|dims?|dimensions?|volume|tensor|"
                                         r"params|parameters|weights|biases|memory|activations|macs|flops|"
                                         r"compute|multiply-adds|mult-adds|mults|operations|neurons)"
                                         r"(?:\s+(?:size|shape|volume|count|dims?|dimensions?))?", label.strip(),
                                         re.I)
            if column and (features(label).kind is None or quantity_word) and not networks_named(label):
                # "Memory: 15.2M ...": a quantity, about the layer named on a line above, else the network
                label = self.block_label
            if label and networks_named(label):
                # "Q2) Alexnet => 61,706", "vgg16 fc6 params": the network named is not the layer
                label = _without_networks(label)
        if not label:
            label = _layer_in_sentence(rest) or ""
            if not label and re.match(r"\s*(?:its|it|this|that|the same|which)\b", rest, re.I):
                label = self.last_label  # "Its output volume is ...": the layer of the line before
        self.last_label = label or ""
        return self.figures(line, label or "", rest, column, unit_of_label, prose=True)

    # -- figures in a cell ---------------------------------------------------------------------
    def figures(self, line: SheetLine, label: str, cell: str, column: str | None, head: str,
                prose: bool = False) -> list[Claim]:
        text = plain(cell)
        if prose:
            text = _blank_networks(text)
        found = runs(text)
        out: list[Claim] = []
        last_end = 0
        previous: Run | None = None
        previous_run: Run | None = None
        for r in found:
            context = text[last_end:r.start]
            last_end = r.start + len(r.text)
            if re.search(r"[*x×/+^-]\s*~?\s*$", context) and r.expression is None and previous is not None:
                continue  # "~*2 for bwd": the tail of arithmetic that is not a figure
            after = text[last_end:last_end + 40]
            if prose and _not_a_figure(context, after, r):
                continue
            previous = r
            words = quantity_named(re.split(r"[,;]|\band\b", context)[-1][-40:]) or column
            if prose:
                # "34,848 weights and 96 biases": the word after a figure names it
                m = re.match(r"\s*([A-Za-z-]+(?:\s+[A-Za-z-]+)?)(\s*[:=(])?", after)
                # ... unless the word labels the next figure ("3.2M  params: 1,728")
                named_after = quantity_named(m.group(1)) if m and not m.group(2) else None
                words = named_after or words
            if out and out[-1].work is None and out[-1].claimed == (previous_run.expression if previous_run else None) \
                    and r.expression is None and r.result is not None and re.fullmatch(r"\s*[(=]?\s*", context):
                # "112 x 112 x 128 (1,605,632)": the working, then its result in brackets
                r = Run(previous_run.text + " = " + r.text, previous_run.start, previous_run.expression,
                        r.result.strip("()[] "), False)
                out.pop()
            previous_run = r
            claim = self.claim(line, label, r, words, context + " " + head)
            if claim is None:
                continue
            if out and re.search(r"\(\s*(?:about|approx\w*|~|≈|i\.e\.|or)?\s*$", context) and \
                    isinstance(claim.value, Number) and isinstance(out[-1].value, Number) and \
                    claim.value.matches(out[-1].value.value):
                continue  # "50,844,008 parameters (about 50.8M)": the same figure restated
            out.append(claim)
        return out

    def claim(self, line: SheetLine, label: str, r: Run, quantity: str | None, context: str) -> Claim | None:
        net = self.network
        if net is None:
            return None
        written = r.result if r.result is not None else r.expression
        if written is None:
            return None
        written = written.strip()
        sci = _scientific(written)
        if sci is not None:
            r = Run(r.text, r.start, None if r.result is None else r.expression, sci, r.bracketed, r.middle)
            written = sci
        # a shape: [224x224x64], or a product with no result in a size column
        shape = _shape(written) if (r.bracketed or r.result is None or quantity == "output") else None
        if r.result is None and r.expression is not None and quantity not in ("output", None) and r.factors \
                and not r.bracketed:
            shape = None  # "55*55*96" in an activations column: their product is the figure
        if r.result is None and quantity is None and r.factors and len(r.factors) == 3 and not r.bracketed:
            shape = _shape(written)
        subject, how = self.subject_of(line, label)
        if subject is None:
            return None
        if shape is not None and len(shape) >= 2:
            if subject == "total":
                return None
            return Claim(line.line, net, subject, "output", None, shape, " ".join(line.cells).strip(),
                         claimed=written, label=label or None, where=line.where, how=how)
        if r.result is None and r.expression is not None:
            value = value_or_none(r.expression)
            if value is None:
                return None
            number = Number(value, Fraction(0), r.expression)
            work, work_value = None, None
        else:
            unit = _header_unit(context)
            if unit and re.fullmatch(r"[~≈]?\s*[\d.,' ]+", written):
                written_scaled = f"{written.strip()} {unit}"  # "34.9" under "Params (K)"
            else:
                written_scaled = written
            number = _number(written_scaled, quantity or "")
            if number is None:
                return None
            work = r.expression
            work_value = value_or_none(work)
        q = quantity
        if re.search(r"[KMG]i?B\s*$|bytes", written + " " + context[-20:], re.I) and q not in ("bytes", "bytes-fb"):
            q = "bytes"
        factors = None
        if r.factors:
            factors = tuple(int(f) for f in r.factors)
        if q is None:
            q = self.guess_quantity(net, subject, number, factors, work)
        if q == "output":  # one number in a size column: a vector's length, the side of a map, or the count
            out = self._output(net, subject)
            if out is not None and out[1:] == (1, 1) and number.value == int(number.value) and not number.rounded:
                return Claim(line.line, net, subject, "output", None, (int(number.value),),
                             " ".join(line.cells).strip(), claimed=written, label=label or None, where=line.where,
                             how=how)
            q = "size" if number.value <= 4096 and subject not in ("total",) else "activations"
        if subject == "total" and q in ("size", "output"):
            return None
        if number.value < 0:
            return None
        if subject != "total" and q in ("bytes", "bytes-fb"):
            return None
        if _RATIO.search(context) or _SAVING.search(context):
            pair = self.pair(net)
            q = quantity_named(" ".join(line.cells)) or "macs"
            if pair and (written.endswith("%") or number.value < 1):
                kind = "saving" if _SAVING.search(context) and not _RATIO.search(context) else "ratio"
                if kind == "ratio" and written.endswith("%") and _SAVING.search(context):
                    kind = "saving"
                qq = "params" if q in ("params", "weights") else "macs"
                return Claim(line.line, pair[0], kind, qq, None, number, " ".join(line.cells).strip(),
                             pair[1], claimed=written, work=work, work_value=work_value, where=line.where,
                             how="a ratio of the two networks named")
        return Claim(line.line, net, subject, q, None, number, " ".join(line.cells).strip(), claimed=written,
                     work=work, work_value=work_value, factors=factors, label=label or None, where=line.where,
                     how=how)

    def _output(self, net: str, subject: str) -> tuple | None:
        from .grader import value_of

        try:
            v = value_of(self.table(net), subject, "output")
        except Exception:
            return None
        return v if isinstance(v, tuple) else None

    def pair(self, net: str) -> tuple[str, str] | None:
        """The two networks a ratio compares: the reduced and naive Inception modules, or the
        last two networks named."""
        if net.startswith("inception-"):
            return ("inception-reduced", "inception-naive")
        others = [n for n in self.named if n != net]
        return (net, others[-1]) if others else None

    def subject_of(self, line: SheetLine, label: str) -> tuple[str | None, str]:
        """The layer a line's label names, found once per line (a row's cells share it)."""
        key = (line.line, line.where, label, self.network)
        if getattr(self, "_subject_key", None) != key:
            self._subject_key = key
            self._subject = self.subject(label)
        return self._subject

    def subject(self, label: str) -> tuple[str | None, str]:
        if not label or not label.strip():
            return "total", "no layer named: the network's total"
        net = self.network
        assert net is not None
        f = features(label)
        if f.kind is None and not f.ditto and (networks_named(label) or
                                               re.search(r"\b(q\d+|question|answer|part)\b", label, re.I)):
            return "total", "no layer named: the network's total"
        found, how = self.mapper(net).find(label)
        return found, how

    def guess_quantity(self, net: str, subject: str, number: Number, factors, work: str | None = None) -> str:
        """No header or word names the quantity: the one whose true value the figure matches,
        else the shape of the student's expression."""
        from .grader import value_of

        t = self.table(net)
        for q in ("params", "weights", "activations", "macs", "biases", "size"):
            try:
                v = value_of(t, subject, q)
            except Exception:
                continue
            if v is not None and not isinstance(v, tuple) and number.matches(v):
                return q
        if factors and len(factors) == 3:
            return "activations"
        if factors and len(factors) >= 4:
            return "weights"
        if work and re.search(r"/|ceil|floor", work) and subject not in ("total",):
            return "size"  # (W - F + 2P)/S + 1: the output size formula
        return "params"


def extract(lines: list[SheetLine], network: str | None = None) -> Sheet:
    return Extractor(network).extract(lines)


def read(text: str, filename: str = "<sheet>", network: str | None = None, fmt: str | None = None) -> Sheet:
    return extract(read_sheet(text, filename, fmt), network)
