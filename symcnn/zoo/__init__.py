"""The network zoo: spec files shipped with symcnn, in the same format users
write (so the format is exercised on every network).

>>> "vgg16" in names()
True
>>> load("vgg16").input
Shape(c=3, h=224, w=224)
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..errors import SymcnnError
from ..network import Network


def _files():
    return resources.files(__name__)


@cache
def names() -> list[str]:
    """Names of the zoo networks, sorted."""
    return sorted(f.name[:-4] for f in _files().iterdir() if f.name.endswith(".cnn"))


def text(name: str) -> str:
    """The spec text of a zoo network."""
    if name not in names():
        import difflib

        close = difflib.get_close_matches(name, names(), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; 'symcnn list' shows the zoo"
        shown = name if len(name) <= 60 else name[:57] + "..."
        raise SymcnnError(f"no network {shown!r} in the zoo and no such spec file{hint}")
    return (_files() / f"{name}.cnn").read_text(encoding="utf-8")


@cache
def load(name: str) -> Network:
    """Parse a zoo network (cached: networks are immutable)."""
    from ..spec import loads

    return loads(text(name), filename=f"zoo:{name}", name=name)
