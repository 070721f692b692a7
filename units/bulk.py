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


def copy_text(table: str, columns: Sequence[str], chunks: Iterable[str]) -> None:
    """COPY text already in COPY's format (tab-separated lines, \\N for NULL) into `table`."""
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for chunk in chunks:
            copy.write(chunk)
