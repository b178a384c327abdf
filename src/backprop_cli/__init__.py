"""backprop-cli: train, gradient-check and explain backpropagation in fully-connected networks.

``from backprop_cli import Network, check_gradients`` (imported lazily, so that the
command line starts without loading numpy).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["Network", "check_gradients"]
__version__ = "0.1.0"

INTERRUPTED_EXIT = 128 + 2  # a shell's code for a process ended by Ctrl-C (SIGINT)


def run() -> None:
    """The ``backprop`` console script and ``python -m backprop_cli``: the CLI (``cli.main``),
    imported here so that a Ctrl-C while it loads (typer and rich take ~0.15 s) ends with one
    line and exit 130, not a traceback. (Inside a command typer turns Ctrl-C into exit 130
    itself, and ``train`` saves a checkpoint first. Only a Ctrl-C in Python's own first
    ~30 ms, before this function runs, can still print a traceback.)"""
    try:
        from .cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(INTERRUPTED_EXIT) from None


def __getattr__(name: str) -> Any:
    if name == "Network":
        from .network import Network

        return Network
    if name == "check_gradients":
        from .gradcheck import check_gradients

        return check_gradients
    raise AttributeError(f"module 'backprop_cli' has no attribute {name!r}")
