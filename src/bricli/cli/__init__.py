"""The command-line interface: thin commands over `bricli.core`, formatting at the edge."""
