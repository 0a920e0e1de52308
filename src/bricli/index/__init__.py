"""The index: the one way bricli selects facts.

Every query, listing, view, brief, export and the Python API asks the index. It is one
SQLite database per set of fact directories (in the user's cache directory, or in memory
with --no-cache: the same schema, the same queries). Per fact file it holds what reading
and checking the file gave (facts, sources, problems), each fact stored compactly (its
fields as a JSON array, its machine record zlib-compressed) beside the columns filters read;
per set of files, the checks across files, the derived values and the order of the set. Every
stored row carries a CRC32 verified when it is read: a damaged or forged row is never
served (the engine drops the index, rebuilds it from the files and answers from that).
A command's freshness check and its reads run in one read transaction, so a rebuild by
another process is never half seen. Modules: `location` (where), `schema` (tables),
`codec` (a fact to its stored form and back), `build` (files to rows), `query` (filters
to SQL, sort orders), `engine` (open or build, then select).
"""
