"""Grading a sheet as handed in: read it (any format), find its claims, grade them in
sheet order with the student's own earlier figures carried forward.

>>> s = check_sheet("AlexNet\\nconv1 output: 55x55x96, params: 11*11*3*96 + 96 = 34,944\\n", "a.txt")
>>> [(v.claim.subject, v.claim.quantity, v.status) for v in s.verdicts]
[('conv1', 'output', 'right'), ('conv1', 'params', 'right')]
"""

from __future__ import annotations

import re

from ..convention import DEFAULT, Convention
from ..errors import SymcnnError
from .claims import parse_claims
from .extract import Extractor
from .grader import GradedSheet, Grader, GradingPolicy
from .numbers import ClaimsError
from .sheets import read_sheet, sniff

#: networks tried when a sheet names none (and --network is not given)
GUESSES = ("alexnet", "alexnet-224", "alexnet-torchvision", "vgg16", "vgg19", "vgg11", "vgg13", "lenet5", "zfnet",
           "googlenet", "inception-reduced", "inception-naive", "resnet18", "resnet50")


def is_claims_file(text: str, filename: str) -> bool:
    if filename.endswith(".claims"):
        return True
    for line in text.replace("\r\n", "\n").split("\n"):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        return bool(re.match(r"network\s+\S+\s*$", s)) or bool(re.match(r"network\s+\S+(\s+\w+=\S+)+\s*$", s))
    return False


def _networks_named(claims, grader: Grader, filename: str) -> None:
    """A claims file names its networks: one that does not load, or that still has symbols without values,
    makes the file malformed (file:line of its first claim, exit status 2), not a sheet of ungradable claims."""
    seen: set[str] = set()
    for c in claims:
        for net in (c.network, getattr(c, "other", None)):
            if not net or net in seen:
                continue
            seen.add(net)
            try:
                grader.network(net)  # loaded once: grading reuses it
            except SymcnnError as exc:
                name = net.split()[0]
                said = exc.message if repr(name) in exc.message else f"network {name!r}: {exc.message}"
                raise ClaimsError(said, where=f"{filename}:{c.line}") from None


def check_sheet(text: str, filename: str = "<sheet>", *, network: str | None = None, fmt: str | None = None,
                convention: Convention | None = None, policy: GradingPolicy | None = None,
                grader: Grader | None = None) -> GradedSheet:
    """A sheet graded: a claims file by its grammar, anything else read as handed in."""
    grader = grader or Grader(convention or DEFAULT, policy=policy)
    if fmt == "claims" or (fmt is None and is_claims_file(text, filename)):
        claims, meta = parse_claims(text, filename)
        _networks_named(claims, grader, filename)
        return GradedSheet(grader.grade(claims), meta, grader, source=filename, fmt="claims")
    fmt = fmt or sniff(text, filename)
    lines = read_sheet(text, filename, fmt)
    sheet = Extractor(network).extract(lines)
    if not network and not sheet.networks:
        best = None
        for name in GUESSES:
            trial = Extractor(name).extract(lines)
            if not trial.claims:
                continue
            verdicts = grader.grade(trial.claims)
            right = sum(v.status in ("right", "right-under-convention", "consistent") for v in verdicts)
            if best is None or right > best[0]:
                best = (right, name, trial, verdicts)
        if best is None:
            raise ClaimsError("no claims found: the sheet names no network symcnn knows and no figure could be read "
                              "(name one with --network)", where=filename)
        right, name, sheet, verdicts = best
        sheet.networks = {name: f"guessed: {right} of {len(verdicts)} figures fit {name} (no network named; "
                                f"give --network to say)"}
        return GradedSheet(verdicts, sheet.meta, grader, sheet.unread, sheet.networks, filename, fmt)
    if not sheet.claims and not sheet.unread:
        raise ClaimsError("no claims found in the sheet", where=filename)
    return GradedSheet(grader.grade(sheet.claims), sheet.meta, grader, sheet.unread, sheet.networks, filename, fmt)
