"""Everything that draws: rich tables and progress, Markdown/LaTeX, JSON encoding.

The core modules return plain data; only this package and ``cli.py`` know about
rich, colours and terminals. One module per command keeps each screenful small.
"""
