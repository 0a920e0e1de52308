"""Finding and reading fact files: discovery, the strict YAML reader, decoding to facts (with per-field checks), the cache. Imports model/ and checks/."""
