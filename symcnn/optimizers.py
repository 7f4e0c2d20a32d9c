"""Optimizer update rules as sympy expressions, one step at a time.

Each rule maps (parameter, gradient, state, step number t) to the new
parameter and state, written as the PyTorch documentation writes it (Adam,
AMSGrad, Adagrad, Adadelta, RMSprop plain/centred/momentum, SGD with
momentum); NAdam follows Dozat (2016).  The same functions take sympy
symbols (for the rendered rules) or numbers (checked in the tests against a
plain implementation and against torch.optim).

>>> import sympy as sp
>>> theta, g, lr = sp.symbols("theta g eta")
>>> new, state = RULES["sgd-momentum"].step(theta, g, {"v": 0}, 1, {"lr": lr, "momentum": sp.Symbol("mu")})
>>> new
-eta*g + theta
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    hyper: tuple[str, ...]  # hyperparameter names
    state: tuple[str, ...]  # state variable names, all starting at 0
    lines: tuple[tuple[str, str], ...]  # (lhs, rhs) display text, in order
    step: Callable  # (theta, g, state, t, hyper) -> (theta_new, state_new)
    source: str


def _sqrt(x):
    return sp.sqrt(x) if isinstance(x, sp.Basic) else x ** 0.5


def _max(a, b):
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Max(a, b)
    return max(a, b)


def sgd_momentum(theta, g, s, t, h):
    v = h["momentum"] * s["v"] + g if t > 1 else g
    return theta - h["lr"] * v, {"v": v}


def adagrad(theta, g, s, t, h):
    G = s["G"] + g ** 2
    return theta - h["lr"] * g / (_sqrt(G) + h["eps"]), {"G": G}


def adadelta(theta, g, s, t, h):
    rho, eps = h["rho"], h["eps"]
    Eg = rho * s["Eg2"] + (1 - rho) * g ** 2
    delta = _sqrt(s["Edx2"] + eps) / _sqrt(Eg + eps) * g
    Edx = rho * s["Edx2"] + (1 - rho) * delta ** 2
    return theta - h["lr"] * delta, {"Eg2": Eg, "Edx2": Edx}


def rmsprop(theta, g, s, t, h):
    a, eps = h["alpha"], h["eps"]
    sq = a * s["s"] + (1 - a) * g ** 2
    return theta - h["lr"] * g / (_sqrt(sq) + eps), {"s": sq}


def rmsprop_centred(theta, g, s, t, h):
    a, eps = h["alpha"], h["eps"]
    sq = a * s["s"] + (1 - a) * g ** 2
    gbar = a * s["gbar"] + (1 - a) * g
    return theta - h["lr"] * g / (_sqrt(sq - gbar ** 2) + eps), {"s": sq, "gbar": gbar}


def rmsprop_momentum(theta, g, s, t, h):
    a, eps = h["alpha"], h["eps"]
    sq = a * s["s"] + (1 - a) * g ** 2
    b = h["momentum"] * s["b"] + g / (_sqrt(sq) + eps)
    return theta - h["lr"] * b, {"s": sq, "b": b}


def adam(theta, g, s, t, h):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * s["m"] + (1 - b1) * g
    v = b2 * s["v"] + (1 - b2) * g ** 2
    mhat = m / (1 - b1 ** t)
    vhat = v / (1 - b2 ** t)
    return theta - h["lr"] * mhat / (_sqrt(vhat) + eps), {"m": m, "v": v}


def amsgrad(theta, g, s, t, h):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * s["m"] + (1 - b1) * g
    v = b2 * s["v"] + (1 - b2) * g ** 2
    vmax = _max(s["vmax"], v)
    mhat = m / (1 - b1 ** t)
    return theta - h["lr"] * mhat / (_sqrt(vmax / (1 - b2 ** t)) + eps), {"m": m, "v": v, "vmax": vmax}


def nadam(theta, g, s, t, h):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * s["m"] + (1 - b1) * g
    v = b2 * s["v"] + (1 - b2) * g ** 2
    mhat = m / (1 - b1 ** (t + 1))
    vhat = v / (1 - b2 ** t)
    look = b1 * mhat + (1 - b1) * g / (1 - b1 ** t)
    return theta - h["lr"] * look / (_sqrt(vhat) + eps), {"m": m, "v": v}


RULES: dict[str, Rule] = {r.slug: r for r in (
    Rule("sgd-momentum", "SGD with momentum", ("lr", "momentum"), ("v",),
         (("v[t]", "mu*v[t - 1] + g[t]"), ("theta[t]", "theta[t - 1] - eta*v[t]")), sgd_momentum,
         "torch.optim.SGD (dampening 0, no Nesterov; with $v_0 = 0$ the first buffer is $g_1$, as in PyTorch)"),
    Rule("adagrad", "Adagrad", ("lr", "eps"), ("G",),
         (("G[t]", "G[t - 1] + g[t]**2"), ("theta[t]", "theta[t - 1] - eta*g[t]/(sqrt(G[t]) + epsilon)")), adagrad,
         "Duchi et al. 2011; torch.optim.Adagrad (no decay)"),
    Rule("adadelta", "Adadelta", ("lr", "rho", "eps"), ("Eg2", "Edx2"),
         (("Eg[t]", "rho*Eg[t - 1] + (1 - rho)*g[t]**2"),
          ("Delta[t]", "sqrt(Ed[t - 1] + epsilon)/sqrt(Eg[t] + epsilon)*g[t]"),
          ("Ed[t]", "rho*Ed[t - 1] + (1 - rho)*Delta[t]**2"), ("theta[t]", "theta[t - 1] - eta*Delta[t]")),
         adadelta, "Zeiler 2012 (Eg and Ed are the running means of the squared gradients and steps); "
                   "torch.optim.Adadelta"),
    Rule("rmsprop", "RMSProp", ("lr", "alpha", "eps"), ("s",),
         (("s[t]", "alpha*s[t - 1] + (1 - alpha)*g[t]**2"),
          ("theta[t]", "theta[t - 1] - eta*g[t]/(sqrt(s[t]) + epsilon)")),
         rmsprop, "Hinton's lecture 6e; torch.optim.RMSprop"),
    Rule("rmsprop-centred", "RMSProp, centred", ("lr", "alpha", "eps"), ("s", "gbar"),
         (("s[t]", "alpha*s[t - 1] + (1 - alpha)*g[t]**2"), ("gbar[t]", "alpha*gbar[t - 1] + (1 - alpha)*g[t]"),
          ("theta[t]", "theta[t - 1] - eta*g[t]/(sqrt(s[t] - gbar[t]**2) + epsilon)")), rmsprop_centred,
         "Graves 2013; torch.optim.RMSprop(centered=True)"),
    Rule("rmsprop-momentum", "RMSProp with momentum", ("lr", "alpha", "eps", "momentum"), ("s", "b"),
         (("s[t]", "alpha*s[t - 1] + (1 - alpha)*g[t]**2"), ("b[t]", "mu*b[t - 1] + g[t]/(sqrt(s[t]) + epsilon)"),
          ("theta[t]", "theta[t - 1] - eta*b[t]")), rmsprop_momentum, "torch.optim.RMSprop(momentum=mu)"),
    Rule("adam", "Adam", ("lr", "beta1", "beta2", "eps"), ("m", "v"),
         (("m[t]", "beta_1*m[t - 1] + (1 - beta_1)*g[t]"), ("v[t]", "beta_2*v[t - 1] + (1 - beta_2)*g[t]**2"),
          ("mhat[t]", "m[t]/(1 - beta_1**t)"), ("vhat[t]", "v[t]/(1 - beta_2**t)"),
          ("theta[t]", "theta[t - 1] - eta*mhat[t]/(sqrt(vhat[t]) + epsilon)")), adam,
         "Kingma & Ba 2015; torch.optim.Adam"),
    Rule("amsgrad", "Adam with AMSGrad", ("lr", "beta1", "beta2", "eps"), ("m", "v", "vmax"),
         (("m[t]", "beta_1*m[t - 1] + (1 - beta_1)*g[t]"), ("v[t]", "beta_2*v[t - 1] + (1 - beta_2)*g[t]**2"),
          ("vmax[t]", "max(vmax[t - 1], v[t])"),
          ("theta[t]", "theta[t - 1] - eta*(m[t]/(1 - beta_1**t))/(sqrt(vmax[t]/(1 - beta_2**t)) + epsilon)")),
         amsgrad, "Reddi et al. 2018; torch.optim.Adam(amsgrad=True)"),
    Rule("nadam", "NAdam", ("lr", "beta1", "beta2", "eps"), ("m", "v"),
         (("m[t]", "beta_1*m[t - 1] + (1 - beta_1)*g[t]"), ("v[t]", "beta_2*v[t - 1] + (1 - beta_2)*g[t]**2"),
          ("mhat[t]", "m[t]/(1 - beta_1**(t + 1))"), ("vhat[t]", "v[t]/(1 - beta_2**t)"),
          ("theta[t]",
           "theta[t - 1] - eta*(beta_1*mhat[t] + (1 - beta_1)*g[t]/(1 - beta_1**t))/(sqrt(vhat[t]) + epsilon)")),
         nadam, "Dozat 2016 (constant $beta_1$; PyTorch's NAdam adds a momentum schedule)"),
)}

#: the names the rule texts use for the hyperparameters
TEXT_NAMES = {"lr": "eta", "momentum": "mu", "eps": "epsilon", "rho": "rho", "alpha": "alpha", "beta1": "beta_1",
              "beta2": "beta_2"}


def text_names(rule: Rule, hyper) -> dict:
    """The names a rule's text uses: indexed families for the state, the parameter and the
    gradient; the hyperparameters' symbols; t."""
    names: dict = {"t": sp.Symbol("t", integer=True, positive=True), "theta": sp.IndexedBase("theta"),
                   "g": sp.IndexedBase("g")}
    for lhs, _ in rule.lines:
        base = lhs.split("[", 1)[0]
        names.setdefault(base, sp.IndexedBase(base))
    for key, value in hyper.items():
        names[TEXT_NAMES[key]] = value
    return names


def text_step(rule: Rule, theta, g, t: int, hyper) -> sp.Expr:
    """The rule's first steps computed from its *text* (not its function): every state
    family starts at 0, the parameter at ``theta``; the text's lines are applied in order
    for steps 1..t with gradient ``g``.  The optimizer-rules proof compares this with the
    function, so a text that does not say what the code does is refused."""
    from . import expr as E

    names = text_names(rule, hyper)
    values: dict = {}
    for lhs, _ in rule.lines:
        base = names[lhs.split("[", 1)[0]]
        values[base[0]] = sp.Integer(0)
    values[names["theta"][0]] = sp.sympify(theta)
    for step in range(1, t + 1):
        values[names["g"][step]] = sp.sympify(g)
        for lhs, rhs in rule.lines:
            env = dict(names, t=sp.Integer(step))
            target = E.parse(lhs, env, symbol=None)
            value = E.parse(rhs, env, symbol=None, extra_functions={"sqrt": sp.sqrt}).xreplace(values)
            values[target] = value
    return values[names["theta"][t]]


def quadratic_step(rule: Rule, theta0, a, c, hyper):
    """One step of ``rule`` from theta0 on the loss a/2 (theta - c)^2, gradient a (theta - c)."""
    g = a * (theta0 - c)
    state = dict.fromkeys(rule.state, 0)
    new, _ = rule.step(theta0, g, state, 1, hyper)
    return new
