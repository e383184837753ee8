"""Listing pages — tags, categories, archives, authors, pagination — told by their address.

They list other pages: they compete with none of them for a keyword, and two of them
listing the same posts (a tag with one article, the archive of a blog's only author) are
thin archives to keep out of the index rather than duplicated content to rewrite.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Listing pages by their address: tags, categories, archives, authors, pagination.
LISTING_PATH = re.compile(
    r"/(?:tags?|categor(?:y|ies)|cat[ée]gories?|archives?|authors?|auteurs?|[ée]tiquettes?)"
    r"(?:/|$)|/page/\d+/?$", re.IGNORECASE)
LISTING_QUERY = re.compile(r"(?:^|&)(?:page|paged)=\d+", re.IGNORECASE)


def listing_address(url: str) -> bool:
    """/tag/…, /category/…, /categorie/…, /archives/…, /author/…, /page/2, ?page=2."""
    parts = urlsplit(url)
    return bool(LISTING_PATH.search(unquote(parts.path)) or LISTING_QUERY.search(parts.query))


__all__ = ["listing_address"]
