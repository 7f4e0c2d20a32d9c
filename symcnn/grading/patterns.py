"""Regular expressions compiled once.

``rx(pattern, flags)`` is :func:`re.compile` behind a cache that costs one dictionary look-up: the
readers call a few dozen patterns for every figure of a sheet, and ``re.search(pattern, ...)`` spends
more time finding its compiled pattern (type checks on the flags, then re's own cache) than matching a
short line.

>>> rx(r"\\d+").fullmatch("224") is not None
True
>>> rx(r"conv", 2) is rx(r"conv", 2)
True
"""

from __future__ import annotations

import re
from functools import lru_cache

rx = lru_cache(maxsize=1024)(re.compile)

__all__ = ["rx"]
