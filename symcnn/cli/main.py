"""The command line: a thin leaf that parses arguments and calls the library.

Every user mistake (a bad flag, spec, expression or value) is reported on one
line on stderr with exit status 2; nothing is half-written.  Each subcommand is
one module in :mod:`symcnn.cli.commands` (``add(subparsers)`` and ``run(args)``).
"""

from __future__ import annotations

import sys

from ..errors import SymcnnError
from .commands import COMMANDS
from .common import MissingTool, NotProved, Parser, UsageError

__all__ = ["build_parser", "main"]


def build_parser() -> Parser:
    from ..version import __version__

    parser = Parser(prog="symcnn", description="Symbolic derivations of CNN architecture arithmetic.")
    parser.add_argument("--version", action="version", version=f"symcnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add(sub)
    parser.set_defaults(commands=tuple(sub.choices))  # named in the error when no command is given
    return parser


class Terminated(BaseException):
    """SIGTERM, turned into an exception so every cleanup (temp folders, child processes) runs."""


def _terminate(signum, frame):
    raise Terminated()


def main(argv=None) -> int:
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            commands = ", ".join(args.commands)
            raise UsageError(f"a command is required: {commands} (see 'symcnn --help')")
        return args.func(args)
    except (NotProved, MissingTool) as exc:
        print(f"symcnn: {exc.oneline()}", file=sys.stderr)
        return 1
    except SymcnnError as exc:
        print(f"symcnn: error: {exc.oneline()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symcnn: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("symcnn: terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    except RecursionError:
        print("symcnn: error: the input is nested too deeply to work with", file=sys.stderr)
        return 2
    except MemoryError:
        print("symcnn: error: out of memory: the input is too large to work with", file=sys.stderr)
        return 2
    except Exception as exc:
        import os

        if os.environ.get("SYMCNN_DEBUG"):
            raise
        text = " ".join(str(exc).split())[:300]
        print(f"symcnn: internal error: {type(exc).__name__}: {text} (a bug in symcnn: please report it; "
              "SYMCNN_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2
