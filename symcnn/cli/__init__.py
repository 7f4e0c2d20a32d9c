"""The command line (``symcnn``): :func:`main` and one module per subcommand."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
