"""Grading a sheet as handed in, as a recipe: read the file into lines and cells, read every
figure with its evidence (knowing no network), decide per section which network and per
figure which layer and quantity it is about, grade (the student's own earlier figures
carried forward), name the slips, and list what could not be told.

>>> s = check_sheet("AlexNet\\nconv1 output: 55x55x96, params: 11*11*3*96 + 96 = 34,944\\n", "a.txt")
>>> [(v.claim.subject, v.claim.quantity, v.status) for v in s.verdicts]
[('conv1', 'output', 'right'), ('conv1', 'params', 'right')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from fractions import Fraction

from ..convention import DEFAULT, Convention
from ..errors import SymcnnError
from .align import Unknown, claims_of
from .claims import Claim, parse_claims
from .figures import read_figures
from .grader import GradedSheet, Grader, GradingPolicy, Verdict
from .numbers import ClaimsError, Number
from .sheets import read_sheet, sniff


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


def _unknown_verdict(u: Unknown) -> Verdict:
    f = u.figure
    claim = Claim(f.line, u.network or "", u.subject or "?", u.quantity or "?", None, f.value, u.entry.text,
                  claimed=f.written, work=f.work, work_value=f.work_value, label=u.entry.label.text or None,
                  where=f.where, how=u.why)
    return Verdict(claim, "unknown", note=u.why)


def _figure(c: Claim) -> object:
    return getattr(c.value, "value", c.value)


def _restates(c: Claim, earlier: Claim) -> str | None:
    """'62,378,344 parameters, about 62.4 million': the student's own earlier figure for the same layer and
    quantity, said again at fewer digits (rounded at the last digit written, within the relative bound), or at more
    digits that round to it (what the repeat's note says it is), or None; the student's figures are compared with
    each other, never with the answer."""
    mine, theirs = c.value, earlier.value
    if not (isinstance(mine, Number) and isinstance(theirs, Number)):
        return None
    if mine.unit and (not theirs.unit or theirs.unit < mine.unit) and mine.matches(theirs.value):
        return "a rounding of"  # '62,378,344 ..., about 62.4 million'
    if theirs.unit and (not mine.unit or mine.unit < theirs.unit) and theirs.matches(mine.value):
        return "the same answer, at more digits, as"  # '138M, 138.4M, 138.36M': counted once too
    return None


def _reach(n: Number) -> Fraction:
    """How far from a written number a value it stands for can be: half its last digit's place, or its tolerance."""
    return max(n.unit / 2, n.tolerance if n.explicit else Fraction(0))


class _Said:
    """The figures graded so far for one network, layer and quantity, found by value: a later figure restates one of
    them only when one's value lies within the other's reach (a rounding), so only those are compared, through
    sorted values per reach, never the whole list (a sheet of many figures for one layer stays linear)."""

    def __init__(self) -> None:
        self.count = 0
        self.values: list[Fraction] = []  # every earlier number's value, sorted, with its place and claim
        self.entries: list[tuple[int, Claim]] = []
        self.by_reach: dict[Fraction, tuple[list[Fraction], list[tuple[int, Claim]]]] = {}  # rounded ones

    def add(self, c: Claim) -> None:
        n = c.value
        self.count += 1
        if not isinstance(n, Number):
            return
        for values, entries in [(self.values, self.entries)] + (
                [self.by_reach.setdefault(_reach(n), ([], []))] if _reach(n) else []):
            i = bisect_right(values, n.value)
            values.insert(i, n.value)
            entries.insert(i, (self.count, c))

    def restated_by(self, c: Claim) -> tuple[Claim, str] | None:
        """The earliest figure that ``c`` says again (rounded, or at more digits), and how; None if none."""
        mine = c.value
        if not isinstance(mine, Number):
            return None
        near = self._within(self.values, self.entries, mine.value, _reach(mine)) if _reach(mine) else []
        for reach, (values, entries) in self.by_reach.items():
            near += self._within(values, entries, mine.value, reach)
        found = [(order, e, how) for order, e in near if (how := _restates(c, e))]
        if not found:
            return None
        _, e, how = min(found, key=lambda t: t[0])
        return e, how

    @staticmethod
    def _within(values: list[Fraction], entries: list, value: Fraction, reach: Fraction) -> list:
        return entries[bisect_left(values, value - reach):bisect_right(values, value + reach)]


def _grade_once(grader: Grader, claims: list[Claim]) -> list[Verdict]:
    """One claim per network, layer, quantity and figure counts in the score: the same figure written again is a
    repeat, listed with the line of the first and not graded again (nine copies of a right figure are one right
    figure; a line of two thousand copies costs one grading).  Another figure for the same quantity is another
    answer, and is graded."""
    first: dict[tuple, Claim] = {}
    said: dict[tuple, _Said] = {}
    graded: list[Claim] = []
    repeats: dict[int, tuple[Claim, str]] = {}  # a repeat: the claim it repeats, and how
    for c in claims:
        key = (c.network, c.other, c.subject, c.quantity, _figure(c))
        earlier = said.setdefault(key[:4], _Said())
        if key in first:
            repeats[id(c)] = (first[key], "the same figure as")
            continue
        restated = earlier.restated_by(c)
        if restated is not None:
            repeats[id(c)] = restated
            continue
        first[key] = c
        earlier.add(c)
        graded.append(c)
    verdicts = {id(c): v for c, v in zip(graded, grader.grade(graded), strict=True)}  # grade keeps the order
    out = []
    for c in claims:
        if id(c) not in repeats:
            out.append(verdicts[id(c)])
        else:
            was, again = repeats[id(c)]
            out.append(Verdict(c, "repeat", verdicts[id(was)].correct, f"{again} line {was.line}'s {was.written}"))
    return out


def check_sheet(text: str, filename: str = "<sheet>", *, network: str | None = None, fmt: str | None = None,
                convention: Convention | None = None, policy: GradingPolicy | None = None,
                grader: Grader | None = None) -> GradedSheet:
    """A sheet graded: a claims file by its grammar, anything else read as handed in."""
    grader = grader or Grader(convention or DEFAULT, policy=policy)
    if fmt == "claims" or (fmt is None and is_claims_file(text, filename)):
        claims, meta = parse_claims(text, filename)
        _networks_named(claims, grader, filename)
        return GradedSheet(_grade_once(grader, claims), meta, grader, source=filename, fmt="claims")
    fmt = fmt or sniff(text, filename)
    reading = read_figures(read_sheet(text, filename, fmt))
    claims, unknown, networks = claims_of(reading, grader, forced=network)
    if network:
        networks = {network: "--network"}
    if not claims and not unknown and not reading.unread:
        raise ClaimsError("no claims found in the sheet", where=filename)
    claims.sort(key=lambda c: c.line)
    verdicts = _grade_once(grader, claims) + [_unknown_verdict(u) for u in unknown]
    verdicts.sort(key=lambda v: v.claim.line)
    unread = [(n, where, why) for n, where, why in reading.unread]
    return GradedSheet(verdicts, reading.meta, grader, unread, networks, filename, fmt)


def grade_files(paths, grader: Grader, *, network: str | None = None, fmt: str | None = None) -> list[GradedSheet]:
    """Each file read (a regular file within the sheet budget, else refused on one line) and graded."""
    from ..files import read_text_limited
    from .sheets import MAX_BYTES

    return [check_sheet(read_text_limited(path, MAX_BYTES, "sheet"), str(path), network=network, fmt=fmt,
                        grader=grader) for path in paths]
