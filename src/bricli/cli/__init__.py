"""The command-line interface: thin commands over the fact model, loading and analysis; formatting at the edge."""
