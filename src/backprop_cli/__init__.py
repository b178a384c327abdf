"""backprop-cli: train, gradient-check and explain backpropagation in fully-connected networks.

``from backprop_cli import Network, check_gradients`` (imported lazily, so that the
command line starts without loading numpy).
"""

from __future__ import annotations

from typing import Any

__all__ = ["Network", "check_gradients"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Network":
        from .network import Network

        return Network
    if name == "check_gradients":
        from .gradcheck import check_gradients

        return check_gradients
    raise AttributeError(f"module 'backprop_cli' has no attribute {name!r}")
