"""Dutch free-text search over listings, the same on SQLite (FTS5) and PostgreSQL (GIN).

Both databases index text that *we* stem, with Snowball's Dutch stemmer applied twice. Stemming
twice makes inflections meet: "fietsen" → "fiets" → "fiet" and "fiets" → "fiet". PostgreSQL's own
`dutch` configuration misses exactly these pairs ("fietsen"/"fiets", "boodschappen"/"boodschap"),
so it indexes our stems with the `simple` configuration instead.

Query words match as prefixes, which suits Dutch compounds: "fiets" finds "fietstocht".
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer
from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_WORDS = 8
QUERY_STOPWORDS = frozenset(
    "de het een en in op van voor met te aan bij om of door naar uit ik je u wij we".split()
)


@functools.cache
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def _fold(word: str) -> str:
    """Lower case without accents: "café" and "cafe" are one word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The search key of one word."""
    stemmer = _stemmer()
    return stemmer.stemWord(stemmer.stemWord(_fold(word)))


def stems(text_: str) -> list[str]:
    """The search keys of every word in a text, in order."""
    return [stem(word) for word in WORD.findall(text_)]


def search_document(*parts: str | None) -> str:
    """What goes into the index for a listing: the stems of its texts, space-separated."""
    return " ".join(stems(" ".join(part for part in parts if part)))


def query_stems(query: str) -> list[str]:
    """The distinct stems of a user's query (at most a handful, to keep queries cheap)."""
    words = [word for word in WORD.findall(query) if _fold(word) not in QUERY_STOPWORDS]
    return list(dict.fromkeys(stem(word) for word in words))[:MAX_QUERY_WORDS]


def matching_listing_ids(session: Session, query: str) -> ColumnElement[bool] | None:
    """A clause that keeps listings matching every word of the query, or None for no words."""
    from ...models import Listing

    words = query_stems(query)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        tsquery = func.to_tsquery("simple", " & ".join(f"{word}:*" for word in words))
        return func.to_tsvector("simple", Listing.search_text).op("@@")(tsquery)
    fts_query = " ".join(f'"{word}"*' for word in words)
    ids = (
        select(text("rowid"))
        .select_from(text("listing_fts"))
        .where(text("listing_fts MATCH :fts_query").bindparams(fts_query=fts_query))
    )
    return Listing.id.in_(ids)
