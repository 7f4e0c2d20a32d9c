"""Where a line of prose is cut into parts, each about one subject: its sentences (a sentence of words alone
leads into the next), and within a sentence a new label ('..., conv4: 13x13x384'), a clause about another layer
('..., conv4 has ... and conv5 has ...'), a part naming another network ('... and the reduced one 32x32x480'), an
aside about one layer ('(most in FC6: ...)'), a layer and its shape after another ('conv1 [..] pool1 [..]'). Also
the forms of a list whose figures go one per layer: a chain of arrows, a growing comma list, 'the three FC layers'.

>>> sentences("Conv2 has 614,656 parameters. Pooling again gives 13x13x256.")
('Conv2 has 614,656 parameters.', 'Pooling again gives 13x13x256.')
>>> parts("Conv3 has 885,120 parameters, conv4 has 1,327,488 and conv5 has 884,992")
('Conv3 has 885,120 parameters', 'conv4 has 1,327,488', 'conv5 has 884,992')
"""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import rx
from .vocabulary import family_of_label, mentions

_CHUNK = re.compile(r"(?:[;,]|(?<![A-Za-z]\.[A-Za-z])(?<=[\w)\]%])\.(?=\s)|\s\bvs\.?|\sversus)\s+"
                    r"(?=(?:[A-Za-z][A-Za-z\- ]{0,20}?\s*\d{0,4}[a-z]?|[A-Za-z][\w\- ]{0,24}?|"
                    r"\d{1,2}\s*[x×]\s*\d{1,2}(?:\s+[A-Za-z][\w-]*){0,2}(?:\s*,?\s*\d{1,4})?)\s*(?:[:=~≈]|->|=>|→)\s*"
                    r"[\d(\[~$])")  # a new label: 'conv4:', '3x3:', '5x5 conv 96:', 'pool3 -> 6x6x256', 'FC ~ 58.6M'


#: "... and the FC layers 123,642,856": a second part of a sentence, about a family's layers
_AND_GROUP = re.compile(r"\s(?:and|while|whereas)\s+(?=(?:the\s+)?(?:fc|fully[- ]connected|dense|conv\w*)\s+layers\s+"
                        r"(?:have\s+|hold\s+|take\s+)?[~≈]?\s*\d)", re.I)


@lru_cache(maxsize=16384)
def sentences(text: str) -> tuple[str, ...]:
    """A prose line cut into its sentences where more than one carries figures ('..., 614,656 parameters. Pooling
    again gives 13x13x256.'); a sentence of words alone leads into the next ('The FC layers hold most of it. FC6
    has ...'). Decimal points, abbreviations ('approx.', 'e.g.') and dotted names never cut."""
    if len(text) > 2000 or ". " not in text:
        return (text,)
    cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)
                  if not rx(r"\s*(?:\d{1,2}|[a-hivx]{1,4})").fullmatch(text[:m.start()])]  # '1. CONV1 55x55x96'
    parts = [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)])]
    out: list[str] = []
    waiting = ""
    for part in parts:
        part = f"{waiting} {part}".strip()
        if not rx(r"\d").search(part):
            waiting = part
            continue
        waiting = ""
        out.append(part)
    if waiting:
        out = [*out[:-1], f"{out[-1]} {waiting}"] if out else [waiting]
    return tuple(out) if len(out) > 1 else (text,)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%*])(?<!\bapprox)(?<!\bappr)(?<!\bresp)(?<!\bfig)(?<!\beq)(?<!\bca)"
                           r"(?<!\bvs)(?<!\bno)(?<!\bcf)(?<!\bal)(?<!\bsec)(?<!\btab)(?<!\.[a-z])\.\s+(?=[A-Z])")


_CLAUSE = re.compile(r"(?:[;,]\s+(?:and\s+|while\s+|whereas\s+)?|\s(?:and|while|whereas)\s+)"
                     r"(?=(?:the\s+)?(?:(?:conv\w*|pool\w*|max[- ]?pool\w*|fc|norm|dense|linear|layer)"
                     r"[\s_-]?\d+(?:[_-]\d+)?"
                     r"|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|last)\s+(?:conv\w*|pool\w*|fc|fully"
                     r"[- ]connected|linear|dense)(?:\s+layer)?)\s+(?:has|have|holds?|gives?|outputs?|produces?|is|are|"
                     r"takes?|contains?|needs?|uses?|with)\b)", re.I)  # '..., conv4 has ... and conv5 has ...'


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "both": 2}
FAMILY_LIST = re.compile(r"(?i)\b(?:the|all|its|their)\s+"
                          r"(?:(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|both)"
                          r"\s+)?(fully[- ]connected|fc|dense|linear|conv\w*|(?:max[- ]?)?pool\w*)\s+layers\s+"
                          r"(?:each\s+)?(?:have|has|hold|contain|need|use|take|are|with|:)\s*(?:respectively\s*)?")
#: bare figures joined by arrows, a value after each layer: 'RF: 5 -> 9 -> 13'
PROGRESSION = re.compile(r"(?<![\d.,x×*])\d{1,4}(?:\s*(?:->|→|⟶|=>|⇒)\s*\d{1,4}(?!\d|[.,]\d|\s*[x×*]\s*\d)){2,}")
GROWING = re.compile(r"(?<![\d.,x×*])\d{1,4}(?:\s*,\s*\d{1,4}(?!\d|[.,]\d|\s*[x×*]\s*\d)){2,}(?!\s*,?\s*\d)")
#: an aside about one layer, with its own figure: 'params ~ 144M (most in FC6: 7*7*512*4096 ~ 102.8M)'
_ASIDE = re.compile(r"\((?=[A-Za-z ]{0,24}\b(?:conv|fc|pool|dense|linear)[\w-]*\s*\d*(?:\s+layers?)?\s*[:=]\s*[~≈]?\s*"
                    r"[\d(])", re.I)
#: "conv1 [96x55x55] pool1 [96x27x27]": a layer's name and its shape, one after another
_LABELLED_SHAPE = re.compile(r"\s(?=(?:conv|pool|maxpool|avgpool|fc|linear|dense|norm|input)[\w.-]*\s*"
                             r"(?:[:=]\s*)?\[\d)", re.I)
_NETWORK_CUT = re.compile(r"\s(?:and|while|whereas|but|vs\.?|versus)\s+|[;,]\s+(?:and\s+|while\s+|but\s+)?")


@lru_cache(maxsize=16384)
def parts(text: str) -> tuple[str, ...]:
    """A line cut where a new label starts ('..., conv4: 13x13x384'), when each part's label names a layer or a
    total."""
    if len(text) > 2000:
        return (text,)
    cuts = [0] + [m.end() for m in _AND_GROUP.finditer(text)] + [m.end() for m in _CLAUSE.finditer(text)] + \
        [m.start() for m in _ASIDE.finditer(text) if m.start() > 0 and rx(r"\d").search(text[:m.start()])] + \
        [close + 1 for m in _ASIDE.finditer(text) if (close := text.find(")", m.end())) > 0 and
         rx(r"\d").search(text[close + 1:])]  # and what follows the aside is the line's again
    for m in _CHUNK.finditer(text):
        head = rx(r"[:=~≈]|->|→").split(text[m.end():], 1)[0]
        if family_of_label(head) is not None or rx(r"\s*\d{1,2}\s*[x×]\s*\d{1,2}\s*").fullmatch(head) or \
                mentions(head):
            cuts.append(m.end())
    cuts += [m.start() + 1 for m in _LABELLED_SHAPE.finditer(text) if rx(r"\d").search(text[:m.start()])]
    for m in _NETWORK_CUT.finditer(text):
        # "the naive module outputs 32x32x672 and the reduced one 32x32x480": a part naming another network
        left, right = text[:m.start()], text[m.end():]
        ahead, behind = mentions(right[:40]), mentions(left)
        if ahead and behind and ahead[0].start < 25 and not rx(r"\d").search(right[:ahead[0].start]) and \
                rx(r"\d").search(right[ahead[0].end:]) and \
                ahead[0].networks != behind[-1].networks and rx(r"\d").search(left):
            cuts.append(m.end())
    if len(cuts) < 2:
        return (text,)
    cuts = sorted(set(cuts))
    return tuple(rx(r"\s+(?:and|while|whereas|but|vs\.?|versus)$").sub("", text[a:b].rstrip(" ;,")).rstrip(" ;,")
                 for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True))


__all__ = ["COUNT_WORDS", "FAMILY_LIST", "GROWING", "PROGRESSION", "parts", "sentences"]
