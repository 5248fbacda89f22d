"""The ``gureum`` command: one sub-command per module of this package."""

from __future__ import annotations

import argparse
import sys

from gureum import __version__
from gureum.cli import logs, serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gureum",
        description="gureum: a local AWS serverless cloud (DynamoDB first) in pure Python.",
    )
    parser.add_argument("--version", action="version", version=f"gureum {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    serve.register(commands)
    logs.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
