"""symcnn prove: every theorem verifies under both checkers, its closed form
agrees with brute force on random instances, false statements are refused,
the checkers refuse perturbed proofs (mutation tests), and proofs/ is exactly
what the code renders now."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import symcnn
from symcnn.cli import main
from symcnn.proof import (
    FAILED,
    NOT_RUN,
    PROVED,
    UNKNOWN,
    Builder,
    Context,
    ProofError,
    canon,
    check_relation,
    check_z3,
    verify,
)
from symcnn.render import proofdir, render
from symcnn.render.plaintext import prose_text
from symcnn.render.proofs import programmer_notation
from symcnn.theorems import THEOREMS, prove

from .bruteforce import receptive_field_1d, window_starts

ROOT = Path(__file__).resolve().parent.parent
SLUGS = list(THEOREMS)


def claimed(slug, which=0):
    """The proved statement's right-hand side, as a canonical sympy expression."""
    return canon(prove(slug).obligations[which].rhs)


def sym(expr, name):
    return next(s for s in expr.free_symbols if getattr(s, "name", None) == name)


# -- every theorem, every format ----------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_every_theorem_verifies_under_both_checkers_and_renders(slug):
    proof = prove(slug)
    assert proof.verified and proof.steps and proof.obligations
    assert proof.checkers == ("sympy", "z3")
    for link in proof.links:
        assert link.checks["sympy"] == PROVED, (slug, link.expr, link.detail)
        assert link.checks["z3"] in (PROVED, UNKNOWN), (slug, link.expr, link.detail)
    assert all(o.step is not None for o in proof.obligations)
    cert = json.loads(render(proof, "json"))
    assert cert["verified"] is True
    assert all(o["discharged_by"] for o in cert["obligations"])
    for step in cert["steps"]:
        for link in step["links"]:
            assert set(link["checks"]) == {"sympy", "z3"}
            assert link["checks"]["sympy"] in ("proved", "failed", "not-run", "assumed")
            assert link["checks"]["z3"] in ("proved", "failed", "unknown", "not-run", "assumed")
    sentence = cert["summary"]["sentence"]
    for fmt in ("text", "markdown", "latex", "mathml"):
        out = render(proof, fmt)
        assert "Every step was checked" not in out
        assert sentence.split(";")[0].replace("Z3", "") .split()[0] in out


@pytest.mark.parametrize("slug", SLUGS)
def test_summary_is_computed_from_the_verdicts(slug):
    proof = prove(slug)
    s = proof.summary()
    assert s["relations"] == len(proof.links)
    assert s["by_all"] == sum(1 for l in proof.links if l.checks["sympy"] == l.checks["z3"] == PROVED)
    assert s["sympy_only"] == sum(1 for l in proof.links if l.checks["z3"] == UNKNOWN)
    text = render(proof, "text")
    if s["sympy_only"]:
        assert f"{s['sympy_only']} by sympy alone" in text
    else:
        assert f"All {s['relations']} relations were confirmed by sympy and Z3" in text


@pytest.mark.parametrize("slug", SLUGS)
def test_no_programmer_notation_in_prose(slug):
    proof = prove(slug)
    texts = [prose_text(proof.statement)] + [prose_text(h.text) for h in proof.hypotheses]
    texts += [prose_text(s.text) + prose_text(s.label) for s in proof.steps]
    for t in texts:
        assert not programmer_notation(t), (slug, t)


@pytest.mark.parametrize("slug", SLUGS)
def test_sympy_alone_and_z3_alone(slug):
    alone = prove(slug, checkers=("sympy",))
    assert alone.verified and all(l.checks["z3"] == NOT_RUN for l in alone.links)
    try:
        z3 = prove(slug, checkers=("z3",))
    except ProofError as exc:  # Z3 alone cannot express every step: refused, saying which
        assert "Z3" in exc.message
    else:
        assert z3.verified and all(l.checks["z3"] == PROVED for l in z3.links)


# -- closed forms against brute force ----------------------------------------------------------------------------

@given(n=st.integers(1, 8), f=st.integers(1, 7))
def test_receptive_field_against_brute_force(n, f):
    expr = claimed("receptive-field")
    size, _ = receptive_field_1d([(f, 1, 0, 1)] * n)
    assert expr.subs({sym(expr, "N"): n, sym(expr, "F"): f}) == size == n * f - n + 1


@given(n=st.integers(1, 6), f=st.integers(1, 5), extra=st.integers(0, 20))
def test_output_length_against_sliding_windows(n, f, extra):
    length = n * f - n + 1 + extra
    cur = length
    for _ in range(n):
        cur = len(window_starts(cur, f, 1, 0, 1))
    expr = claimed("output-length")
    assert expr.subs({sym(expr, "L"): length, sym(expr, "N"): n, sym(expr, "F"): f}) == cur
    assert cur == len(window_starts(length, n * f - n + 1, 1, 0, 1))  # one big window: same length


def _evaluate_family(expr, values):
    """Put numbers in for L and for every k_l, s_l, p_l, d_l."""
    e = expr.subs(sym(expr, "L"), len(values["k"])).doit()
    for name, vals in values.items():
        e = sp.sympify(e).replace(lambda x: isinstance(x, sp.Indexed) and x.base.label.name == name,
                                  lambda x, vals=vals: sp.Integer(vals[int(x.indices[0]) - 1]))
    return sp.nsimplify(e)


@given(layers=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 3)),
                       min_size=1, max_size=5))
def test_strided_closed_forms_against_index_sets(layers):
    values = {"k": [l[0] for l in layers], "s": [l[1] for l in layers], "p": [l[2] for l in layers],
              "d": [l[3] for l in layers]}
    size, centre = receptive_field_1d(layers, 0)
    _, centre1 = receptive_field_1d(layers, 1)
    proof = prove("receptive-field-strided")
    jump_e, rf_e, start_e = (canon(o.rhs) for o in proof.obligations)
    assert _evaluate_family(rf_e, values) == size
    assert _evaluate_family(jump_e, values) == sp.nsimplify(centre1 - centre)
    assert _evaluate_family(start_e, values) == sp.nsimplify(centre)


@given(depth=st.integers(1, 7))
def test_dilated_against_brute_force(depth):
    size, _ = receptive_field_1d([(3, 1, 0, 2 ** (l - 1)) for l in range(1, depth + 1)])
    expr = claimed("dilated-receptive-field")
    assert expr.subs(sym(expr, "L"), depth) == size


@given(n=st.integers(1, 5), f=st.integers(1, 6), c=st.integers(1, 9))
def test_stacked_vs_single_against_tables(n, f, c):
    k = n * f - n + 1
    stack = symcnn.loads(f"input {c} 64 64\n" + f"conv {c} k={f} p={f // 2} bias=false\n" * n).derive()
    single = symcnn.loads(f"input {c} 64 64\nconv {c} k={k} bias=false\n").derive()
    ratio = claimed("stacked-vs-single-params")
    value = ratio.subs({sym(ratio, "N"): n, sym(ratio, "F"): f})
    assert value == sp.Rational(stack.totals["weights"], single.totals["weights"])
    if n >= 2 and f >= 2:
        assert value < 1


@given(cin=st.integers(1, 64), c1=st.integers(1, 64), c3=st.integers(1, 64), c5=st.integers(1, 64),
       r3=st.integers(1, 64), r5=st.integers(1, 64), pp=st.integers(1, 64), h=st.integers(5, 12))
def test_inception_ratio_against_numeric_modules(cin, c1, c3, c5, r3, r5, pp, h):
    naive = symcnn.loads(f"input {cin} {h} {h}\nconcat:\n  conv {c1} k=1\n  conv {c3} k=3 p=1\n  conv {c5} k=5 p=2\n"
                         "  maxpool k=3 s=1 p=1\n").derive()
    reduced = symcnn.loads(
        f"input {cin} {h} {h}\nconcat:\n  conv {c1} k=1\n  branch:\n    conv {r3} k=1\n    conv {c3} k=3 p=1\n"
        f"  branch:\n    conv {r5} k=1\n    conv {c5} k=5 p=2\n  branch:\n    maxpool k=3 s=1 p=1\n"
        f"    conv {pp} k=1\n").derive()
    ratio = claimed("inception-cost")
    names = dict(C_in=cin, c1=c1, c3=c3, c5=c5, r3=r3, r5=r5, pp=pp)
    value = ratio.subs({sym(ratio, k): v for k, v in names.items()})
    # hand arithmetic per position
    assert value == sp.Rational(cin * (c1 + r3 + r5 + pp) + 9 * r3 * c3 + 25 * r5 * c5, cin * (c1 + 9 * c3 + 25 * c5))
    assert value == sp.Rational(reduced.totals["macs"], naive.totals["macs"])


def test_inception_p7_numbers():
    naive, reduced = symcnn.table("inception-naive").totals, symcnn.table("inception-reduced").totals
    # per position: 256*(128 + 9*192 + 25*96) and 256*(128+128+32+64) + 9*128*192 + 25*32*96
    assert naive["macs"] == 32 * 32 * 256 * (128 + 9 * 192 + 25 * 96)
    assert reduced["macs"] == 32 * 32 * (256 * (128 + 128 + 32 + 64) + 9 * 128 * 192 + 25 * 32 * 96)
    assert "379/1064" in prose_text(prove("inception-cost").statement)
    assert sp.Rational(reduced["macs"], naive["macs"]) == sp.Rational(379, 1064)


@given(m=st.integers(1, 32), n=st.integers(1, 64), k=st.sampled_from([1, 3, 5, 7]), size=st.integers(4, 12))
def test_depthwise_against_tables(m, n, k, size):
    std = symcnn.loads(f"input {m} {size} {size}\nconv {n} k={k} p={k // 2}").derive().totals["macs"]
    sep = symcnn.loads(f"input {m} {size} {size}\nconv {m} k={k} p={k // 2} g={m}\nconv {n} k=1").derive()
    ratio = claimed("depthwise-separable-cost")
    assert ratio.subs({sym(ratio, "N"): n, sym(ratio, "D_K"): k}) == sp.Rational(sep.totals["macs"], std)


@given(w=st.integers(1, 30), f=st.integers(1, 9))
def test_same_padding_against_sliding(w, f):
    p = sp.Rational(f - 1, 2)
    if f % 2:
        assert len(window_starts(w + 0, f, 1, int(p), 1)) == w or f > w + 2 * p
    else:
        assert not p.is_integer


# -- --claim: false forms refused, equivalent forms accepted --------------------------------------------------------

FALSE_CLAIMS = {
    "receptive-field": ["N*F - N", "N*F", "N*(F - 1)", "N*F - N + 1 + (N - 1)*(N - 2)*(N - 3)",
                        "N*F - N + 1 + (N - 1)*(N - 2)", "max(N*F - N + 1, 2)", "N*F - N + 1 + (F - 1)*(N - 1)**2",
                        "F**N - N + 1", "(N*F - N + 1)*(F - 1)/(F - 1)", "N*F - N + floor(N/2)",
                        # roundings that are not constant over N >= 1 (floor(1/N) is 1 at N = 1 only)
                        "N*F - N + 1 + floor(1/N)", "N*F - N + 1 + ceil(N/(N + 1))"],
    "output-length": ["L - N*F", "L - N*F + N + N*(N - 1)*(N - 2)", "L - N*F + N - 1", "L - (N*F - N)*(F - 1)/(F - 1)",
                      "L - N*F + N + floor(1/N) - 1"],
    "dilated-receptive-field": ["2**L - 1", "2**(L + 1) - 1 + (L - 1)*(L - 2)", "2**(L + 1) + 1", "4*L - 1",
                                "3*L**2 - 2"],
    "stacked-vs-single-params": ["N*F**2/(N*F - N)**2", "N*F/(N*F - N + 1)", "F**2/(N*F - N + 1)**2",
                                 "N*F**2*(F - 1)/((N*F - N + 1)**2*(F - 1))"],
    "depthwise-separable-cost": ["1/N + 1/D_K", "1/N + 1/D_K**2 + (N - 1)*(D_K - 1)/(N*D_K)", "1/N",
                                 "(D_K - 1)/(N*(D_K - 1)) + 1/D_K**2"],
    "same-padding": ["F/2", "(F + 1)/2", "(F - 1)**2/(2*(F - 1))", "(F - 1)/2 + 1/4", "F - 1", "floor((F + 1)/2)"],
    "inception-cost": ["(C_in*(c1 + r3 + r5) + 9*r3*c3 + 25*r5*c5)/(C_in*(c1 + 9*c3 + 25*c5))",
                       "(C_in*(c1 + r3 + r5 + pp) + 9*r3*c3 + 25*r5*c5)/(C_in*(c1 + 9*c3 + 5*c5))", "1"],
    "receptive-field-strided": ["s[L]", "L", "1 + 0*L"],
    "xavier-variance": ["1/n_in", "2/(n_in*n_out)", "1/(n_in + n_out)", "(n_in - n_out)/(n_in*n_out) + 2/(n_in + n_out)"],
    "he-variance": ["1/n_in", "2/n_in**2", "4/n_in"],
    "adam-bias-correction": ["beta_1**t*mu", "(1 - beta_1**(t + 1))*mu", "(1 - beta_1)*mu",
                             "(1 - beta_1**t)*mu + t*(t - 1)*mu"],
}
TRUE_CLAIMS = {
    "receptive-field": ["N*(F - 1) + 1", "max(N*F - N + 1, 1)", "(N*F - N + 1)*(F + 1)/(F + 1)", "1 + N*F - N",
                        # roundings the hypotheses decide: 1/(N + 1), N/(N + 1), (N - 1)/N lie in [0, 1) for N >= 1
                        "N*F - N + 1 + floor(1/(N + 1))", "N*F - N + 1 + floor((N - 1)/N)",
                        "N*F - N + floor(N/(N + 1)) + ceil(1/(F + 1))"],
    "output-length": ["L - N*(F - 1)", "max(L - N*F + N, 1)"],
    "dilated-receptive-field": ["2*2**L - 1"],
    "stacked-vs-single-params": ["N*F**2/(N*(F - 1) + 1)**2"],
    "depthwise-separable-cost": ["(N + D_K**2)/(N*D_K**2)"],
    "same-padding": ["(F - 1)/2 + 0", "floor(F/2)", "F - 1 - (F - 1)/2"],
    "inception-cost": ["(C_in*c1 + C_in*r3 + C_in*r5 + C_in*pp + 9*r3*c3 + 25*r5*c5)/(C_in*c1 + 9*C_in*c3 + 25*C_in*c5)"],
    "xavier-variance": ["4/(2*n_in + 2*n_out)"],
    "he-variance": ["4/(2*n_in)"],
    "adam-bias-correction": ["mu - beta_1**t*mu"],
}


def test_every_closed_form_theorem_takes_a_claim():
    with_claims = {s for s, t in THEOREMS.items() if t.claim_help}
    assert with_claims == set(FALSE_CLAIMS) == set(TRUE_CLAIMS) | {"receptive-field-strided"}


@pytest.mark.parametrize("slug, claim", [(s, c) for s, cs in FALSE_CLAIMS.items() for c in cs])
def test_false_closed_forms_are_refused(slug, claim, capsys):
    with pytest.raises(ProofError):
        prove(slug, claim=claim)
    rc = main(["prove", slug, "--claim", claim])
    out, err = capsys.readouterr()
    assert rc == 1 and out == ""
    assert err.startswith(f"symcnn: not proved: {slug}") and err.count("\n") == 1
    assert "not confirmed" in err or "ends at" in err or "no confirmed step" in err
    assert "simplifies to" not in err  # no claim about a difference nobody computed


@pytest.mark.parametrize("slug, claim", [(s, c) for s, cs in TRUE_CLAIMS.items() for c in cs])
def test_equivalent_rewritings_are_accepted(slug, claim, capsys):
    assert prove(slug, claim=claim).verified
    assert main(["prove", slug, "--claim", claim]) == 0


@pytest.mark.parametrize("slug, claim", [("output-length", "L - N*F + N + N*(N - n)*(N - n - 1)"),
                                         ("receptive-field", "N*F - N + 1 + n"),
                                         ("adam-bias-correction", "(1 - beta_1**t)*mu + T"),
                                         ("same-padding", "(F - 1)/2 + m - m")])
def test_a_claim_cannot_use_the_proofs_own_variables(slug, claim, capsys):
    assert main(["prove", slug, "--claim", claim]) == 2
    err = capsys.readouterr().err
    assert "unknown name" in err and "a claim may use" in err


# -- the checkers themselves: unsound inputs refused ---------------------------------------------------------------

def test_inequality_needs_integers_for_integer_shifts():
    x = sp.Symbol("x", real=True)
    n = sp.Symbol("n", integer=True)
    ctx = Context((sp.Ge(x, 0),))
    for checker in ("sympy", "z3"):
        checks, _ = check_relation(sp.floor(x), ">=", x, ctx, (checker,))
        assert checks[checker] == FAILED
        checks, _ = check_relation(sp.floor(n), ">=", n, Context((sp.Ge(n, 0),)), (checker,))
        assert checks[checker] == PROVED


def test_cancelling_a_possibly_zero_factor_is_refused():
    F = sp.Symbol("F", integer=True, positive=True)
    with sp.evaluate(False):
        lhs = (F - 1) ** 2 / (2 * (F - 1))
    checks, detail = check_relation(lhs, "=", (F - 1) / 2, Context(), ("sympy", "z3"))
    assert checks == {"sympy": FAILED, "z3": FAILED}, detail
    with sp.evaluate(False):
        safe = (F + 1) ** 2 / (2 * (F + 1))
    assert check_relation(safe, "=", (F + 1) / 2, Context(), ("sympy", "z3"))[0] == {"sympy": PROVED, "z3": PROVED}


def test_a_statement_no_step_proves_is_refused():
    x = sp.Symbol("x", positive=True)
    b = Builder("demo", "demo", "$x + x = 3*x$", symbols={"x": x}, hypotheses=["x > 0"])
    b.state("x + x", "=", "3*x")
    b.chain("", "x + x", ("=", "2*x", "collect"))
    with pytest.raises(ProofError, match="not proved"):
        b.done()


def test_contradictory_hypotheses_are_refused():
    N = sp.Symbol("N", integer=True, positive=True)
    with pytest.raises(ProofError, match="contradict"):
        Builder("demo", "demo", "", symbols={"N": N}, hypotheses=["N >= 3", "N <= 2"])
    with pytest.raises(ProofError, match="contradict"):
        Builder("demo", "demo", "", symbols={"N": N}, hypotheses=["N <= 0"])


def test_a_fact_is_used_only_where_it_holds():
    """A fact proved for n >= 1 cannot be used at 0."""
    n = sp.Symbol("n", integer=True, nonnegative=True)
    r = sp.IndexedBase("r")
    b = Builder("demo", "demo", "", symbols={"n": n, "r": r}, hypotheses=["r[0] = 5"])
    b.premise("r_0", "", lambda q: r[0], lambda q: 5, index=0)
    from symcnn.proof.library import Call  # a definition is checked against a function of symcnn's, named

    b.define("rec", "", lambda q: r[q + 1], lambda q: q, lambda q: Call("output-size", (q, 1, 1, 0, 1, False, "floor")))
    b.induction(n, 1, lambda q: r[q], lambda q: q - 1, name="r_n = n - 1", fact="one",
                base=[("=", 0, "rec", ("def", "rec", 0))],
                step=[("=", n, "rec", ("def", "rec", n))])
    with pytest.raises(ProofError):
        b.chain("", r[0], ("=", -1, "the fact at 0", ("fact", "one", 0)))


# -- mutation tests: both checkers refuse perturbed steps --------------------------------------------------------------

def _points(exprs, hypotheses=(), count=4):
    """Random points in the symbols' domains (positive integers where integer, reals otherwise)
    that meet the hypotheses."""
    syms = sorted({s for e in list(exprs) + list(hypotheses) for s in canon(e).free_symbols
                   if isinstance(s, sp.Symbol)}, key=str)
    import random

    rng = random.Random(7)
    found = 0
    for _ in range(200):
        if found >= count:
            return
        point = {}
        for s in syms:
            if s.is_integer:
                point[s] = sp.Integer(rng.randint(1 if s.is_positive else 0, 9))
            elif s.is_positive:
                point[s] = sp.Rational(rng.randint(1, 9), rng.randint(1, 9))
            else:
                point[s] = sp.Rational(rng.randint(-9, 9), rng.randint(1, 9))
        try:
            if all(bool(canon(h).xreplace(point)) is True for h in hypotheses):
                found += 1
                yield point
        except TypeError:
            continue


def _differs(a, b, hypotheses=()) -> bool:
    """True when a and b (premise-free, closed expressions) take different real values somewhere
    the hypotheses allow."""
    a, b = canon(a), canon(b)
    if a.has(sp.Indexed, sp.Sum, sp.Product, sp.Limit, sp.Derivative, sp.Integral):
        return False
    for point in _points([a, b], hypotheses):
        try:
            va, vb = a.xreplace(point), b.xreplace(point)
            if va.is_number and vb.is_number and va.is_real and vb.is_real and sp.simplify(va - vb) != 0:
                return True
        except (TypeError, ValueError, ZeroDivisionError):
            continue
    return False


def _mutants(link):
    """(kind, lhs, relation, rhs) perturbations of a link, each genuinely false."""
    a, rel, b = link.lhs, link.relation, link.rhs
    out = []
    if rel == "=":
        out.append(("off-by-one", a, "=", sp.Add(b, 1, evaluate=False)))
        if isinstance(b, sp.Add) and len(b.args) > 1:
            for t in b.args:
                dropped = sp.Add(*[x for x in b.args if x is not t], evaluate=False)
                if _differs(dropped, b, link.context.hypotheses):
                    out.append(("dropped term", a, "=", dropped))
                    break
        labels = {x.label for x in canon(b).atoms(sp.IndexedBase)}
        syms = sorted((x for x in canon(b).free_symbols if type(x) is sp.Symbol and x not in labels), key=str)
        for s1 in syms:
            for s2 in syms:
                if s1 != s2 and s1.assumptions0 == s2.assumptions0:
                    swapped = b.xreplace({s1: s2})
                    if _differs(swapped, b, link.context.hypotheses):
                        out.append(("swapped symbol", a, "=", swapped))
                        break
            else:
                continue
            break
    else:
        flipped = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "!=": "="}[rel]
        out.append(("flipped inequality", a, flipped, b))
    return out


def _checkable_links(proof):
    for s in proof.steps:
        if s.kind in ("hypothesis", "conclusion"):
            continue
        for l in s.links:
            yield s, l


@pytest.mark.parametrize("slug", SLUGS)
def test_both_checkers_refuse_every_perturbed_step(slug):
    proof = prove(slug)
    tried, expressible, refuted = 0, 0, 0
    for step, link in _checkable_links(proof):
        for kind, a, rel, b in _mutants(link):
            checks, _detail = check_relation(a, rel, b, link.context, ("sympy", "z3"), link.side)
            assert checks["sympy"] != PROVED, (slug, kind, a, rel, b)
            assert checks["z3"] != PROVED, (slug, kind, a, rel, b)
            if link.checks["z3"] == PROVED and check_z3.STAND_INS not in link.detail["z3"]:
                # Z3 could express the step exactly: it should find a counterexample (where it reads powers, sums
                # or functions through stand-ins, a model of them need not be real and it only ever proves)
                expressible += 1
                refuted += checks["z3"] == FAILED
            tried += 1
    assert tried >= len(list(_checkable_links(proof)))
    # Z3 does not merely give up: it refutes the perturbed steps it can express (a few non-linear
    # ones with square roots run into its time limit and stay "unknown", never "proved")
    assert refuted >= 0.8 * expressible, (slug, refuted, expressible)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_wrong_hypothesis_is_refused(slug):
    """For every inequality that needs its hypotheses, negating one of them makes both checkers refuse it."""
    proof = prove(slug)
    for _step, link in _checkable_links(proof):
        if link.relation == "=" or not link.context.hypotheses:
            continue
        bare = Context((), link.context.premises)
        if PROVED in check_relation(link.lhs, link.relation, link.rhs, bare, ("sympy", "z3"))[0].values():
            continue  # true without any hypothesis
        refused = False
        for i, h in enumerate(link.context.hypotheses):
            wrong = (*link.context.hypotheses[:i], sp.Not(h), *link.context.hypotheses[i + 1:])
            checks, _ = check_relation(link.lhs, link.relation, link.rhs, Context(wrong, link.context.premises),
                                       ("sympy", "z3"), link.side)
            if checks["sympy"] != PROVED and checks["z3"] != PROVED:
                refused = True
                break
        assert refused, (slug, link.lhs, link.relation, link.rhs)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_certificate_is_recomputed_not_trusted(slug):
    """verify() judges a changed proof afresh: one off-by-one link and it is not verified."""
    proof = prove(slug)
    assert verify(proof).verified
    for si, step in enumerate(proof.steps):
        if step.kind != "chain" or not step.links:
            continue
        link = step.links[-1]
        if link.relation != "=":
            continue
        bad = replace(link, rhs=sp.Add(link.rhs, 1, evaluate=False), expr=sp.Add(link.expr, 1, evaluate=False))
        mutated = proof.with_link(si, len(step.links) - 1, bad)
        assert all(l.confirmed() for l in mutated.links)  # the stored verdicts say yes ...
        assert not mutated.verified  # ... but a changed proof is not the one the kernel certified
        again = verify(mutated)
        assert not again.verified and again.refused  # ... and judged afresh it is refused
        cert = json.loads(render(again, "json"))
        assert cert["verified"] is False
        assert "Not proved" in render(again, "text") and "QED" not in render(again, "text")
        return
    pytest.skip("no equality chain to mutate")


# -- command line and files ---------------------------------------------------------------------------------------

def test_prove_cli(capsys):
    assert main(["prove", "receptive-field"]) == 0
    out = capsys.readouterr().out
    assert "Theorem." in out and "QED." in out and "13" in out and "sympy ✓, Z3 ✓" in out
    assert main(["prove", "--list"]) == 0
    assert set(capsys.readouterr().out.split()) >= set(SLUGS)
    assert main(["prove", "same-padding", "-f", "latex", "--fragment"]) == 0
    assert "\\documentclass" not in capsys.readouterr().out
    assert main(["prove", "--all", "-f", "json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert [c["slug"] for c in every] == SLUGS and all(c["verified"] for c in every)
    assert main(["prove", "receptive-field", "--checker", "sympy", "-f", "json"]) == 0
    cert = json.loads(capsys.readouterr().out)
    assert {l["checks"]["z3"] for s in cert["steps"] for l in s["links"]} == {"not-run"}


@pytest.mark.parametrize("argv", [["prove"], ["prove", "nope"], ["prove", "receptive-field", "--claim", "N^2"],
                                  ["prove", "activation-derivatives", "--claim", "1"],
                                  ["prove", "--all", "--claim", "1"],
                                  ["prove", "receptive-field", "--checker", "coq"]])
def test_prove_bad_input(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("symcnn: error:")


def test_proofs_directory_is_current():
    """proofs/ holds exactly what `symcnn prove --all --write proofs` writes now."""
    expected = proofdir.files()
    on_disk = {p.name: p.read_text() for p in (ROOT / "proofs").iterdir() if p.is_file()}
    stale = sorted(set(on_disk) - set(expected))
    assert not stale, f"files in proofs/ that are no longer generated: {stale}"
    for name, text in expected.items():
        assert on_disk.get(name) == text, f"proofs/{name} is out of date: run 'symcnn prove --all --write proofs'"


def test_write_is_atomic_and_reports(tmp_path, capsys):
    assert main(["prove", "same-padding", "--write", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "same-padding.tex" in err
    assert {p.suffix for p in tmp_path.iterdir()} == {".txt", ".md", ".tex", ".html", ".json"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


TEX = shutil.which("pdflatex")
REQUIRE_TEX = os.environ.get("SYMCNN_REQUIRE_TEX") == "1"


@pytest.mark.skipif(TEX is None and not REQUIRE_TEX, reason="pdflatex not installed (CI installs it)")
@pytest.mark.parametrize("slug", SLUGS)
def test_latex_compiles(slug, tmp_path):
    assert TEX, "pdflatex is required (SYMCNN_REQUIRE_TEX=1)"
    (tmp_path / "p.tex").write_text(render(prove(slug), "latex"))
    proc = subprocess.run([TEX, "-interaction=nonstopmode", "-halt-on-error", "p.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    text = subprocess.run(["pdftotext", "p.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "Theorem" in text and "Proof" in text
