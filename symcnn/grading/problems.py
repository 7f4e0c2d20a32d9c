"""Networks a question describes in words instead of naming: "3 stacked filters of size 5 x 5"
(problem P6: N stacked F x F convolutions, stride 1, no padding, on an input of side L).

A recogniser reads a section's words (never its figures) and writes the network as a spec,
so that the figures of the section are graded against the derivation like any other:
the receptive field of three stacked 5 x 5 convolutions is the stack's own, and the output
side after it is L - 12 with L a symbol.

>>> problem_spec("For 3 stacked filters of size 5 x 5, the output length is")[0]
'stack-3x5x5'
>>> problem_spec("the receptive field of three 3x3 conv layers")[0]
'stack-3x3x3'
>>> problem_spec("Three stacked 3x3 convs see a 7x7 region; parameters 27C^2 vs one 7x7 layer: 49C^2")[0]
'stack-3x3x3'
>>> problem_spec("AlexNet's conv1") is None
True
"""

from __future__ import annotations

import re

_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10}
_N = r"(\d{1,2}|" + "|".join(_COUNTS) + r")"
_STACKS = (
    re.compile(_N + r"\s+stacked\s+(?:conv\w*\s+)?(?:layers?|filters?|convolutions?|kernels?)?\s*(?:of\s+size\s+)?"
               r"(?:\(?\s*)(\d{1,2})\s*[x×*]\s*\2\b", re.I),
    re.compile(_N + r"\s+(?:stacked\s+)?(\d{1,2})\s*[x×*]\s*\2\s*(?:conv\w*|filters?|layers?|kernels?)", re.I),
    re.compile(r"stack\s+of\s+" + _N + r"\s+(\d{1,2})\s*[x×*]\s*\2\b", re.I),
)


def problem_spec(text: str) -> tuple[str, str, str] | None:
    """(name, spec text, how) of the stack a section describes (the last one it states with numbers)."""
    if not re.search(r"stack|receptive", text, re.I):
        return None
    found = []
    for pattern in _STACKS:
        for m in pattern.finditer(text):
            n = m.group(1).lower()
            count = _COUNTS.get(n) or int(n)
            # a stack the words call one ('3 stacked', 'a stack of') before one named in passing ('vs one 7x7 layer')
            found.append(("stack" in m.group(0).lower(), m.start(), count, int(m.group(2))))
    if not found:
        return None
    _, _, n, k = max(found)
    if not (1 <= n <= 20 and 1 <= k <= 31):
        return None
    name = f"stack-{n}x{k}x{k}"
    spec = (f"network {name}\ntitle {n} stacked {k}x{k} convolutions (stride 1, no padding)\n"
            f"source the question's words ({n} stacked {k} x {k})\ninput 1 L L\n"
            + "".join(f"conv{i}: conv 1 k={k}\n" for i in range(1, n + 1)))
    return name, spec, f"{n} stacked {k}x{k} convolutions, as the question states (stride 1, no padding, input L x L)"


def problem_network(text: str, grader) -> tuple[str, str] | None:
    """The stack a section describes, registered with the grader: (name, how), or None."""
    found = problem_spec(text)
    if found is None:
        return None
    name, spec, how = found
    from ..spec import loads

    grader.register(name, loads(spec, filename=f"<{name}>", name=name))
    return name, how


__all__ = ["problem_network", "problem_spec"]
