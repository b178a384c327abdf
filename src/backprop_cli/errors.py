"""The exceptions the core raises; the CLI turns them into one line and an exit code.

Every message names the place (file, field path, row/column), the bad value and
what is allowed, e.g. ``network.activation: relu6 is not one of: elu, leaky_relu,
linear, relu, sigmoid, silu, softplus, tanh``. ConfigError, DataError and InputError are
ValueErrors too (a notebook's ``except ValueError``); the CLI catches them by their own classes.
"""

from __future__ import annotations


class BackpropError(Exception):
    """Base class of every error the tool reports to a user (never a bug)."""

    exit_code = 2
    #: The message as the field at fault says it (``training.epochs: abc is not …``), where the
    #: message itself starts with the --set that gave it (``--set training.epochs=abc: abc is …``).
    field_message: str | None = None
    #: The config field at fault, where the error is one field's and its message does not start with it
    #: (``network.layers [2, 100000, 1]: training would need …``, a data file's ``target column foo
    #: (data.target) not found``): as ``config.blame`` was told it, for ``config validate --json``.
    field: str | None = None
    #: The other config fields whose values make this error with the field at fault (early stopping
    #: with no held-out split: data.validation_fraction, data.test_fraction): the --sets that gave
    #: them are named with the one that gave the field, and the config where it writes one of them.
    depends_on: tuple[str, ...] = ()

    def __init__(self, message: str, hint: str | None = None, *, depends_on: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if depends_on:
            self.depends_on = depends_on

    def __str__(self) -> str:
        """The message, and the hint on a line of its own: from Python (a notebook's traceback) the
        hint was never seen, though messages point to it ('which squared error? see the hint'). The
        CLI prints ``message`` and ``hint`` apart, as its ``error:`` and ``hint:`` lines."""
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class ConfigError(BackpropError, ValueError):
    """A config file or a command-line value is invalid (exit 2); from Python, an argument
    (``Network(cost=...)``, a ``TrainingConfig`` field). A ValueError too, so that a notebook's
    ``except ValueError`` catches it; the CLI catches it by its own class."""


class ConfigErrors(ConfigError):
    """Several errors of one config found in one pass (``config validate``; ``config.every_error``):
    ``errors``, in the order they are reported. Its own message, hint and field are the first's."""

    def __init__(self, errors: list[BackpropError]) -> None:
        super().__init__(errors[0].message, errors[0].hint)
        self.errors = tuple(errors)
        self.field_message = errors[0].field_message
        self.field = errors[0].field


class BackwardError(ConfigError):
    """A user's own backward function (``gradcheck --backward FILE.py:FUNCTION``) cannot be used:
    its file fails to import, the function is missing or takes other arguments, it raised, or
    it returned something other than (dw, db) shaped as the weights and biases (exit 2). ``file``
    and ``line``: where, when known (the line of a raise or of a syntax error)."""

    def __init__(self, message: str, hint: str | None = None, file: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message, hint)
        self.file = file
        self.line = line


class DataError(BackpropError, ValueError):
    """A data file or a generated data set cannot be used (exit 2). A ValueError too."""


class InputError(DataError, ValueError):
    """An array passed to the Python API (``X``, ``Y``, ``weights``, ``biases``) is not usable:
    text or other non-numbers, ragged rows, the wrong shape, or (where refused) NaN or infinite
    values. The message names the argument, what was wrong and what is allowed. A ValueError
    too, so code written against numpy's own errors still catches it."""


class ModelFileError(BackpropError):
    """A saved model file is missing, corrupt, or does not match (exit 2)."""


class OutputError(BackpropError):
    """Standard output cannot be written (a full disk, /dev/full): exit 2."""


class SignalExit(SystemExit):
    """The tool's own exit on a stop signal, raised by its handlers: SIGTERM (143), SIGHUP (129),
    a second one in a training batch. A SystemExit (the process ends with its code), but not a
    user's ``sys.exit(…)``: code that catches a user's SystemExit to report it (``gradcheck
    --backward``'s function and module) lets this one through."""


class DivergedError(BackpropError):
    """Training produced a NaN or infinite cost or weight (exit 1). ``epoch``: the 1-based epoch
    it happened in; ``cost``: the non-finite cost seen (NaN or ±inf; NaN when not known).
    ``before_any_step``: the cost was so on what training was given, before its first step (the
    initial weights, the inputs, λ): no divergence of training, and ``fields`` the config fields it
    rests on (``network.weights``, ``network.biases``, ``training.l2``), which ``backprop train``
    refuses as input (exit 2)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, epoch: int | None = None,
                 cost: float = float("nan"), before_any_step: bool = False, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint)
        self.epoch = epoch
        self.cost = cost
        self.before_any_step = before_any_step
        self.fields = fields
