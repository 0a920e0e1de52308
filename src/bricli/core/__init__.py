"""The core: fact model, loading, validation, queries and derived values.

Nothing here knows about the command line or about rendering.
"""
