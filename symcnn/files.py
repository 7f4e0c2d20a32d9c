"""Writing files atomically: a run that fails or is interrupted leaves no
half-written file behind, and a path that cannot be a file is refused on
one line before anything is written.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(d / "a.txt", "hello\\n")
PosixPath('...a.txt')
>>> (d / "a.txt").read_text()
'hello\\n'
>>> write_atomic(d / "a.txt", "again\\n", force=False)
Traceback (most recent call last):
...
symcnn.files.OutputError: ...a.txt exists; use --force to replace it
>>> write_atomic(d / "missing" / "b.txt", "x")
Traceback (most recent call last):
...
symcnn.files.OutputError: cannot write ...b.txt: the directory ...missing does not exist
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import SymcnnError


class OutputError(SymcnnError):
    """An output path that cannot be written (exit status 2)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def output_dir(path: str | Path, *, create: bool = True) -> Path:
    """A directory to write into: created when missing (``create``), refused
    when it, or one of its parents, is a file."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is not a directory (it is a file); give a directory with -o")
    if not path.exists():
        if not create:
            raise OutputError(f"the directory {path} does not exist")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise OutputError(f"cannot create the directory {path}: a part of the path is a file, "
                              "not a directory") from None
        except OSError as exc:
            raise OutputError(f"cannot create the directory {path}: {exc.strerror}") from None
    return path


def check_output_file(path: str | Path, *, force: bool = True) -> Path:
    """Refuse, before any work is written, a file path that names a directory,
    lies in a missing directory or (without ``force``) names an existing file."""
    path = Path(path)
    if str(path) in ("", "."):
        raise OutputError("an output file name is empty")
    if path.is_dir():
        raise OutputError(f"{path} is a directory; give a file name")
    parent = path.parent
    if not parent.exists():
        raise OutputError(f"cannot write {path}: the directory {parent} does not exist")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is not a directory")
    if not force and (path.exists() or path.is_symlink()):
        raise OutputError(f"{path} exists; use --force to replace it")
    return path


def write_atomic(path: str | Path, data: str | bytes, *, force: bool = True) -> Path:
    """Write to a temporary file beside ``path``, then rename it into place."""
    path = check_output_file(path, force=force)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file follows the umask
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        _unlink(tmp)
        raise
    return path


def _unlink(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
