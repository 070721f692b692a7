"""Keys of cached fragments and stored files: one digest of everything a fragment shows.

A rendered table is cached under a digest of the values it is made of (rollup cells, counts, the
validated query string its links keep, the labels it prints), so an entry is reused only while
its data is the same and is never stale; nothing needs to invalidate it.
"""

import hashlib


def fragment_key(*parts) -> str:
    """A short, stable digest (32 hex characters) of `parts`, compared by their `repr`: pass
    validated values only (never raw request input), so junk cannot multiply the entries."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
