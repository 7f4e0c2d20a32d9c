"""One notation table per document: every symbol the document's worked
formulas use, with what it means, collected from the blocks themselves (so
the table can neither miss a symbol nor list one that is never used).

>>> import symcnn
>>> from symcnn.keys import network_key
>>> doc = network_key(symcnn.table("lenet5"))
>>> table = next(b for b in doc.blocks if getattr(b, "caption", "") == "Notation")
>>> [row[0].first.name for row in table.rows]
['C_in', 'H_in', 'W_in', 'N_in', 'C_out', 'H_out', 'W_out', 'N_out', 'K', 'S', 'P']
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..prose import Math
from .document import DataTable, Worked

#: the names the worked formulas use for what flows in and out of a layer
FIXED = {
    "C_in": "channels of the layer's input (its depth)",
    "H_in": "height of the layer's input (for a sequence: the number of tokens)",
    "W_in": "width of the layer's input",
    "N_in": "input features of a fully connected layer (the length of the vector it reads at each position)",
    "C_out": "channels of the layer's output: the number of filters of a convolution",
    "H_out": "height of the layer's output (for a sequence: the number of tokens)",
    "W_out": "width of the layer's output",
    "N_out": "output features of a fully connected layer",
}

#: the letters of the layers' fields, as the textbooks use them
LETTERS = {
    "K": "kernel size: the side of a square convolution filter or pooling window (the problems' F)",
    "S": "stride: how far the window moves between outputs",
    "P": "padding: zeros added on each side of the input",
    "D": "dilation: the spacing between the taps of a dilated kernel",
    "G": "groups: the channels are split into this many groups, and each filter reads its own group only",
    "O": "output side of an adaptive pooling layer (its output map is square)",
    "P_t": "padding added at the top",
    "P_b": "padding added at the bottom",
    "P_l": "padding added on the left",
    "P_r": "padding added on the right",
    "P_out": "extra rows and columns a transposed convolution adds to its output",
}

_AXIS = {"h": "along the height", "w": "along the width"}

#: the order of the table: what flows in, what flows out, the window, then the rest
_ORDER = [*FIXED, "K", "K_h", "K_w", "S", "S_h", "S_w", "P", "P_h", "P_w", "P_t", "P_b", "P_l", "P_r", "P_out", "D",
          "D_h", "D_w", "G", "O"]

#: C_1, C_2, ...: the channels of the branches a concatenation joins
_BRANCH = re.compile(r"^C_(\d+)$")


NETWORK_SYMBOL = "a symbol of the network itself: no value is given, so every figure holds for each of its values"


def meaning(name: str) -> str | None:
    """What a symbol of the worked formulas means (None: nothing says; the tests require that never happens
    for a zoo network)."""
    if name in FIXED:
        return FIXED[name]
    if name in LETTERS:
        return LETTERS[name]
    m = _BRANCH.match(name)
    if m:
        return f"channels of branch {m.group(1)} of a concatenation"
    base, _, axis = name.rpartition("_")
    if axis in _AXIS and base in LETTERS:
        return f"{LETTERS[base].split(':')[0]}, {_AXIS[axis]} (where height and width differ)"
    from ..layers import KINDS

    for kind in KINDS.values():  # a letter only a rarer kind uses: that kind's own words for its field
        for p in kind.params:
            if p.symbol and not p.declared and p.symbol in (name, base):
                where = f", {_AXIS[axis]}" if p.symbol == base and axis in _AXIS else ""
                article = "an" if kind.name[0] in "aeiou" else "a"
                return f"{p.doc}{where} (of {article} {kind.name} layer)"
    return None


def symbols_of(blocks: Any) -> tuple[set[str], set[str]]:
    """(symbols of the formulas, symbols of the networks) in every worked block."""
    used: set[str] = set()
    network: set[str] = set()
    for b in blocks:
        if not isinstance(b, Worked):
            continue
        for line in b.solution.lines:
            if line.formula is not None:
                used |= {s.name for s in sp.sympify(line.formula).free_symbols if isinstance(s, sp.Symbol)}
            network |= {s.name for s in sp.sympify(line.result).free_symbols if isinstance(s, sp.Symbol)}
    return used - {"weights", "biases"}, network


def notation_table(blocks: Any, as_notation: frozenset[str] = frozenset()) -> DataTable | None:
    """The notation table of a document made of ``blocks`` (None when no formula uses a symbol).

    A network's own symbol is described as one, unless ``as_notation`` names it: a layer built with the
    notation's own names as its fields (P1's ``conv C_out k=K s=S p=P``) means by them what the table
    says.  A network symbol that has the name of a notation symbol is flagged in the table."""
    used, network = symbols_of(blocks)
    notation = used | (network & as_notation)
    names = sorted(notation, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n))
    rows = []
    for name in names:
        text = meaning(name)
        if text is None:
            raise LookupError(f"the notation table has no meaning for the symbol {name!r}")
        if name in network and name not in as_notation:
            text += "; beware: the network also has a symbol of this name, with no value given"
        rows.append((Math(sp.Symbol(name)), text))
    rows += [(Math(sp.Symbol(n)), NETWORK_SYMBOL) for n in sorted(network - notation)]
    if not rows:
        return None
    return DataTable("Notation", ("symbol", "meaning"), tuple(rows), (False, False))
