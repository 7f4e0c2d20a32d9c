"""Which network a sheet is about, and which layer each label names.

Students label layers their own way: CONV3-64, POOL2, FC-4096 (CS231n), Conv1, conv1_2,
MaxPool1, Linear-1, "Pool(Conv 1)", C1/S2/F6 (LeNet), "3x3 reduce" (Inception), ditto
marks.  A label is read into features (kind, kernel, channels, ordinal, words) and each
layer of the network is scored against them; the order of the sheet breaks ties (a
table lists layers in order).

>>> features("CONV3-64").kind, features("CONV3-64").kernel, features("CONV3-64").channels
('conv', 3, 64)
>>> features("conv1_2").words
('block1', 'conv2')
>>> features("Total params").kind
'total'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KIND_OF_ROW = {"conv": "conv", "convtranspose": "conv", "maxpool": "pool", "avgpool": "pool",
               "adaptiveavgpool": "pool", "adaptivemaxpool": "pool", "linear": "fc", "lrn": "norm",
               "batchnorm": "norm", "layernorm": "norm", "groupnorm": "norm", "relu": "relu", "relu6": "relu",
               "tanh": "relu", "sigmoid": "relu", "leakyrelu": "relu", "gelu": "relu", "silu": "relu",
               "softmax": "softmax", "dropout": "dropout", "flatten": "flatten", "concat": "concat",
               "add": "concat"}

_KINDS = (
    ("conv", r"proj|reduce"),
    ("total", r"^(?:grand\s+)?(?:total|sum|overall|all\s+layers|whole\s+network|network\s+total|in\s+total)\b"),
    ("input", r"^(?:input|data|image|img|in)\b(?!\w*\s*(?:conv|pool))"),
    ("pool", r"pool|subsampl|^s\d+\b|^p\d+\b|downsampl"),
    ("norm", r"norm|^lrn|^bn\d*\b|batchnorm"),
    ("relu", r"^(?:relu|tanh|sigmoid|activation|nonlin)"),
    ("softmax", r"softmax"),
    ("dropout", r"dropout"),
    ("flatten", r"flatten"),
    ("concat", r"concat|depth\s*concat|filter\s*concat|output of the module|module output|^inception\b|"
               r"^module\b"),
    ("fc", r"\bfc|fully|dense|linear|^f\d+\b|classifier|^output\b|^out\b|^affine|^ip\d"),
    ("conv", r"conv|^c\d+\b|reduce|proj|^\d+\s*x\s*\d+\b|^layer\s*\d"),
)


@dataclass(frozen=True)
class Features:
    text: str
    kind: str | None
    kernel: int | None = None
    channels: int | None = None
    ordinal: int | None = None
    words: tuple[str, ...] = ()
    ditto: bool = False
    extra: tuple[str, ...] = field(default=())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


DITTO = ('"', "''", "〃", "ditto", "do.", "-\"-", "”", "“", "same", "same as above", "〃〃")


def features(label: str) -> Features:
    s = _norm(label).strip(":.-)( ")
    if s in DITTO or re.fullmatch(r"[\"'”“〃]+", s):
        return Features(label, None, ditto=True)
    kind = None
    for name, pattern in _KINDS:
        if re.search(pattern, s):
            kind = name
            break
    kernel = channels = ordinal = None
    m = re.search(r"(\d+)\s*[x×*]\s*\1\b", s)
    if m:
        kernel = int(m.group(1))
    m = re.match(r"conv\s*(\d+)\s*-\s*(\d+)", s)  # CONV3-64
    vgg_table = bool(m and int(m.group(2)) >= 16)
    if vgg_table:
        kernel, channels = int(m.group(1)), int(m.group(2))
    if "reduce" in s:  # GoogLeNet's "#3x3 reduce" is the 1x1 convolution before the 3x3
        kernel = 1
    m = re.match(r"(?:fc|dense|linear)\s*-\s*(\d{2,})", s)  # FC-4096
    if m and kind == "fc":
        channels = int(m.group(1))
    m = re.search(r"(?:,|\(|\s|@)\s*(\d+)\s*(?:filters|channels|maps|units|neurons)?\s*\)?$", s)
    if channels is None and m and kernel is not None:
        channels = int(m.group(1))
    m = re.search(r"(\d+)\s*(?:filters|channels|maps|units|neurons)", s)
    if channels is None and m:
        channels = int(m.group(1))
    words: list[str] = []
    m = re.match(r"conv\s*(\d+)\s*[_.-]\s*(\d+)$", s)  # conv1_2 (VGG's own naming)
    if m and not vgg_table:
        words = [f"block{m.group(1)}", f"conv{m.group(2)}"]
    else:
        m = re.match(r"(?:[a-z]+)\s*(\d+)$", s) if kind in ("conv", "pool", "fc", "norm", "relu") else None
        if m and not re.match(r"conv\s*\d+\s*-", s):
            ordinal = int(m.group(1))
        words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
        # "conv 1" and "conv1" name the same layer
        joined = re.sub(r"\b([a-z]+)\s*\(?\s*(\d+[a-z]?)\s*\)?(?![\w])", r"\1\2", s)
        words += [w for w in re.split(r"[^a-z0-9]+", joined) if w and w not in words]
        # "3x3 reduce", "5x5 conv": the words of names such as reduce3x3, conv5x5
        for size, word in re.findall(r"(\d+\s*x\s*\d+)\s*(reduce|conv\w*|pool\w*)", s):
            words.append(re.sub(r"\s", "", word + size).replace("convolution", "conv"))
        if vgg_table:
            words = []
    m = re.match(r"(conv2d|maxpool2d|avgpool2d|linear|relu|batchnorm2d|dropout|localresponsenorm|flatten)-(\d+)$", s)
    if m:  # torchsummary's "Conv2d-1": a position among all modules, not the kind's ordinal
        ordinal = None
    if kind is None and re.fullmatch(r"(layer|l)\s*\d+", s):
        kind = "any"
        ordinal = int(re.search(r"\d+", s).group(0))
    return Features(label, kind, kernel, channels, ordinal, tuple(words))


def row_kind(row) -> str:
    return KIND_OF_ROW.get(row.kind, row.kind)


def _row_words(row) -> set[str]:
    name = row.name.lower()
    parts = set(re.split(r"[^a-z0-9]+", name)) | {name}
    parts |= {re.sub(r"\d+$", "", p) for p in parts}
    return {p for p in parts if p}


def _kernel(row):
    if row.layer is None:
        return None
    k = dict(row.layer.args).get("k")
    if isinstance(k, tuple):
        k = k[0]
    try:
        return int(k) if k is not None else None
    except TypeError:
        return None


class Mapper:
    """Maps a sheet's labels to one network's layers, in sheet order (one mapper per table
    or per run of prose about the network)."""

    def __init__(self, table):
        self.table = table
        self.rows = list(table.rows)
        self.pointer = -1
        self.taken: set[str] = set()
        self.last: Features | None = None
        self.ordinals: dict[str, list] = {}
        for r in self.rows:
            self.ordinals.setdefault(row_kind(r), []).append(r)
        # groups of layers no row stands for, by the first part of their names (ResNet's layer1, VGG's
        # block2), holding several convolutions or linear layers: a one-convolution wrapper (torchvision's
        # BasicConv2d, conv1 = conv1.conv + conv1.bn) is still read as its convolution
        names = {r.name for r in self.rows}
        weighted: dict[str, int] = {}
        for r in self.rows:
            if "." in r.name and row_kind(r) in ("conv", "fc"):
                weighted[r.name.split(".")[0]] = weighted.get(r.name.split(".")[0], 0) + 1
        self.groups = {g for g, n in weighted.items() if n >= 2} - names
        self.groups_taken: set[str] = set()

    def group(self, label: str) -> str | None:
        """A label that names a group of layers as a whole: the group's own name (layer3), or He et
        al.'s stage names for torchvision's ResNets (conv2_x is layer1, ..., conv5_x is layer4)."""
        s = _norm(label).strip(":.-)( ")
        if s in self.groups:
            return s
        stages = [g for g in self.groups if re.fullmatch(r"layer\d+", g)]  # torchvision's ResNet stages
        if s in ("sequential", "stage") and stages:  # a model summary's next top-level container, in order
            order = sorted(stages, key=lambda g: next(i for i, r in enumerate(self.rows)
                                                      if r.name.startswith(g + ".")))
            for g in order:
                if g not in self.groups_taken:
                    return g
        m = re.fullmatch(r"conv\s*([2-9])\s*[_.\- ]?\s*x", s)
        if m and f"layer{int(m.group(1)) - 1}" in self.groups:
            return f"layer{int(m.group(1)) - 1}"
        return None

    def find(self, label: str):
        """(subject, how sure) for a label: a layer name, 'input', 'total', or None."""
        f = features(label)
        if f.ditto:
            if self.last is None:
                return None, "a ditto mark with nothing above it"
            f = Features(self.last.text, self.last.kind, self.last.kernel, self.last.channels, None,
                         tuple(w for w in self.last.words if not re.search(r"\d", w)))
        if f.kind == "total":
            return "total", "label"
        if f.kind == "input":
            self.last = f
            return "input", "label"
        group = self.group(label)
        if group is not None:
            self.last = f
            self.groups_taken.add(group)
            first = next(i for i, r in enumerate(self.rows) if r.name.startswith(group + "."))
            self.pointer = max(self.pointer, first - 1)  # a nested listing goes on with the group's own layers
            return group, "name"
        exact = [i for i, r in enumerate(self.rows) if r.name.lower() in (_norm(label), *f.words)
                 and (f.kind in (None, "any") or row_kind(r) == f.kind)]
        if exact:
            i = exact[0]
            self._take(i, f)
            return self.rows[i].name, "name"
        if f.kind is None:
            return None, "label not recognised"
        best, best_score = None, None
        for i, r in enumerate(self.rows):
            rk = row_kind(r)
            score = 0.0
            if f.kind != "any" and rk != f.kind:
                # LeNet's C5 is a 5x5 convolution on a 5x5 map: a fully connected layer
                if {rk, f.kind} != {"conv", "fc"}:
                    continue
                score -= 2
            k = _kernel(r)
            if f.kernel is not None:
                if k != f.kernel:
                    score -= 3
                else:
                    score += 2
            if f.channels is not None:
                score += 2 if int(r.output.c) == f.channels else -3
            if f.ordinal is not None:
                seq = self.ordinals.get(rk, []) if f.kind != "any" else \
                    [x for x in self.rows if row_kind(x) in ("conv", "fc")]
                if 0 < f.ordinal <= len(seq) and seq[f.ordinal - 1] is r:
                    score += 1.0
            # layers of the same kind passed over untaken (a table lists layers in order)
            lo, hi = sorted((self.pointer + 1, i))
            score -= 1.5 * sum(1 for x in self.rows[lo:hi] if row_kind(x) == rk and x.name not in self.taken)
            rw = _row_words(r)
            score += sum(1.5 for w in f.words if w in rw and not w.isdigit() and w not in (f.kind,))
            if r.name in self.taken:
                score -= 4
            score += 1.0 if i > self.pointer else -1.0
            score -= 0.01 * abs(i - self.pointer - 1)  # the nearest next layer first
            if best_score is None or score > best_score:
                best, best_score = i, score
        if best is None:
            return None, f"{self.table.network.name} has no {f.kind} layer"
        self._take(best, f)
        return self.rows[best].name, "order" if best_score is not None and best_score < 2 else "label"

    def _take(self, i: int, f: Features) -> None:
        self.pointer = i
        self.taken.add(self.rows[i].name)
        self.last = f


# networks a sheet may name, by the words people use
_NETWORK_WORDS = (
    (r"alex\s*-?\s*net", "alexnet"),
    (r"vgg\s*-?\s*net|vgg\s*-?\s*(?:16|d)\b|very deep", "vgg16"),
    (r"vgg\s*-?\s*19|vgg\s*-?\s*e\b", "vgg19"),
    (r"vgg\s*-?\s*11", "vgg11"),
    (r"vgg\s*-?\s*13", "vgg13"),
    (r"le\s*-?\s*net", "lenet5"),
    (r"zf\s*-?\s*net|zeiler", "zfnet"),
    (r"google?\s*-?\s*net", "googlenet"),
    (r"inception", "inception-reduced"),
    (r"res\s*-?\s*net\s*-?\s*18", "resnet18"),
    (r"res\s*-?\s*net\s*-?\s*50", "resnet50"),
)


def networks_named(text: str) -> list[str]:
    """The zoo networks a line of text names, in the order named."""
    s = text.lower()
    found: list[tuple[int, str]] = []
    for pattern, name in _NETWORK_WORDS:
        for m in re.finditer(r"(?<![a-z])(?:" + pattern + ")", s):
            net = name
            if name == "inception-reduced" and re.search(r"naive|na[iï]ve|without (?:dimension )?reduction", s):
                net = "inception-naive"
            if name == "alexnet" and re.search(r"\b224\b", s) and not re.search(r"\b227\b", s):
                net = "alexnet-224"
            found.append((m.start(), net))
    try:
        from .. import zoo

        zoo_names = set(zoo.names())
        for zname in zoo_names:
            pattern = re.escape(zname).replace(r"\-", r"[\s_-]?")
            for m in re.finditer(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", s):
                found.append((m.start(), zname))
    except (ImportError, OSError):  # the zoo is always there; a broken install still reads sheets
        zoo_names = set()
    found.sort()
    out: list[str] = []
    # a line that speaks of PyTorch (a torchinfo or torchvision summary) means the variant torchvision ships
    torch = bool(re.search(r"torch", s))
    for _, n in found:
        if torch and f"{n}-torchvision" in zoo_names:
            n = f"{n}-torchvision"
        if n not in out:
            out.append(n)
    # a more specific name wins (vgg16-bn over vgg16 at the same place)
    return out
