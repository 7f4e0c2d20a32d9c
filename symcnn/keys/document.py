"""The document model: an answer key (or a graded sheet, or a problem set) is a
title and a list of blocks that every printer reads.  Nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..proof import Proof
from ..prose import Prose
from ..worked import LayerSolution


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str | Prose  # Prose: words with math typeset in them


@dataclass(frozen=True)
class Code:
    """An identifier set as code (a layer's name in a table): monospace, never typeset as math."""

    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str | Prose, ...]


@dataclass(frozen=True)
class Worked:
    solution: LayerSolution


@dataclass(frozen=True)
class DataTable:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]  # cells: str, or sympy values (numbers get thousands separators)
    numeric: tuple[bool, ...]  # right-aligned columns


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one row per label, one bar per series (values are sympy numbers from the
    derived table; the printers only scale them), on a log scale when the values span decades."""

    caption: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple], ...]  # (name, one value per label)
    log: bool = True
    note: str = ""


@dataclass(frozen=True)
class ProofBlock:
    proof: Proof


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple = field(default_factory=tuple)
    name: str = "key"  # file stem
