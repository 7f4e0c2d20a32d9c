"""A figure copied from a published source that is itself wrong.  The catalogue holds only
figures whose error is documented; the correct value always comes from the derivation."""

from __future__ import annotations

from . import Slip

#: (network, subject, quantity, published value, where it was published, what is wrong with it)
PUBLISHED = (
    ("alexnet", "conv1", "activations", 253_440, "Krizhevsky et al. (2012), section 3.5",
     "the paper's neuron count for the first layer; 55 x 55 x 96 is 290,400"),
    ("alexnet", "total", "activations", 650_000, "Krizhevsky et al. (2012), section 1 ('650,000 neurons')",
     "the paper's round count of its neurons: the layers' outputs only (no input, no pooling), and for its two-GPU "
     "network"),
    ("vgg16", "total", "activations", 24_000_000, "the CS231n notes (VGGNet in detail)",
     "the notes' 'TOTAL memory: 24M'; their own per-layer figures add up to about 15.2M"),
    ("vgg16", "total", "bytes", 96_000_000, "the CS231n notes (VGGNet in detail)",
     "24M x 4 bytes, from the notes' wrong total of activations"),
    ("vgg16", "total", "bytes", 93_000_000, "the CS231n notes (VGGNet in detail)",
     "the notes' '~= 93MB / image', from their wrong total of activations"),
    ("googlenet", "total", "params", 5_000_000, "the CS231n slides ('5M parameters'), after Szegedy et al. (2015)",
     "the round figure quoted for the network; the paper's own table 1 adds up to about 7M (no auxiliary "
     "classifiers)"),
)


def test(ctx):
    c = ctx.claim
    for net, subject, quantity, value, source, why in PUBLISHED:
        if (net, subject, quantity) == (c.network, c.subject, c.quantity) and c.value.matches(value):
            return f"this is the figure published in {source}, which is wrong: {why}"
    return None


SLIP = Slip("published-figure", "a figure copied from a published table that is itself wrong", order=5,
            applies=lambda ctx: ctx.claim.quantity != "output", test=test)
