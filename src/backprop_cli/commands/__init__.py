"""One module per command; ``cli.py`` registers them on the Typer app.

Commands are thin: parse options, call the core, render. Heavy modules (numpy and
the core) are imported inside the command functions so that ``backprop --help``
starts fast.
"""
