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
    re.compile(r"\bN\s*=\s*(\d{1,2})\s*,?\s*(?:and\s+)?F\s*=\s*(\d{1,2})\b"),  # "For N = 3, F = 5"
    # the field's own working, where the words name the receptive field: '1 + 3*(5 - 1)', '3*5 - 3 + 1'
    re.compile(r"(?<![\d.])1\s*\+\s*(\d{1,2})\s*[·*x×]?\s*\(\s*(\d{1,2})\s*[-−]\s*1\s*\)"),
    re.compile(r"(?<![\d.])(\d{1,2})\s*[·*x×]\s*(\d{1,2})\s*[-−]\s*\1\s*\+\s*1\b"),
)


_INPUT = re.compile(r"\binput\s*(?:volume|size|of)?\s*(?:W_?1?\s*[x×*]\s*H_?1?\s*[x×*]\s*D_?1?\s*)?"
                    r"[:=]?\s*(\d{1,4})\s*[x×*]\s*(\d{1,4})\s*[x×*]\s*(\d{1,4})",
                    re.I)
_FILTERS = re.compile(r"(\d{1,4})\s+(?:filters?|kernels?)\s*(?:of\s+(?:size\s+)?)?,?\s*(\d{1,2})\s*[x×*]\s*\2\b|"
                      r"(\d{1,2})\s*[x×*]\s*\3\s+(?:filters?|kernels?)\s*,?\s*(\d{1,4})\b", re.I)
#: the problem's own letters: K = 10 (filters), F = 5 (their extent), S = 1, P = 2
_LETTER = {k: re.compile(rf"(?<![A-Za-z0-9_]){k}\s*=\s*(\d{{1,4}})\b") for k in "KFSP"}


def conv_layer_spec(text: str) -> tuple[str, str, str] | None:
    """(name, spec text, how) of one convolution layer a question gives in words (problem P1 with numbers): an input
    W x H x D, K filters F x F, a stride and a padding (1 and 0 when not said).

    >>> conv_layer_spec("Conv layer: input 32x32x3, 10 filters 5x5, stride 1, pad 2.")[0]
    'conv-32x32x3-10f5s1p2'
    >>> conv_layer_spec("Input W1 x H1 x D1 = 32 x 32 x 3, K = 10 filters, F = 5, S = 1, P = 2")[0]
    'conv-32x32x3-10f5s1p2'
    >>> conv_layer_spec("AlexNet conv1: 96 filters 11x11") is None
    True
    """
    if len(text) > 4000:
        return None
    m_in, m_f = _INPUT.search(text), _FILTERS.search(text)
    letters = {k: p.search(text) for k, p in _LETTER.items()}
    if not m_in or not (m_f or (letters["K"] and letters["F"])):
        return None
    w, h, d = (int(v) for v in m_in.groups())
    if m_f:
        k, f = (int(m_f.group(1)), int(m_f.group(2))) if m_f.group(1) else (int(m_f.group(4)), int(m_f.group(3)))
    else:
        k, f = int(letters["K"].group(1)), int(letters["F"].group(1))  # type: ignore[union-attr]
    stride = re.search(r"stride\s*[:=]?\s*(\d{1,2})", text, re.I) or letters["S"]
    pad = re.search(r"pad(?:ding)?\s*[:=]?\s*(\d{1,2})", text, re.I) or letters["P"]
    s_, p_ = int(stride.group(1)) if stride else 1, int(pad.group(1)) if pad else 0
    if not (1 <= k <= 4096 and 1 <= f <= 31 and 1 <= w <= 4096 and 1 <= h <= 4096 and 1 <= d <= 4096):
        return None
    name = f"conv-{w}x{h}x{d}-{k}f{f}s{s_}p{p_}"
    spec = (f"network {name}\ntitle a convolution layer as the question gives it\n"
            f"source the question's words\ninput {d} {h} {w}\nconv1: conv {k} k={f} s={s_} p={p_}\n")
    return name, spec, (f"one convolution layer, as the question states it (input {w}x{h}x{d}, {k} filters "
                        f"{f}x{f}, stride {s_}, padding {p_})")


def problem_spec(text: str, layer: bool = True, topic: str = "") -> tuple[str, str, str] | None:
    """(name, spec text, how) of the stack a section describes (the last one it states with numbers), or (``layer``:
    where no network is in play) of the one convolution layer it gives. ``topic``: the heading of the problem the
    section is a part of ('P6 Receptive field' over '(c) Three 5x5 layers: ...').

    >>> problem_spec("(c) Three 5x5 layers: 3*5 - 3 + 1 = 13", topic="P6 Receptive field")[0]
    'stack-3x5x5'
    >>> problem_spec("(c) Three 5x5 layers: 3*5 - 3 + 1 = 13") is None
    True
    """
    if not re.search(r"stack|receptive", f"{topic} {text}", re.I):
        return conv_layer_spec(text) if layer else None
    found = []
    for pattern in _STACKS:
        for m in pattern.finditer(text):
            n = m.group(1).lower()
            count = _COUNTS.get(n) or int(n)
            # a stack the words call one ('3 stacked', 'a stack of') before one named in passing ('vs one 7x7 layer')
            # ... and a stack of several before one filter ('one 13x13 filter' is what the stack is compared with)
            # ... and the problem's letters given values ('For N = 3, F = 5') are as explicit as the word
            strong = "stack" in m.group(0).lower() or pattern in _STACKS[3:]
            found.append((strong, count > 1, pattern not in _STACKS[4:], m.start(), count, int(m.group(2))))
    # 'like one 13x13 filter': what a stack is compared with, not a stack the section is about
    found = [f for f in found if f[4] > 1 or f[0]]
    if not found:
        # 'Each 5x5 layer adds 4: 5, 9, 13. So three layers see 13x13': the kernel and the count said apart
        kernel = re.search(r"(?<![\dx×])(\d{1,2})\s*[x×]\s*\1\s+(?:conv\w*\s+)?(?:layers?|filters?|convs?|kernels?)\b",
                           text, re.I)
        layers = re.search(_N + r"\s+(?:stacked\s+)?(?:conv\w*\s+)?layers\b", text, re.I)
        if kernel and layers and layers.group(1).lower() not in ("one", "1"):
            n_said = layers.group(1).lower()
            found.append((True, True, True, 0, _COUNTS.get(n_said) or int(n_said), int(kernel.group(1))))
    if not found:
        return None
    _, _, said, _, n, k = max(found)  # the words' stack before the one a working computes
    if not (1 <= n <= 20 and 1 <= k <= 31):
        return None
    name = f"stack-{n}x{k}x{k}"
    spec = (f"network {name}\ntitle {n} stacked {k}x{k} convolutions (stride 1, no padding)\n"
            f"source the question's words ({n} stacked {k} x {k})\ninput 1 L L\n"
            + "".join(f"conv{i}: conv 1 k={k}\n" for i in range(1, n + 1)))
    source = "as the question states" if said else "as the working computes it (no question text names the stack)"
    return name, spec, f"{n} stacked {k}x{k} convolutions, {source} (stride 1, no padding, input L x L)"


def problem_network(text: str, grader, layer: bool = True, topic: str = "") -> tuple[str, str] | None:
    """The stack (or, with ``layer``, the one convolution layer) a section describes, registered with the grader:
    (name, how), or None."""
    found = problem_spec(text, layer, topic)
    if found is None:
        return None
    name, spec, how = found
    from ..spec import loads

    grader.register(name, loads(spec, filename=f"<{name}>", name=name))
    return name, how


__all__ = ["problem_network", "problem_spec"]
