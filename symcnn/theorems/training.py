"""Training theory (problem P8): activation derivatives, initialisation
variances, Adam's bias correction, and the optimizer update rules."""

from __future__ import annotations

import sympy as sp

from ..proof import Builder
from . import register

Z = sp.Symbol("z", real=True)


def _limit(e, z, to, direction="+-"):
    return sp.Limit(e, z, to, dir=direction) if direction != "+-" else sp.Limit(e, z, to)


@register("activation-derivatives", "Derivatives of tanh, sigmoid, ReLU and leaky ReLU")
def activation_derivatives():
    z, s = Z, sp.Symbol("s", real=True)
    p, q = sp.Symbol("p", positive=True), sp.Symbol("q", negative=True)
    h = sp.Symbol("h", real=True)
    a = sp.Symbol("a", positive=True)
    sigma = 1 / (1 + sp.exp(-z))
    b = Builder("activation-derivatives", "Derivatives of tanh, sigmoid, ReLU and leaky ReLU",
                "tanh' = 1 - tanh^2 and sigmoid' = sigmoid (1 - sigmoid): both at most their value at 0 (1 and "
                "1/4) and vanishing as |z| grows (saturation); ReLU' is 0 for z < 0 and 1 for z > 0 and does not "
                "exist at 0 (frameworks use 0 there); leaky ReLU' is a for z < 0 and 1 for z > 0, never 0.",
                ["z real; p > 0 and q < 0 stand for points on either side of 0", "leaky slope 0 < a < 1"],
                symbols={"z": z, "s": s, "p": p, "q": q, "h": h, "a": a}, problem="Problem P8")
    b.state("", sp.Derivative(sp.tanh(z), z), ("=", 1 - sp.tanh(z) ** 2, ""))
    b.state("", sp.Derivative(sigma, z), ("=", sp.Mul(sigma, 1 - sigma, evaluate=False), ""))
    b.chain("tanh: sympy differentiates", sp.Derivative(sp.tanh(z), z),
            ("=", sp.Add(1, -sp.tanh(z) ** 2, evaluate=False), "differentiate"))
    b.chain("It is largest at z = 0, where tanh(0) = 0,", sp.Add(1, -sp.tanh(z) ** 2, evaluate=False),
            ("<=", 1, "tanh(z)^2 >= 0"))
    b.chain("and saturates: it vanishes as z -> +oo", _limit(1 - sp.tanh(z) ** 2, z, sp.oo), ("=", 0, "limit"))
    b.chain("and as z -> -oo.", _limit(1 - sp.tanh(z) ** 2, z, -sp.oo), ("=", 0, "limit"))
    b.chain("Sigmoid, sigma(z) = 1/(1 + e^(-z)): sympy differentiates and the result is sigma (1 - sigma)",
            sp.Derivative(sigma, z), ("=", sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "differentiate"),
            ("=", sp.Mul(sigma, 1 - sigma, evaluate=False), "simplify"))
    b.chain("With s = sigma(z), 1/4 - s (1 - s) is a square, so sigma' <= 1/4, with equality at s = 1/2 (z = 0):",
            sp.Add(sp.Rational(1, 4), -s * (1 - s), evaluate=False), ("=", (s - sp.Rational(1, 2)) ** 2, "complete the square"),
            (">=", 0, "a square of a real"))
    b.chain("It saturates on both sides:", _limit(sigma * (1 - sigma), z, sp.oo), ("=", 0, "limit"))
    b.chain("", _limit(sigma * (1 - sigma), z, -sp.oo), ("=", 0, "limit"))
    relu = lambda x: sp.Max(0, x)  # noqa: E731
    b.chain("ReLU(z) = max(0, z). For p > 0 it is p, slope 1:", sp.Derivative(relu(p), p), ("=", 1, "differentiate"))
    b.chain("for q < 0 it is 0, slope 0 (a unit there passes no gradient: it can 'die'):",
            sp.Derivative(relu(q), q), ("=", 0, "differentiate"))
    b.chain("At 0 the one-sided difference quotients differ, so ReLU has no derivative there (PyTorch and most "
            "frameworks use 0; any value in [0, 1] is a subgradient):",
            _limit(relu(h) / h, h, 0, "+"), ("=", 1, "from the right"))
    b.chain("", _limit(relu(h) / h, h, 0, "-"), ("=", 0, "from the left"))
    leaky = lambda x: sp.Piecewise((x, x >= 0), (a * x, True))  # noqa: E731
    b.chain("Leaky ReLU with slope a: 1 for z > 0,", sp.Derivative(leaky(p), p), ("=", 1, "differentiate"))
    b.chain("a for z < 0: never zero, so no unit dies,", sp.Derivative(leaky(q), q), ("=", a, "differentiate"))
    b.chain("and again no derivative at 0: the difference quotient is 1 on the right (p > 0)",
            leaky(p) / p, ("=", 1, "simplify"))
    b.chain("and a on the left (q < 0), so the one-sided limits are 1 and a:", leaky(q) / q, ("=", a, "simplify"))
    return b.done()


def _moments():
    """Symbols for means and variances of a weight w and an input x."""
    mw, mx = sp.symbols("mu_w mu_x", real=True)
    vw, vx = sp.symbols("sigma_w^2 sigma_x^2", positive=True)
    return mw, mx, vw, vx


def _product_rule(b: Builder, mw, mx, vw, vx):
    """Var(w x) for independent w, x, from E[AB] = E[A] E[B] and E[A^2] = Var(A) + E[A]^2."""
    Ew2, Ex2 = vw + mw ** 2, vx + mx ** 2
    b.chain("For independent w and x, E[w^2 x^2] = E[w^2] E[x^2] and E[w x] = E[w] E[x], with E[w^2] = "
            "Var(w) + E[w]^2, so",
            sp.Add(sp.Mul(Ew2, Ex2, evaluate=False), -(mw * mx) ** 2, evaluate=False),
            ("=", vw * vx + vw * mx ** 2 + mw ** 2 * vx, "expand"))
    from sympy.stats import Normal, variance

    W = Normal("w", 0, sp.sqrt(vw))
    X = Normal("x", 0, sp.sqrt(vx))
    b.check(sp.simplify(variance(W * X) - vw * vx) == 0, "sympy.stats disagrees with Var(wx) = Var(w) Var(x)")


@register("xavier-variance", "Xavier (Glorot) initialisation: Var(W) = 2/(fan_in + fan_out)")
def xavier_variance():
    mw, mx, vw, vx = _moments()
    n_in, n_out = sp.symbols("n_in n_out", integer=True, positive=True)
    vg = sp.Symbol("sigma_g^2", positive=True)
    a = sp.Symbol("a", positive=True)
    b = Builder("xavier-variance", "Xavier (Glorot) initialisation: Var(W) = 2/(fan_in + fan_out)",
                "A linear layer y = W x keeps the variance of activations forward when n_in Var(W) = 1 and of "
                "gradients backward when n_out Var(W) = 1; the compromise Var(W) = 2/(n_in + n_out) is reached "
                "by a uniform U(-a, a) with a = sqrt(6/(n_in + n_out)) (Glorot & Bengio 2010).",
                ["weights and inputs independent, zero mean (mu_w = mu_x = 0), identically distributed",
                 "linear (or tanh near 0) units; n_in inputs and n_out outputs per layer"],
                symbols={"n_in": n_in, "n_out": n_out}, problem="Problem P8")
    b.state("", sp.Symbol("Var(W)"), ("=", 2 / (n_in + n_out), ""))
    _product_rule(b, mw, mx, vw, vx)
    b.chain("With zero means this is Var(w) Var(x) (sympy.stats agrees for normal w and x):",
            (vw * vx + vw * mx ** 2 + mw ** 2 * vx).subs({mw: 0, mx: 0}), ("=", vw * vx, "mu_w = mu_x = 0"))
    b.chain("A sum of n_in independent terms adds their variances: Var(y_j) = n_in Var(w) Var(x). Forward, "
            "Var(y) = Var(x), that is n_in Var(w) Var(x) = Var(x), gives Var(w) =",
            sp.Mul(vx, sp.Pow(n_in * vx, -1, evaluate=False), evaluate=False), ("=", 1 / n_in, "cancel Var(x)"))
    b.check(sp.solve(sp.Eq(n_in * vw * vx, vx), vw) == [1 / n_in], "sympy's solve disagrees")
    b.chain("Backward, dL/dx_i sums n_out terms w_ji dL/dy_j; n_out Var(w) Var(dL/dy) = Var(dL/dy) gives "
            "Var(w) =", sp.Mul(vg, sp.Pow(n_out * vg, -1, evaluate=False), evaluate=False),
            ("=", 1 / n_out, "cancel Var(dL/dy)"))
    b.chain("Both hold only when n_in = n_out; Glorot and Bengio average the two conditions, "
            "Var(w) (n_in + n_out)/2 = 1, so Var(w) =",
            sp.Pow(sp.Mul(sp.Add(n_in, n_out, evaluate=False), sp.Pow(2, -1, evaluate=False), evaluate=False), -1,
                   evaluate=False), ("=", 2 / (n_in + n_out), "invert"))
    b.check(sp.solve(sp.Eq(vw * (n_in + n_out) / 2, 1), vw) == [2 / (n_in + n_out)], "sympy's solve disagrees")
    from sympy.stats import Uniform, variance

    var_u = variance(Uniform("u", -a, a))
    b.check(sp.simplify(var_u - a ** 2 / 3) == 0, "sympy.stats gives another variance for U(-a, a)")
    b.chain("A uniform U(-a, a) has variance a^2/3 (sympy.stats integrates it); a^2/3 = 2/(n_in + n_out) gives "
            "a^2 = 6/(n_in + n_out), and the bound is the positive root",
            sp.sqrt(sp.Mul(3, 2 / (n_in + n_out), evaluate=False)), ("=", sp.sqrt(6 / (n_in + n_out)), "multiply"))
    roots = [r for r in sp.solve(sp.Eq(a ** 2 / 3, 2 / (n_in + n_out)), a) if r.is_positive is not False]
    b.check(len(roots) == 1 and sp.simplify(roots[0] - sp.sqrt(6 / (n_in + n_out))) == 0, "solve disagrees")
    fc7 = sp.sqrt(sp.Rational(6, 8192))
    b.chain("For a 4096 x 4096 layer (VGG's fc7) the bound is", fc7,
            ("<", sp.Rational(3, 100), f"about {float(fc7):.4f}"))
    return b.done()


@register("he-variance", "He initialisation: Var(W) = 2/fan_in for ReLU networks")
def he_variance():
    mw, mx, vw, vx = _moments()
    n_in = sp.Symbol("n_in", integer=True, positive=True)
    v_prev = sp.Symbol("Var(y_(l-1))", positive=True)
    b = Builder("he-variance", "He initialisation: Var(W) = 2/fan_in for ReLU networks",
                "If x = ReLU(y) for a zero-mean symmetric y, then E[x^2] = Var(y)/2, so a layer keeps the "
                "variance of its pre-activations when Var(W) = 2/n_in (He et al. 2015).",
                ["weights independent of inputs, zero mean; pre-activations y zero-mean and symmetric",
                 "n_in inputs per unit"], symbols={"n_in": n_in}, problem="Problem P8")
    b.state("", sp.Symbol("Var(W)"), ("=", 2 / n_in, ""))
    _product_rule(b, mw, mx, vw, vx)
    b.chain("With mu_w = 0 only, the inputs (ReLU outputs) keep their mean: Var(w x) = Var(w) E[x^2]",
            (vw * vx + vw * mx ** 2 + mw ** 2 * vx).subs(mw, 0), ("=", vw * (vx + mx ** 2), "mu_w = 0"))
    from sympy.stats import E, Normal

    sd = sp.Symbol("s", positive=True)
    Y = Normal("y", 0, sd)
    half = sp.simplify(E(sp.Piecewise((Y ** 2, Y > 0), (0, True))))
    b.chain("ReLU halves the second moment: for symmetric y, y^2 1{y > 0} carries half of E[y^2]; for a normal "
            "y with variance s^2 sympy.stats integrates", half, ("=", sd ** 2 / 2, "E[ReLU(y)^2] = Var(y)/2"))
    b.chain("So Var(y_l) = n_in Var(w) E[x^2] = n_in Var(w) Var(y_(l-1))/2, and Var(y_l) = Var(y_(l-1)) gives "
            "Var(w) =", sp.Mul(v_prev, sp.Pow(sp.Mul(n_in, v_prev, sp.Pow(2, -1, evaluate=False), evaluate=False), -1,
                                                 evaluate=False), evaluate=False),
            ("=", 2 / n_in, "cancel Var(y_(l-1))"))
    b.check(sp.solve(sp.Eq(n_in * vw * v_prev / 2, v_prev), vw) == [2 / n_in], "sympy's solve disagrees")
    b.chain("For a 3 x 3 convolution with 64 input channels, n_in = 3*3*64 = 576:", 2 / sp.Integer(576),
            ("=", sp.Rational(1, 288), f"Var(w); standard deviation 1/sqrt(288), about {float(1 / sp.sqrt(288)):.3f}"))
    return b.done()


@register("adam-bias-correction", "Adam's bias correction: E[m_t] = (1 - beta1^t) E[g]")
def adam_bias_correction():
    from ..optimizers import adam

    t = sp.Symbol("t", integer=True, nonnegative=True)
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    mu, nu = sp.symbols("mu nu", real=True)
    M, V = sp.IndexedBase("M"), sp.IndexedBase("V")
    b = Builder("adam-bias-correction", "Adam's bias correction: E[m_t] = (1 - beta1^t) E[g]",
                "With m_0 = v_0 = 0 and gradients whose mean mu = E[g_t] and second moment nu = E[g_t^2] do not "
                "change, E[m_t] = (1 - beta1^t) mu and E[v_t] = (1 - beta2^t) nu: the moving averages are biased "
                "toward 0, and m_t/(1 - beta1^t), v_t/(1 - beta2^t) are unbiased (Kingma & Ba 2015).",
                ["t >= 0 an integer; m_0 = v_0 = 0", "E[g_t] = mu and E[g_t^2] = nu for every t",
                 "M_t = E[m_t], V_t = E[v_t]; expectation is linear"],
                symbols={"t": t, "M": M, "V": V, "beta_1": b1, "beta_2": b2, "mu": mu, "nu": nu},
                problem="Problem P8")
    b.display_index = t
    b.state("", M[t], ("=", (1 - b1 ** t) * mu, ""))
    b.state("", V[t], ("=", (1 - b2 ** t) * nu, ""))
    hyper = {"lr": 1, "beta1": b1, "beta2": b2, "eps": 1}

    def rule(q, which):
        # Adam's own update (symcnn.optimizers.adam), in expectation: E[g] = mu, E[g^2] = nu
        state = {"m": M[q], "v": V[q]}
        _, new = adam(0, mu, state, q + 1, hyper)
        if which == "v":
            _, new2 = adam(0, sp.sqrt(nu), state, q + 1, hyper)  # g^2 enters v; its mean is nu
            return new2["v"]
        return new["m"]

    b.define("M_0", "Both averages start at zero:", lambda q: M[0], lambda q: 0, lambda q: 0, index=0)
    b.define("V_0", "", lambda q: V[0], lambda q: 0, lambda q: 0, index=0)
    b.define("recurrence for M", "Adam's update m_t = beta1 m_(t-1) + (1 - beta1) g_t (symcnn.optimizers.adam), "
             "in expectation:", lambda q: M[q + 1], lambda q: b1 * M[q] + (1 - b1) * mu, lambda q: rule(q, "m"))
    b.define("recurrence for V", "and v_t = beta2 v_(t-1) + (1 - beta2) g_t^2:", lambda q: V[q + 1],
             lambda q: b2 * V[q] + (1 - b2) * nu, lambda q: rule(q, "v"))
    for name, X, beta, mean in (("M", M, b1, mu), ("V", V, b2, nu)):
        nxt = sp.Add(t, 1, evaluate=False)
        b.induction(t, 0, lambda q, X=X: X[q], lambda q, beta=beta, mean=mean: sp.Mul(1 - beta ** q, mean, evaluate=False),
                    name=f"{name}_t = (1 - {beta}^t) {mean}", fact=name,
                    base=[("=", 0, "start at zero", ("def", f"{name}_0", 0))],
                    step=[("=", beta * X[t] + (1 - beta) * mean, "recurrence", ("def", f"recurrence for {name}", t)),
                          ("=", beta * (1 - beta ** t) * mean + (1 - beta) * mean, "induction hypothesis", "hyp"),
                          ("=", sp.Mul(1 - beta ** nxt, mean, evaluate=False), "expand")])
    tp = sp.Symbol("t", integer=True, positive=True)
    b.chain("So for t >= 1 the corrected first moment is unbiased:", M[tp] / (1 - b1 ** tp),
            ("=", mu, "divide", ("fact", "M", tp)))
    b.chain("and so is the second:", V[tp] / (1 - b2 ** tp), ("=", nu, "divide", ("fact", "V", tp)))
    b.chain("Without the correction the first step would use 1 - beta1 of the gradient; with beta1 = 0.9,",
            (1 - b1 ** 1).subs(b1, sp.Rational(9, 10)), ("=", sp.Rational(1, 10), "t = 1"))
    return b.done()


@register("optimizer-rules", "Optimizer update rules, and one step on a quadratic")
def optimizer_rules():
    from ..optimizers import RULES, quadratic_step

    theta0, c = sp.symbols("theta_0 c", real=True)
    a = sp.Symbol("a", positive=True)
    hyper = {"lr": sp.Symbol("eta", positive=True), "momentum": sp.Symbol("mu", positive=True),
             "eps": sp.Symbol("epsilon", positive=True), "rho": sp.Symbol("rho", positive=True),
             "alpha": sp.Symbol("alpha", positive=True), "beta1": sp.Symbol("beta_1", positive=True),
             "beta2": sp.Symbol("beta_2", positive=True)}
    g = sp.Symbol("g", real=True)
    b = Builder("optimizer-rules", "Optimizer update rules, and one step on a quadratic",
                "The update rules of SGD with momentum, Adagrad, Adadelta, RMSProp (plain, centred, with momentum), "
                "Adam (with and without AMSGrad) and NAdam, step by step; and the first step of each from theta_0 "
                "on the loss L = a/2 (theta - c)^2, whose gradient is g = a (theta_0 - c).",
                ["every state variable starts at 0; t counts steps from 1", "a > 0; eta, epsilon > 0"],
                symbols={"g": g}, problem="Problem P8")
    theta = sp.Symbol("theta", real=True)
    loss = a / 2 * (theta - c) ** 2
    b.define("gradient", "The gradient of L = a/2 (theta - c)^2 at theta_0 (sympy differentiates the loss):",
             lambda q: g, lambda q: a * (theta0 - c), lambda q: sp.diff(loss, theta).subs(theta, theta0), index=0)
    for rule in RULES.values():
        b.say(f"{rule.title} ({rule.source}): " + "; ".join(f"{lhs} = {rhs}" for lhs, rhs in rule.lines),
              label=rule.title)
        raw, _ = rule.step(theta0, g, {k: 0 for k in rule.state}, 1, hyper)
        on_quadratic = quadratic_step(rule, theta0, a, c, hyper)
        links = []
        short = sp.simplify(raw)
        if short != raw:
            links.append(("=", short, "simplify"))
        links.append(("=", sp.simplify(on_quadratic), "put in the gradient", ("def", "gradient", 0)))
        b.chain("Its first step from theta_0 (all state 0, t = 1), then on the quadratic:", raw, *links)
    return b.done()
