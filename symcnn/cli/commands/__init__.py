"""The subcommands, one module each: ``add(subparsers)`` declares its arguments,
``run(args)`` calls the library and returns the exit status."""

from . import answer_key, check, export, list, prove, table, web, whatif

#: in the order ``symcnn --help`` lists them
COMMANDS = (table, prove, answer_key, whatif, check, export, list, web)
