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


class InputError(SymcnnError):
    """An input path that cannot be read as a text file (exit status 2)."""


def read_text_limited(path: str | Path, limit: int, what: str = "file") -> str:
    """A text file read whole, after checking that it is a regular file no larger than ``limit`` bytes:
    a FIFO, a device (a link to /dev/zero) or a huge (even sparse) file is refused on one line, before
    anything is read.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
    >>> _ = p.write_text("conv1: 55x55x96")
    >>> read_text_limited(p, 100, "sheet")
    'conv1: 55x55x96'
    >>> read_text_limited(p, 10, "sheet")
    Traceback (most recent call last):
    ...
    symcnn.files.InputError: sheet ...s.txt is 15 bytes (at most 10)
    >>> read_text_limited("/dev/zero", 10, "sheet")
    Traceback (most recent call last):
    ...
    symcnn.files.InputError: sheet /dev/zero is not a regular file (a character device)
    """
    import stat

    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        if not p.exists() and not p.is_symlink():
            raise InputError(f"no such {what}: {path}") from None
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a named pipe" if stat.S_ISFIFO(st.st_mode)
                else "a character device" if stat.S_ISCHR(st.st_mode) else "a block device"
                if stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a file")
        raise InputError(f"{what} {path} is not a regular file ({kind})")
    if st.st_size > limit:
        raise InputError(f"{what} {path} is {st.st_size:,} bytes (at most {limit:,})")
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{what} {path} is more than {limit:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {what} {path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
