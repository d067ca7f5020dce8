"""The ``seglearn`` command line.

    seglearn --version
    seglearn check-setup          # one ✓/✗ line per requirement; exit 1 when something is missing

Other modules add subcommands through :data:`SUBCOMMANDS` below (one function that adds its
parser and one that runs it), so this file stays a thin dispatcher.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from . import __version__

# name -> (help, add_arguments(parser), run(args) -> exit code)
SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def subcommand(name: str, help: str, add_arguments: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register ``run(args) -> int`` as ``seglearn NAME``."""
    def register(run: Callable[[argparse.Namespace], int]):
        SUBCOMMANDS[name] = (help, add_arguments, run)
        return run
    return register


@subcommand("check-setup", "check that this machine is ready for the course")
def _check_setup(args: argparse.Namespace) -> int:
    from .setup_check import check_setup

    return 0 if check_setup() else 1


def _load_plugins() -> None:
    """Import the modules that register further subcommands (each is optional)."""
    import importlib

    for module in ("seglearn.classroom", "seglearn.data"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def build_parser() -> argparse.ArgumentParser:
    _load_plugins()
    parser = argparse.ArgumentParser(prog="seglearn", description="seglearn: learn to evaluate medical image segmentation")
    parser.add_argument("--version", action="version", version=f"seglearn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_arguments, run) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(p)
        p.set_defaults(_run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
