"""The one rule for addresses (issue 24): a source's `url` is `http://` or `https://`
followed by a host, with no space, control, quote, angle bracket, backtick or backslash.
`check` reports any other (`javascript:`, `data:`, `file:` ...), and every output that
makes a link (briefs, Datasette's metadata) makes one only of an address this accepts.
"""

from __future__ import annotations

import re

SCHEMES = ("http", "https")
# what no address holds: whitespace and controls (also Unicode's), quotes, <>, `, \, and
# the invisible format characters that would hide part of it
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"'<>`\\\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_HOST = re.compile(r"[^/?#@:\[\]]+|\[[0-9A-Fa-f:.]+\]")


def url_problem(url: str) -> str | None:
    """Why `url` is not an address bricli takes, or None when it is."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        return "only http:// and https:// addresses are taken"
    bad = _UNSAFE.search(url)
    if bad:
        return f"the address holds a character no address has ({bad.group()!a})"
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    host = authority.rsplit(":", 1)[0] if not authority.endswith("]") else authority
    if not host or not _HOST.fullmatch(host):
        return "the address has no host name after its scheme"
    return None


def is_link(url: str | None) -> bool:
    """Whether `url` may be made a link: a non-empty address url_problem accepts."""
    return bool(url) and isinstance(url, str) and url_problem(url) is None
