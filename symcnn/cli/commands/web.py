"""symcnn web: build the browser page into a static folder, or serve it on this machine for a try."""

from __future__ import annotations

from ..common import UsageError, say

HELP = "the browser page: build it into a static folder, or serve it locally"


def add(sub) -> None:
    p = sub.add_parser("web", help=HELP,
                       description="Build the page (symcnn in the browser through Pyodide: tables, answer keys, "
                                   "figures, what-if, proofs and grading, nothing to install) into a static folder "
                                   "any file server can host, or serve one on 127.0.0.1. Building needs Node.js "
                                   "and npm (the runtime comes from the npm registry).")
    p.add_argument("--build", metavar="DIR", help="build the page into DIR (replaced whole if it is a built page)")
    p.add_argument("--serve", metavar="DIR", nargs="?", const="",
                   help="serve a built page on 127.0.0.1 (without DIR: build one into the cache first)")
    p.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ...web import build as B

    if args.build is None and args.serve is None:
        raise UsageError("give --build DIR or --serve [DIR]")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port takes 0 to 65535, got {args.port}")
    folder = args.build
    if folder is not None:
        manifest = B.build(folder, log=say)
        say(f"built {folder}: {len(manifest['files'])} files, {int(manifest['bytes']) / 2**20:.1f} MiB, "
            f"Pyodide {manifest['pyodide']} (Python {manifest['python']})")
    if args.serve is not None:
        folder = args.serve or folder or str(B.cache_dir() / "page")
        if not args.serve and not args.build:
            B.build(folder, log=say)
        httpd = B.server(folder, args.port)
        say(f"serving {folder} on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C stops)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
    return 0
