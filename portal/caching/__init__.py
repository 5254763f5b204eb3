"""Caching, one room: the shared store and short-lived query results (`results`), the public
reads cached as plain values (`reads`), and whole pages for anonymous visitors (`pages`)."""
