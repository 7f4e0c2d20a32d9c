"""Training theory: the derived formulas against numbers (finite differences,
seeded Monte Carlo) and each optimizer's symbolic step against a plain
implementation written here, and against torch.optim."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symcnn.optimizers import RULES, quadratic_step
from symcnn.proof import canon
from symcnn.theorems import prove

np = pytest.importorskip("numpy")


@given(z=st.floats(-6, 6))
def test_activation_derivatives_by_finite_differences(z):
    h = 1e-6
    tanh_d = (math.tanh(z + h) - math.tanh(z - h)) / (2 * h)
    assert abs(tanh_d - (1 - math.tanh(z) ** 2)) < 1e-6
    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    sig_d = (sig(z + h) - sig(z - h)) / (2 * h)
    assert abs(sig_d - sig(z) * (1 - sig(z))) < 1e-6 and sig_d <= 0.25 + 1e-9
    claimed = prove("activation-derivatives").obligations
    zz = sp.Symbol("z", real=True)
    assert abs(float(canon(claimed[1].rhs).subs(zz, z)) - sig_d) < 1e-6


@settings(max_examples=20, deadline=None)
@given(n_in=st.integers(16, 400), n_out=st.integers(16, 400), seed=st.integers(0, 2 ** 16))
def test_xavier_bound_gives_the_claimed_variance(n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    a = math.sqrt(6 / (n_in + n_out))  # the theorem's bound
    # the variance of U(-a, a) is a^2/3; measured on 200,000 draws its relative standard error is sqrt(0.8/200000)
    # = 0.002, so a 2% band is ten standard errors wide (a layer's own 16 x 16 draws were too few: 5.6%)
    assert abs(rng.uniform(-a, a, size=200_000).var() / (2 / (n_in + n_out)) - 1) < 0.02
    w = rng.uniform(-a, a, size=(n_out, n_in))
    x = rng.standard_normal((n_in, 2000))
    ratio = (w @ x).var() / x.var()  # forward: n_in Var(W) = 2 n_in / (n_in + n_out)
    assert abs(ratio / (2 * n_in / (n_in + n_out)) - 1) < 0.2


@settings(max_examples=10, deadline=None)
@given(width=st.integers(256, 512), seed=st.integers(0, 2 ** 16))
def test_he_variance_keeps_relu_networks_stable(width, seed):
    """In expectation each layer keeps the variance; a finite layer multiplies it by a
    random factor near 1, so eight layers stay within a factor of 3, while Xavier's
    1/n_in halves it at every layer (1/256 after eight)."""
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal((width, 2000))
    x, first = x0, None
    for _ in range(8):
        y = rng.normal(0, math.sqrt(2 / width), size=(width, width)) @ x  # the theorem's Var(W) = 2/n_in
        first = first or y.var()
        x = np.maximum(y, 0)
    assert 1 / 3 < y.var() / first < 3
    x = x0
    for _ in range(8):
        y = rng.normal(0, math.sqrt(1 / width), size=(width, width)) @ x
        x = np.maximum(y, 0)
    assert y.var() < first / 50


def plain_step(name, theta, g, state, t, h):
    """Each rule written again, plainly, from its published definition."""
    s = dict(state)
    if name == "sgd-momentum":
        s["v"] = g if t == 1 else h["momentum"] * s["v"] + g
        return theta - h["lr"] * s["v"], s
    if name == "adagrad":
        s["G"] += g * g
        return theta - h["lr"] * g / (math.sqrt(s["G"]) + h["eps"]), s
    if name == "adadelta":
        s["Eg2"] = h["rho"] * s["Eg2"] + (1 - h["rho"]) * g * g
        d = math.sqrt(s["Edx2"] + h["eps"]) / math.sqrt(s["Eg2"] + h["eps"]) * g
        s["Edx2"] = h["rho"] * s["Edx2"] + (1 - h["rho"]) * d * d
        return theta - h["lr"] * d, s
    if name.startswith("rmsprop"):
        s["s"] = h["alpha"] * s["s"] + (1 - h["alpha"]) * g * g
        denom = s["s"]
        if name == "rmsprop-centred":
            s["gbar"] = h["alpha"] * s["gbar"] + (1 - h["alpha"]) * g
            denom = s["s"] - s["gbar"] ** 2
        step = g / (math.sqrt(denom) + h["eps"])
        if name == "rmsprop-momentum":
            s["b"] = h["momentum"] * s["b"] + step
            step = s["b"]
        return theta - h["lr"] * step, s
    b1, b2 = h["beta1"], h["beta2"]
    s["m"] = b1 * s["m"] + (1 - b1) * g
    s["v"] = b2 * s["v"] + (1 - b2) * g * g
    if name == "adam":
        return theta - h["lr"] * (s["m"] / (1 - b1 ** t)) / (math.sqrt(s["v"] / (1 - b2 ** t)) + h["eps"]), s
    if name == "amsgrad":
        s["vmax"] = max(s["vmax"], s["v"])
        return theta - h["lr"] * (s["m"] / (1 - b1 ** t)) / (math.sqrt(s["vmax"] / (1 - b2 ** t)) + h["eps"]), s
    if name == "nadam":
        mhat = s["m"] / (1 - b1 ** (t + 1))
        look = b1 * mhat + (1 - b1) * g / (1 - b1 ** t)
        return theta - h["lr"] * look / (math.sqrt(s["v"] / (1 - b2 ** t)) + h["eps"]), s
    raise KeyError(name)


hyper = st.fixed_dictionaries({
    "lr": st.floats(1e-3, 0.5), "momentum": st.floats(0, 0.99), "eps": st.floats(1e-8, 1e-2),
    "rho": st.floats(0.5, 0.99), "alpha": st.floats(0.5, 0.999), "beta1": st.floats(0.5, 0.99),
    "beta2": st.floats(0.9, 0.9999),
})


@settings(max_examples=60)
@given(h=hyper, theta0=st.floats(-5, 5), a=st.floats(0.1, 10), c=st.floats(-5, 5))
def test_symbolic_first_step_equals_a_plain_step(h, theta0, a, c):
    syms = {k: sp.Symbol(k, positive=True) for k in h}
    T, A, C = sp.Symbol("theta_0", real=True), sp.Symbol("a", positive=True), sp.Symbol("c", real=True)
    for name, rule in RULES.items():
        expr = quadratic_step(rule, T, A, C, syms)
        values = {T: theta0, A: a, C: c, **{syms[k]: v for k, v in h.items()}}
        symbolic = float(expr.subs(values))
        plain, _ = plain_step(name, theta0, a * (theta0 - c), dict.fromkeys(rule.state, 0.0), 1, h)
        assert math.isclose(symbolic, plain, rel_tol=1e-9, abs_tol=1e-9), name


@pytest.mark.torch
@settings(max_examples=25)
@given(h=hyper, theta0=st.floats(-5, 5), a=st.floats(0.1, 10), c=st.floats(-5, 5))
def test_rules_match_torch_optim_over_five_steps(h, theta0, a, c):
    torch = pytest.importorskip("torch")
    makers = {
        "sgd-momentum": lambda p: torch.optim.SGD([p], lr=h["lr"], momentum=h["momentum"]),
        "adagrad": lambda p: torch.optim.Adagrad([p], lr=h["lr"], eps=h["eps"]),
        "adadelta": lambda p: torch.optim.Adadelta([p], lr=h["lr"], rho=h["rho"], eps=h["eps"]),
        "rmsprop": lambda p: torch.optim.RMSprop([p], lr=h["lr"], alpha=h["alpha"], eps=h["eps"]),
        "rmsprop-centred": lambda p: torch.optim.RMSprop([p], lr=h["lr"], alpha=h["alpha"], eps=h["eps"],
                                                         centered=True),
        "rmsprop-momentum": lambda p: torch.optim.RMSprop([p], lr=h["lr"], alpha=h["alpha"], eps=h["eps"],
                                                          momentum=h["momentum"]),
        "adam": lambda p: torch.optim.Adam([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
        "amsgrad": lambda p: torch.optim.Adam([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                                              amsgrad=True),
    }
    for name, make in makers.items():
        p = torch.tensor([theta0], dtype=torch.float64, requires_grad=True)
        opt = make(p)
        theta, state = theta0, dict.fromkeys(RULES[name].state, 0.0)
        for t in range(1, 6):
            opt.zero_grad()
            loss = a / 2 * (p - c) ** 2
            loss.sum().backward()
            opt.step()
            theta, state = RULES[name].step(theta, a * (theta - c), state, t, h)
            assert math.isclose(theta, p.item(), rel_tol=1e-9, abs_tol=1e-9), (name, t)


def test_adam_bias_correction_by_simulation():
    rng = np.random.default_rng(7)
    b1, mean = 0.9, 1.5
    g = rng.normal(mean, 1.0, size=(20000, 10))
    m = np.zeros(20000)
    for t in range(10):
        m = b1 * m + (1 - b1) * g[:, t]
    assert abs(m.mean() - (1 - b1 ** 10) * mean) < 0.02  # the theorem's E[m_t]
    assert abs(m.mean() / (1 - b1 ** 10) - mean) < 0.03  # corrected: unbiased
