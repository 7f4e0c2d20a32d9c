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

from dataclasses import dataclass
from typing import Callable

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
         (("v_t", "mu*v_(t-1) + g_t   (v_1 = g_1)"), ("theta_t", "theta_(t-1) - eta*v_t")), sgd_momentum,
         "torch.optim.SGD (dampening 0, no Nesterov)"),
    Rule("adagrad", "Adagrad", ("lr", "eps"), ("G",),
         (("G_t", "G_(t-1) + g_t**2"), ("theta_t", "theta_(t-1) - eta*g_t/(sqrt(G_t) + epsilon)")), adagrad,
         "Duchi et al. 2011; torch.optim.Adagrad (no decay)"),
    Rule("adadelta", "Adadelta", ("lr", "rho", "eps"), ("Eg2", "Edx2"),
         (("E[g^2]_t", "rho*E[g^2]_(t-1) + (1 - rho)*g_t**2"),
          ("Delta_t", "sqrt(E[dx^2]_(t-1) + epsilon)/sqrt(E[g^2]_t + epsilon)*g_t"),
          ("E[dx^2]_t", "rho*E[dx^2]_(t-1) + (1 - rho)*Delta_t**2"), ("theta_t", "theta_(t-1) - eta*Delta_t")),
         adadelta, "Zeiler 2012; torch.optim.Adadelta"),
    Rule("rmsprop", "RMSProp", ("lr", "alpha", "eps"), ("s",),
         (("s_t", "alpha*s_(t-1) + (1 - alpha)*g_t**2"), ("theta_t", "theta_(t-1) - eta*g_t/(sqrt(s_t) + epsilon)")),
         rmsprop, "Hinton's lecture 6e; torch.optim.RMSprop"),
    Rule("rmsprop-centred", "RMSProp, centred", ("lr", "alpha", "eps"), ("s", "gbar"),
         (("s_t", "alpha*s_(t-1) + (1 - alpha)*g_t**2"), ("gbar_t", "alpha*gbar_(t-1) + (1 - alpha)*g_t"),
          ("theta_t", "theta_(t-1) - eta*g_t/(sqrt(s_t - gbar_t**2) + epsilon)")), rmsprop_centred,
         "Graves 2013; torch.optim.RMSprop(centered=True)"),
    Rule("rmsprop-momentum", "RMSProp with momentum", ("lr", "alpha", "eps", "momentum"), ("s", "b"),
         (("s_t", "alpha*s_(t-1) + (1 - alpha)*g_t**2"), ("b_t", "mu*b_(t-1) + g_t/(sqrt(s_t) + epsilon)"),
          ("theta_t", "theta_(t-1) - eta*b_t")), rmsprop_momentum, "torch.optim.RMSprop(momentum=mu)"),
    Rule("adam", "Adam", ("lr", "beta1", "beta2", "eps"), ("m", "v"),
         (("m_t", "beta1*m_(t-1) + (1 - beta1)*g_t"), ("v_t", "beta2*v_(t-1) + (1 - beta2)*g_t**2"),
          ("mhat_t", "m_t/(1 - beta1**t)"), ("vhat_t", "v_t/(1 - beta2**t)"),
          ("theta_t", "theta_(t-1) - eta*mhat_t/(sqrt(vhat_t) + epsilon)")), adam, "Kingma & Ba 2015; torch.optim.Adam"),
    Rule("amsgrad", "Adam with AMSGrad", ("lr", "beta1", "beta2", "eps"), ("m", "v", "vmax"),
         (("m_t", "beta1*m_(t-1) + (1 - beta1)*g_t"), ("v_t", "beta2*v_(t-1) + (1 - beta2)*g_t**2"),
          ("vmax_t", "max(vmax_(t-1), v_t)"),
          ("theta_t", "theta_(t-1) - eta*(m_t/(1 - beta1**t))/(sqrt(vmax_t/(1 - beta2**t)) + epsilon)")), amsgrad,
         "Reddi et al. 2018; torch.optim.Adam(amsgrad=True)"),
    Rule("nadam", "NAdam", ("lr", "beta1", "beta2", "eps"), ("m", "v"),
         (("m_t", "beta1*m_(t-1) + (1 - beta1)*g_t"), ("v_t", "beta2*v_(t-1) + (1 - beta2)*g_t**2"),
          ("mhat_t", "m_t/(1 - beta1**(t+1))"), ("vhat_t", "v_t/(1 - beta2**t)"),
          ("theta_t", "theta_(t-1) - eta*(beta1*mhat_t + (1 - beta1)*g_t/(1 - beta1**t))/(sqrt(vhat_t) + epsilon)")),
         nadam, "Dozat 2016 (constant beta1; PyTorch's NAdam adds a momentum schedule)"),
)}


def quadratic_step(rule: Rule, theta0, a, c, hyper):
    """One step of ``rule`` from theta0 on the loss a/2 (theta - c)^2, gradient a (theta - c)."""
    g = a * (theta0 - c)
    state = {k: 0 for k in rule.state}
    new, _ = rule.step(theta0, g, state, 1, hyper)
    return new
