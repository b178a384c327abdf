"""backprop-cli: train, gradient-check and explain backpropagation in fully-connected networks."""

from .network import Network

__all__ = ["Network"]
__version__ = "0.1.0"
