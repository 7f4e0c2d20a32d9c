"""Training theory (problem P8): activation derivatives, initialisation
variances, Adam's bias correction, and the optimizer update rules.

Z3 cannot express derivatives, limits, exponentials or expectations: those
links rest on sympy alone, and every proof says which ones."""

from __future__ import annotations

import sympy as sp

from ..proof import CHECKERS, Builder, display_subs
from ..proof.library import Call
from .registry import register

Z = sp.Symbol("z", real=True)


def _limit(e, z, to, direction="+-"):
    return sp.Limit(e, z, to, dir=direction) if direction != "+-" else sp.Limit(e, z, to)


@register("activation-derivatives", "Derivatives of tanh, sigmoid, ReLU and leaky ReLU")
def activation_derivatives(checkers=CHECKERS):
    z, s = Z, sp.Symbol("s", real=True)
    p, q = sp.Symbol("p", positive=True), sp.Symbol("q", negative=True)
    h = sp.Symbol("h", real=True)
    a = sp.Symbol("a", positive=True)
    sigma = 1 / (1 + sp.exp(-z))
    b = Builder("activation-derivatives", "Derivatives of tanh, sigmoid, ReLU and leaky ReLU",
                "The derivative of tanh is $1 - tanh(z)**2$ and that of the sigmoid is $sigma*(1 - sigma)$: both "
                "are at most their value at 0 (1 and 1/4) and vanish as $abs(z)$ grows (saturation). ReLU has "
                "slope 0 for $z < 0$ and 1 for $z > 0$ and no derivative at 0 (frameworks use 0 there); leaky "
                "ReLU has slope $a$ for $z < 0$ and 1 for $z > 0$, never 0.",
                symbols={"z": z, "s": s, "p": p, "q": q, "h": h, "a": a},
                hypotheses=["p > 0", "q < 0", "0 < a", "a < 1"],
                assumptions=["$z$, $s$ and $h$ are real; $p$ and $q$ stand for points on either side of 0",
                             "$sigma$ is the logistic sigmoid $1/(1 + exp(-z))$, $s$ a value it takes"],
                problem="Problem P8", checkers=checkers)
    one_minus_tanh2 = sp.Add(1, -sp.tanh(z) ** 2, evaluate=False)
    b.state(sp.Derivative(sp.tanh(z), z), "=", one_minus_tanh2)
    b.state(sp.Derivative(sigma, z), "=", sp.Mul(sigma, 1 - sigma, evaluate=False))
    b.state(sp.Mul(s, 1 - s, evaluate=False), "<=", sp.Rational(1, 4))
    b.chain("tanh: sympy differentiates", sp.Derivative(sp.tanh(z), z), ("=", one_minus_tanh2, "differentiate"))
    b.chain("It is largest at $z = 0$, where $tanh(0) = 0$,", one_minus_tanh2, ("<=", 1, "$tanh(z)**2$ is at least 0"))
    b.chain("and saturates: it vanishes as $z$ grows", _limit(1 - sp.tanh(z) ** 2, z, sp.oo), ("=", 0, "limit"))
    b.chain("and as $z$ falls.", _limit(1 - sp.tanh(z) ** 2, z, -sp.oo), ("=", 0, "limit"))
    b.chain("Sigmoid, $sigma(z) = 1/(1 + exp(-z))$: sympy differentiates and the result is $sigma*(1 - sigma)$",
            sp.Derivative(sigma, z), ("=", sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "differentiate"),
            ("=", sp.Mul(sigma, 1 - sigma, evaluate=False), "simplify"))
    b.chain("With $s = sigma(z)$, $s*(1 - s)$ is 1/4 minus a square, so the slope is at most 1/4, with equality at "
            "$s = 1/2$ ($z = 0$):", sp.Mul(s, 1 - s, evaluate=False),
            ("=", sp.Add(sp.Rational(1, 4), -(s - sp.Rational(1, 2)) ** 2, evaluate=False), "complete the square"),
            ("<=", sp.Rational(1, 4), "a square of a real is at least 0"))
    b.chain("It saturates on both sides:", _limit(sigma * (1 - sigma), z, sp.oo), ("=", 0, "limit"))
    b.chain("and on the left:", _limit(sigma * (1 - sigma), z, -sp.oo), ("=", 0, "limit"))
    relu = lambda x: sp.Max(0, x)  # noqa: E731
    b.chain("ReLU: $max(0, z)$. For $p > 0$ it is $p$, slope 1:", sp.Derivative(relu(p), p),
            ("=", 1, "differentiate"))
    b.chain("for $q < 0$ it is 0, slope 0 (a unit there passes no gradient: it can die):",
            sp.Derivative(relu(q), q), ("=", 0, "differentiate"))
    b.chain("At 0 the one-sided difference quotients differ, so ReLU has no derivative there (PyTorch and most "
            "frameworks use 0; any value from 0 to 1 is a subgradient):",
            _limit(relu(h) / h, h, 0, "+"), ("=", 1, "from the right"))
    b.chain("but from the left", _limit(relu(h) / h, h, 0, "-"), ("=", 0, "from the left"))
    leaky = lambda x: sp.Piecewise((x, sp.Ge(x, 0, evaluate=False)), (a * x, True), evaluate=False)  # noqa: E731
    quotient = lambda x: sp.Mul(leaky(x), sp.Pow(x, -1, evaluate=False), evaluate=False)  # noqa: E731
    b.chain("Leaky ReLU with slope $a$: 1 for $z > 0$,", sp.Derivative(leaky(p), p), ("=", 1, "differentiate"))
    b.chain("$a$ for $z < 0$: never zero, so no unit dies,", sp.Derivative(leaky(q), q), ("=", a, "differentiate"))
    b.chain("and again no derivative at 0: the difference quotient is 1 on the right ($p > 0$)",
            quotient(p), ("=", 1, "simplify"))
    b.chain("and $a$ on the left ($q < 0$), so the one-sided limits are 1 and $a$:", quotient(q),
            ("=", a, "simplify"))
    return b.done()


def _moments():
    """Means and variances of a weight w and an input x."""
    mw, mx = sp.symbols("mu_w mu_x", real=True)
    vw, vx = sp.symbols("V_w V_x", positive=True)
    return mw, mx, vw, vx


def _product_rule(b: Builder, mw, mx, vw, vx, zero_means):
    """Var(w x) for independent w, x, from E[AB] = E[A] E[B] and E[A^2] = Var(A) + E[A]^2;
    then sympy.stats' own variance of a product of independent normals."""
    Ew2, Ex2 = vw + mw ** 2, vx + mx ** 2
    general = sp.Add(sp.Mul(Ew2, Ex2, evaluate=False), -(mw * mx) ** 2, evaluate=False)
    b.chain("For independent $w$ and $x$ the second moment of $w*x$ factors, $E(w**2*x**2) = E(w**2)*E(x**2)$, and "
            "$E(w**2) = V_w + mu_w**2$ (likewise for $x$), so the variance of $w*x$ is",
            general, ("=", vw * vx + vw * mx ** 2 + mw ** 2 * vx, "expand"))
    from sympy.stats import Normal, variance

    W = Normal("w", 0, sp.sqrt(vw))
    X = Normal("x", 0, sp.sqrt(vx))
    b.compare("With zero means this is $V_w*V_x$; sympy.stats integrates the variance of the product of two "
              "independent zero-mean normals and agrees:", variance(W * X), vw * vx,
              "sympy.stats' variance", shown=display_subs(general, zero_means))


@register("xavier-variance", "Xavier (Glorot) initialisation",
          claim_help="the variance of the weights as an expression in n_in and n_out")
def xavier_variance(claim: str | None = None, checkers=CHECKERS):
    mw, mx, vw, vx = _moments()
    n_in, n_out = sp.symbols("n_in n_out", integer=True, positive=True)
    vg = sp.Symbol("V_g", positive=True)
    a = sp.Symbol("a", positive=True)
    b = Builder("xavier-variance", "Xavier (Glorot) initialisation",
                "A linear layer $y = W*x$ keeps the variance of activations forward when $n_in*V_w = 1$ and of "
                "gradients backward when $n_out*V_w = 1$; the compromise $V_w = 2/(n_in + n_out)$ is reached by a "
                "uniform distribution between $-a$ and $a$ with $a = sqrt(6/(n_in + n_out))$ (Glorot and Bengio 2010).",
                symbols={"n_in": n_in, "n_out": n_out, "V_w": vw, "V_x": vx, "V_g": vg, "mu_w": mw, "mu_x": mx,
                         "a": a},
                hypotheses=["n_in >= 1", "n_out >= 1", "V_x > 0", "V_g > 0"],
                assumptions=["weights and inputs independent and zero-mean ($mu_w = mu_x = 0$), identically "
                             "distributed; $V_w$, $V_x$ and $V_g$ are the variances of a weight, an input and a "
                             "gradient", "linear units (or tanh near 0); $n_in$ inputs and $n_out$ outputs per layer"],
                params=["n_in", "n_out"], problem="Problem P8", checkers=checkers)
    target = b.claim_or(claim, "2/(n_in + n_out)")
    averaged = sp.Pow(sp.Mul(sp.Add(n_in, n_out, evaluate=False), sp.Pow(2, -1, evaluate=False), evaluate=False), -1,
                      evaluate=False)
    b.state(averaged, "=", target)
    _product_rule(b, mw, mx, vw, vx, {mw: 0, mx: 0})
    b.chain("A sum of $n_in$ independent terms adds their variances: the output has variance $n_in*V_w*V_x$. "
            "Forward, that equals $V_x$ when $V_w$ is",
            sp.Mul(vx, sp.Pow(sp.Mul(n_in, vx, evaluate=False), -1, evaluate=False), evaluate=False),
            ("=", 1 / n_in, "cancel $V_x$"))
    b.chain("Backward, a gradient sums $n_out$ terms $w*g$; $n_out*V_w*V_g = V_g$ when $V_w$ is",
            sp.Mul(vg, sp.Pow(sp.Mul(n_out, vg, evaluate=False), -1, evaluate=False), evaluate=False),
            ("=", 1 / n_out, "cancel $V_g$"))
    b.chain("Both hold only when $n_in = n_out$; Glorot and Bengio average the two conditions, "
            "$V_w*(n_in + n_out)/2 = 1$, so", averaged, ("=", target, "invert"))
    if claim is not None:
        return b.done()
    from sympy.stats import Uniform, variance

    b.compare("A uniform distribution between $-a$ and $a$ has variance $a**2/3$ (sympy.stats integrates it):",
              variance(Uniform("u", -a, a)), a ** 2 / 3, "sympy.stats' variance",
              shown="(a - (-a))**2/12")
    bound = sp.sqrt(sp.Mul(3, 2 / (n_in + n_out), evaluate=False), evaluate=False)
    b.chain("so $a**2/3 = 2/(n_in + n_out)$ gives the bound", bound,
            ("=", sp.sqrt(6 / (n_in + n_out)), "multiply"))
    roots = [r for r in sp.solve(sp.Eq(a ** 2 / 3, 2 / (n_in + n_out)), a) if r.is_positive is not False]
    b.compare("and sympy's solve finds the same positive root:", roots[0], sp.sqrt(6 / (n_in + n_out)),
              "sympy's solve", shown=sp.sqrt(sp.Mul(3, 2, sp.Pow(n_in + n_out, -1, evaluate=False), evaluate=False),
                                             evaluate=False))
    fc7 = sp.sqrt(sp.Mul(6, sp.Pow(8192, -1, evaluate=False), evaluate=False), evaluate=False)
    b.chain("For a 4096 x 4096 layer (VGG's fc7) the bound is", fc7,
            ("<", sp.Rational(3, 100), f"about {float(sp.sqrt(sp.Rational(6, 8192))):.4f}"))
    return b.done()


@register("he-variance", "He initialisation for ReLU networks",
          claim_help="the variance of the weights as an expression in n_in")
def he_variance(claim: str | None = None, checkers=CHECKERS):
    mw, mx, vw, vx = _moments()
    n_in = sp.Symbol("n_in", integer=True, positive=True)
    v_prev = sp.Symbol("V_y", positive=True)
    sd = sp.Symbol("s", positive=True)
    b = Builder("he-variance", "He initialisation for ReLU networks",
                "If $x = max(0, y)$ for a zero-mean symmetric $y$, then $E(x**2)$ is half the variance of $y$, so a "
                "layer keeps the variance of its pre-activations when $V_w = 2/n_in$ (He et al. 2015).",
                symbols={"n_in": n_in, "V_w": vw, "V_x": vx, "V_y": v_prev, "mu_w": mw, "mu_x": mx, "s": sd},
                hypotheses=["n_in >= 1", "V_y > 0"],
                assumptions=["weights independent of inputs and zero-mean; pre-activations $y$ zero-mean and "
                             "symmetric, $V_y$ their variance", "$n_in$ inputs per unit"],
                params=["n_in"], problem="Problem P8", checkers=checkers)
    target = b.claim_or(claim, "2/n_in")
    kept = sp.Mul(v_prev, sp.Pow(sp.Mul(n_in, v_prev, sp.Pow(2, -1, evaluate=False), evaluate=False), -1,
                                 evaluate=False), evaluate=False)
    b.state(kept, "=", target)
    _product_rule(b, mw, mx, vw, vx, {mw: 0, mx: 0})
    b.chain("With $mu_w = 0$ only (the ReLU outputs $x$ keep a mean), the variance of $w*x$ is $V_w*E(x**2)$:",
            (vw * vx + vw * mx ** 2 + mw ** 2 * vx).subs(mw, 0), ("=", vw * (vx + mx ** 2), "factor"))
    from sympy.stats import E, Normal, density

    Y = Normal("y", 0, sd)
    half = E(sp.Piecewise((Y ** 2, Y > 0), (0, True)))
    y = sp.Symbol("y", real=True)
    integral = sp.Integral(y ** 2 * density(Y)(y), (y, 0, sp.oo))
    b.compare("ReLU halves the second moment: for a normal $y$ with variance $s**2$, sympy.stats integrates "
              "$E(max(0, y)**2)$:", half, sd ** 2 / 2, "sympy.stats' expectation", shown=integral)
    b.chain("So the layer's output has variance $n_in*V_w*V_y/2$; keeping it equal to $V_y$ needs $V_w$ to be",
            kept, ("=", target, "cancel $V_y$"))
    if claim is None:
        b.chain("For a 3 x 3 convolution with 64 input channels, $n_in = 3*3*64 = 576$:",
                display_subs(target, {n_in: sp.Mul(3, 3, 64, evaluate=False)}),
                ("=", sp.Rational(1, 288), f"standard deviation about {float(1 / sp.sqrt(288)):.3f}"))
    return b.done()


@register("adam-bias-correction", "Adam's bias correction of the moment estimates",
          claim_help="E[m_t] (M[t]) as an expression in t, beta_1 and mu")
def adam_bias_correction(claim: str | None = None, checkers=CHECKERS):

    t = sp.Symbol("t", integer=True, nonnegative=True)
    T = sp.Symbol("T", integer=True, positive=True)
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    mu, nu = sp.symbols("mu nu", real=True)
    M, V = sp.IndexedBase("M"), sp.IndexedBase("V")
    b = Builder("adam-bias-correction", "Adam's bias correction of the moment estimates",
                "With $m[0] = v[0] = 0$ and gradients whose mean $mu$ and second moment $nu$ do not change, "
                "$M[t] = (1 - beta_1**t)*mu$ and $V[t] = (1 - beta_2**t)*nu$: the moving averages are biased "
                "toward 0, and dividing by $1 - beta_1**T$ and $1 - beta_2**T$ removes the bias (Kingma and Ba "
                "2015).",
                symbols={"t": t, "T": T, "M": M, "V": V, "beta_1": b1, "beta_2": b2, "mu": mu, "nu": nu},
                hypotheses=["M[0] = 0", "V[0] = 0", "beta_1 < 1", "beta_2 < 1", "beta_1**T < 1", "beta_2**T < 1"],
                assumptions=["$t >= 0$ and $T >= 1$ are integers; $0 < beta_1 < 1$ and $0 < beta_2 < 1$, so "
                             "their powers with $T >= 1$ are below 1",
                             "$mu$ and $nu$ are the mean and the second moment of every gradient; $M[t]$ and $V[t]$ "
                             "are the expected averages $E(m[t])$ and $E(v[t])$ (expectation is linear)"],
                params=["t", "beta_1", "mu"], problem="Problem P8", checkers=checkers)
    b.display_index = t
    first = b.claim_or(claim, "(1 - beta_1**t)*mu")
    b.state(M[T] / (1 - b1 ** T), "=", mu)
    if claim is None:
        b.state(V[T] / (1 - b2 ** T), "=", nu)
    hyper = {"lr": 1, "beta1": b1, "beta2": b2, "eps": 1}

    def rule(q, which):
        # Adam's own update (symcnn.optimizers.adam), in expectation: E[g] = mu, E[g^2] = nu
        state = (("m", M[q]), ("v", V[q]))
        g = sp.sqrt(nu) if which == "v" else mu  # g^2 enters v; its mean is nu
        return Call("optimizer", ("adam", 0, g, state, q + 1, tuple(hyper.items())), (1, which))

    b.premise("M_0", "The first moment starts at zero (a hypothesis),", lambda q: M[0], lambda q: 0, index=0)
    b.premise("V_0", "and so does the second:", lambda q: V[0], lambda q: 0, index=0)
    b.define("recurrence for $M$", "Adam's update $m[t + 1] = beta_1*m[t] + (1 - beta_1)*g[t + 1]$ "
             "(symcnn.optimizers.adam), in expectation:", lambda q: M[q + 1], lambda q: b1 * M[q] + (1 - b1) * mu,
             lambda q: rule(q, "m"), reason="Adam's update")
    b.define("recurrence for $V$", "and $v[t + 1] = beta_2*v[t] + (1 - beta_2)*g[t + 1]**2$:", lambda q: V[q + 1],
             lambda q: b2 * V[q] + (1 - b2) * nu, lambda q: rule(q, "v"), reason="Adam's update")
    forms = {"M": (lambda q: display_subs(first, {t: q})),
             "V": (lambda q: sp.Mul(1 - b2 ** q, nu, evaluate=False))}
    for name, X, beta, mean in (("M", M, b1, mu), ("V", V, b2, nu)):
        if claim is not None and name == "V":
            break
        nxt = sp.Add(t, 1, evaluate=False)
        form = forms[name]
        b.induction(t, 0, lambda q, X=X: X[q], form, name=b.named("", X[t], form(t)), fact=name,
                    base=[("=", 0, "start at zero", ("def", f"{name}_0", 0)),
                          ] + ([("=", form(sp.Integer(0)), "the claim at $t = 0$")]
                               if form(sp.Integer(0)) != 0 else []),
                    step=[("=", beta * X[t] + (1 - beta) * mean, "recurrence", ("def", f"recurrence for ${name}$", t)),
                          ("=", beta * form(t) + (1 - beta) * mean, "induction hypothesis", "hyp"),
                          ("=", form(nxt), "expand")])
    b.chain("So for $T >= 1$ the corrected first moment is unbiased:", M[T] / (1 - b1 ** T),
            ("=", sp.Mul(display_subs(first, {t: T}), sp.Pow(1 - b1 ** T, -1, evaluate=False), evaluate=False),
             "the first moment at $t = T$", ("fact", "M", T)),
            ("=", mu, "divide"))
    if claim is None:
        b.chain("and so is the second:", V[T] / (1 - b2 ** T),
                ("=", sp.Mul(sp.Mul(1 - b2 ** T, nu, evaluate=False), sp.Pow(1 - b2 ** T, -1, evaluate=False),
                             evaluate=False), "the second moment at $t = T$",
                 ("fact", "V", T)), ("=", nu, "divide"))
        b.chain("Without the correction the first step would use $1 - beta_1$ of the gradient; with $beta_1 = 0.9$,",
                sp.Add(1, -sp.Rational(9, 10), evaluate=False), ("=", sp.Rational(1, 10), "$t = 1$"))
    return b.done()


@register("optimizer-rules", "Optimizer update rules, and one step on a quadratic")
def optimizer_rules(checkers=CHECKERS):
    from ..optimizers import RULES, TEXT_NAMES, quadratic_step, text_names, text_step

    theta0, c = sp.symbols("theta_0 c", real=True)
    a = sp.Symbol("a", positive=True)
    hyper_all = {key: sp.Symbol(name, positive=True) for key, name in TEXT_NAMES.items()}
    g = sp.Symbol("g", real=True)
    names = {"g": g, "theta_0": theta0, "c": c, "a": a, **{s.name: s for s in hyper_all.values()}}
    for rule in RULES.values():
        for k, v in text_names(rule, {}).items():
            if k not in names and not isinstance(v, sp.Symbol):
                names[k] = v
    names["t"] = sp.Symbol("t", integer=True, positive=True)
    b = Builder("optimizer-rules", "Optimizer update rules, and one step on a quadratic",
                "The update rules of SGD with momentum, Adagrad, Adadelta, RMSProp (plain, centred, with momentum), "
                "Adam (with and without AMSGrad) and NAdam, as printed here, compute what symcnn's optimizer code "
                "computes; and the first step of each from $theta_0$ on the loss $L = a/2*(theta - c)**2$, whose "
                "gradient is $g = a*(theta_0 - c)$.",
                symbols=names, hypotheses=["a > 0", "mu < 1", "rho < 1", "alpha < 1", "beta_1 < 1", "beta_2 < 1"],
                assumptions=["every state variable starts at 0; $t$ counts steps from 1",
                             "$eta$, $epsilon$ and the other hyperparameters are positive"],
                params=[k for k, v in names.items() if isinstance(v, sp.Symbol) and k != "g"],  # g is defined
                problem="Problem P8", checkers=checkers)
    theta = sp.Symbol("theta", real=True)
    loss = a / 2 * (theta - c) ** 2
    b.define("gradient", "The gradient of $L = a/2*(theta - c)**2$ at $theta_0$ (sympy differentiates the loss):",
             lambda q: g, lambda q: a * (theta0 - c), lambda q: Call("derivative", (loss, theta, theta0)), index=0,
             reason="sympy's derivative of the loss")
    for rule in RULES.values():
        hyper = {k: hyper_all[k] for k in rule.hyper}
        lines = "; ".join(f"${lhs} = {rhs}$" for lhs, rhs in rule.lines)
        b.say(f"{rule.title} ({rule.source}): {lines}.", label=rule.title)
        # the printed text, run for two steps, against the function symcnn uses (and the tests check with torch)
        state = dict.fromkeys(rule.state, 0)
        one, state = rule.step(theta0, g, state, 1, hyper)
        two, _ = rule.step(one, g, state, 2, hyper)
        b.compare(f"{rule.title}: the printed rule, applied for two steps with gradient $g$, against symcnn's code:",
                  text_step(rule, theta0, g, 2, hyper), two, "the text against the code",
                  display=(sp.Symbol("theta_text"), sp.Symbol("theta_code")))
        raw, _ = rule.step(theta0, g, dict.fromkeys(rule.state, 0), 1, hyper)
        on_quadratic = quadratic_step(rule, theta0, a, c, hyper)
        links = []
        short = sp.simplify(raw)
        if short != raw:
            links.append(("=", short, "simplify"))
        links.append(("=", sp.simplify(on_quadratic), "put in the gradient", ("def", "gradient", 0)))
        b.chain("Its first step from $theta_0$ (all state 0, $t = 1$), then on the quadratic:", raw, *links)
        b.state(raw, "=", sp.simplify(on_quadratic))
    return b.done()
