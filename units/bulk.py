"""Bulk writes through PostgreSQL's COPY: several times faster than INSERTs for the tens of
thousands of rows of an upload or the millions of the demo seed (STACK.md)."""

from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` (tuples of Python values, None for NULL) into `table`'s `columns`."""
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def reserve_ids(table: str, needed: int) -> int:
    """Reserve `needed` ids of `table`'s identity column for rows about to be COPYed with
    explicit ids; returns the first. The table is locked until the transaction ends, so no
    concurrent insert takes one of them."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + needed]
        )
    return first


def copy_text(table: str, columns: Sequence[str], chunks: Iterable[str]) -> None:
    """COPY text already in COPY's format (tab-separated lines, \\N for NULL) into `table`."""
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for chunk in chunks:
            copy.write(chunk)


# A bulk write of more than this share of a table makes its statistics stale enough to mislead
# the planner (autovacuum's ANALYZE uses the same threshold, but runs only after the commit).
STALE_SHARE = 0.1


def analyze_if_outgrown(table: str, written: int) -> bool:
    """ANALYZE `table` when `written` rows (just inserted or changed in this transaction) are
    more than STALE_SHARE of the rows its statistics know, before the same transaction reads
    it again: planned against the old size (an empty table, before a first recompute), a join
    of half a million rows ran as a nested loop. ANALYZE counts the transaction's own rows.
    Returns whether it ran."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [table]
        )
        known = cursor.fetchone()[0]
        if written <= STALE_SHARE * known + 1000:
            return False
        cursor.execute(f"ANALYZE {table}")
    return True
