"""Options shared by commands, defined once (sqlite-utils style).

Only typer is imported here: this module is loaded for `--help` and for
every TAB completion, so it must stay cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bricli.cli import complete

FactsOpt = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--facts",
        help="Directory of fact files to read as well (repeatable). Default: $BRICLI_FACTS (directories separated by : on Unix, ; on Windows).",
        metavar="DIR",
        show_default=False,
        readable=False,  # an unreadable directory is a problem (exit 1), as through $BRICLI_FACTS
    ),
]
NoShippedOpt = Annotated[
    bool,
    typer.Option("--no-shipped", help="Read only the --facts / $BRICLI_FACTS directories, not the shipped facts."),
]
MaxFileSizeOpt = Annotated[
    int,
    typer.Option("--max-file-size", help="Refuse fact files larger than this many bytes.", metavar="BYTES", min=1),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Read the fact files themselves (into an index in memory); the cached index is neither read nor updated."),
]
FormatOpt = Annotated[
    Optional[str],
    typer.Option(
        "--format",
        "-f",
        help="table, plain, csv, tsv, json, ndjson, yaml or markdown. Default: table on a terminal, plain when piped; $BRICLI_FORMAT.",
        metavar="FORMAT",
        autocompletion=complete.formats,
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.", metavar="FILE", show_default=False),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Overwrite an existing file or a symlinked destination given with -o."),
]
CountryOpt = Annotated[
    Optional[list[str]],
    typer.Option("--country", "-c", metavar="COUNTRY", help="Country or region: ISO code (BRA, br) or name in English, Spanish or Portuguese (Brasil, México). "
                 "Several, any of: --country BRA,MEX or --country BRA --country MEX.",
                 autocompletion=complete.country_names, show_default=False),
]
YearOpt = Annotated[
    Optional[list[str]],
    typer.Option("--year", "-y", metavar="YEAR", help="Facts whose period touches this year or range (2018, 2015..2024, 2015.., a comma list); "
                 "partial periods are included and marked. Not with --from/--to.",
                 autocompletion=complete.year_choices, show_default=False),
]
FromOpt = Annotated[
    Optional[list[str]],
    typer.Option("--from", help="Facts whose period ends on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).", metavar="DATE", show_default=False),
]
ToOpt = Annotated[
    Optional[list[str]],
    typer.Option("--to", help="Facts whose period starts on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).", metavar="DATE", show_default=False),
]
SourceOpt = Annotated[
    Optional[list[str]],
    typer.Option("--source", metavar="ID", help="Only facts from this source id (see `bricli sources`); several, any of: A,B.",
                 autocompletion=complete.source_ids, show_default=False),
]
GrepOpt = Annotated[
    Optional[list[str]],
    typer.Option("--grep", help="Only facts whose label, name, description, quote or note contains TEXT (any case, any accents); "
                 "repeat for any of.", metavar="TEXT", show_default=False),
]
ReliabilityOpt = Annotated[
    Optional[str],
    typer.Option("--reliability", metavar="GRADE", help="Only facts from sources graded GRADE or better: A official or primary, "
                 "B reputable secondary, C repost, blog or aggregator (ungraded sources are left out).",
                 autocompletion=complete.grades, show_default=False),
]
CiteOpt = Annotated[bool, typer.Option("--cite", help="Add the verbatim quote each row rests on.")]
DerivedOpt = Annotated[bool, typer.Option("--derived", help="Add the values bricli computes (balances, implied earlier values, shares), marked derived.")]
NoDerivedOpt = Annotated[bool, typer.Option("--no-derived", hidden=True, help="Deprecated, no effect: derived values are off unless --derived.")]
ChartOpt = Annotated[
    bool,
    typer.Option("--chart", help="Draw each series (the same stated figure over two or more periods) as horizontal bars, "
                 "instead of the table. Stated values only; partial periods and qualified values marked."),
]
ColumnsOpt = Annotated[
    Optional[list[str]],
    typer.Option("--columns", metavar="FIELDS", help="Only these JSON fields, in this order, in every format (id,value,period; source.quote).",
                 show_default=False),
]
SortOpt = Annotated[
    Optional[str],
    typer.Option("--sort", metavar="FIELD", help="Sort rows by a JSON field; -FIELD for descending. value sorts by value_base.", show_default=False),
]
LimitOpt = Annotated[
    Optional[str],
    typer.Option("--limit", metavar="N", help="Only the first N rows (after --sort).", show_default=False),
]
IdsOpt = Annotated[bool, typer.Option("--ids", help="Show fact ids in terminal tables (every other format has them).")]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header", help="Leave out the header line (plain, csv, tsv).")]
NoPagerOpt = Annotated[bool, typer.Option("--no-pager", help="Do not page long output on a terminal ($BRICLI_PAGER, $PAGER or less).")]
