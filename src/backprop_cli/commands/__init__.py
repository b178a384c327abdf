"""One module per command; ``cli.py`` registers them on the Typer app.

Commands are thin: parse options, call the core, render. Heavy modules (numpy and
the core) are imported inside the command functions so that ``backprop --help``
starts fast. For the same reason these modules and ``cli.py`` do not use ``from __future__
import annotations``: typer would then ``eval`` every string annotation each time it builds
the click command (17-29 ms against 3.5-6 ms, once per process and per ``CliRunner.invoke``);
names imported only for type checking are quoted instead.
"""
