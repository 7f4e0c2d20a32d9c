"""Claims files: what a grader transcribes from an answer sheet.

A claims file::

    # student: A. Student
    network vgg16
    block1.conv1 output = 224x224x64
    block1.conv1 params = 1,792
    fc6 weights = 102,760,448
    total params = 138M
    total macs [flops=macs] = 15.5G
    network inception-naive
    ratio inception-reduced/inception-naive macs = 0.356
    saving inception-reduced/inception-naive macs = 64.4%

A claim is ``LAYER QUANTITY [CONVENTION] = VALUE [+- TOLERANCE]``, LAYER a layer
name or ``total``; quantities: output, size, depth, weights, biases, params,
weights-per-filter, params-per-filter, activations, macs, flops, rf, jump, bytes
(forward), bytes-fb (forward + backward).
Conventions a claim may state: weights-only, flops=macs, flops=2macs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .numbers import ClaimsError, parse_number, parse_shape
from .vocabulary import QUANTITIES as _VOCABULARY

QUANTITIES = tuple(q.name for q in _VOCABULARY)  # the one table of quantities (grading/vocabulary.py)
CONVENTIONS = ("weights-only", "flops=macs", "flops=2macs")


@dataclass(frozen=True)
class Claim:
    line: int
    network: str  # the network it is about (its spec or zoo name)
    subject: str  # layer name, "total", "ratio"/"saving", or "share" (of the layer or group in ``other``)
    quantity: str
    convention: str | None
    # a Number, a shape (tuple of ints) or a sympy expression (L - 12); which one the quantity says ("output": a
    # shape), so the grader's branches narrow it by quantity, which mypy cannot follow: Any
    value: Any
    text: str
    other: str | None = None  # the second network of a ratio or saving; the part whose share a share is
    # read from an answer sheet (None in a claims file):
    claimed: str | None = None  # the figure as written
    work: str | None = None  # the student's expression before the '='
    work_value: Fraction | None = None  # its exact value, when it is arithmetic
    factors: tuple[int, ...] | None = None  # the factors of a product the student wrote
    label: str | None = None  # the layer's label as written
    where: str = ""  # "cell 3, line 2" in a notebook
    how: str = ""  # how the network and the layer were found

    @property
    def written(self) -> str:
        return self.claimed if self.claimed is not None else self.text


def parse_claims(text: str, filename: str = "<claims>") -> tuple[list[Claim], dict]:
    claims: list[Claim] = []
    meta: dict = {}
    network = None
    # lines end at \n (or \r\n) only: str.splitlines would also split at U+2028 and the like,
    # and the line numbers in errors would no longer be the ones an editor shows
    for lineno, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        where = f"{filename}:{lineno}"
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("# student") else ""
        if raw.lstrip().startswith("# student:"):
            meta["student"] = raw.split(":", 1)[1].strip()
            continue
        if not line:
            continue
        words = line.split()
        if words[0] == "network":
            if len(words) < 2 or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*=\S+", w) for w in words[2:]):
                raise ClaimsError("expected 'network NAME_OR_SPEC [SYMBOL=VALUE ...]'", where=where)
            network = " ".join(words[1:])
            continue
        if words[0] == "student":
            meta["student"] = line[len("student"):].strip()
            continue
        if "=" not in line:
            raise ClaimsError("a claim is 'LAYER QUANTITY = VALUE' (or 'network NAME')", where=where)
        cut = _assignment(line)  # not the '=' inside [flops=macs]
        if cut is None:
            raise ClaimsError("a claim is 'LAYER QUANTITY = VALUE' (or 'network NAME')", where=where)
        left, value_text = line[:cut].strip(), line[cut + 1:].strip()
        if words[0] in ("ratio", "saving"):
            m = re.fullmatch(r"(ratio|saving)\s+(\S+)\s*/\s*(\S+)\s+(\w+)", left)
            if not m or m.group(4) not in ("params", "weights", "macs", "flops", "activations"):
                raise ClaimsError(f"expected '{words[0]} NET_A/NET_B QUANTITY = VALUE' with QUANTITY params, weights, "
                                  "macs, flops or activations", where=where)
            claims.append(Claim(lineno, m.group(2), m.group(1), m.group(4), None, _value(value_text, "ratio", where),
                                line, m.group(3)))
            continue
        if network is None:
            raise ClaimsError("no 'network NAME' line before the first claim", where=where)
        if words[0] == "share":
            m = re.fullmatch(r"share\s+(\S+)\s+(\w+)", left)
            if not m or m.group(2) not in ("params", "weights", "biases", "macs", "flops", "activations"):
                raise ClaimsError("expected 'share LAYER QUANTITY = VALUE' with QUANTITY params, weights, biases, "
                                  "macs, flops or activations", where=where)
            claims.append(Claim(lineno, network, "share", m.group(2), None, _value(value_text, "ratio", where), line,
                                m.group(1)))
            continue
        m = re.fullmatch(r"(\S+)\s+([\w-]+)(?:\s*\[([^\]]+)\])?", left)
        if not m:
            raise ClaimsError("expected 'LAYER QUANTITY [CONVENTION] = VALUE'", where=where)
        subject, quantity, conv = m.group(1), m.group(2), m.group(3)
        if quantity not in QUANTITIES:
            raise ClaimsError(f"unknown quantity {quantity!r} (choose from {', '.join(QUANTITIES)})", where=where)
        if conv is not None and conv.strip() not in CONVENTIONS:
            raise ClaimsError(f"unknown convention {conv!r} (choose from {', '.join(CONVENTIONS)})", where=where)
        claims.append(Claim(lineno, network, subject, quantity, conv and conv.strip(),
                            _value(value_text, quantity, where), line))
    if not claims:
        raise ClaimsError("the claims file has no claims", where=filename)
    return claims, meta


def _assignment(line: str) -> int | None:
    """The position of the first '=' outside square brackets."""
    depth = 0
    for i, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "=" and depth == 0:
            return i
    return None


def _value(text: str, quantity: str, where: str):
    try:
        if quantity == "output":
            return parse_shape(text)
        return parse_number(text, bytes_unit=quantity.startswith("bytes"))
    except ClaimsError as exc:
        raise ClaimsError(exc.message, where=where) from None
