"""Data stamps: one counter per named piece of public data, read by the page cache.

A writer moves the stamps of what it changed in its own transaction (`bump`), as late as it
can (the row stays locked until the commit); a cached page is keyed by the values of the stamps
of everything it shows (`read`, one query), so the first visitor after the commit renders it
anew and no entry ever has to be deleted. Names are `<app>` for what a whole area shows (a
recompute of the rankings) and `<app>:<thing>:<id>` for one object (a thread and its replies):

    stamps.bump("forums:thread:12", "forums:board:3")

Writes that bypass the services (the admin, a shell) are covered by `bump_on_change`, connected
in the app's `AppConfig.ready()` to the models its pages show.
"""

from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models.signals import post_delete, post_save

UNITS = "units"  # the registry: LAO names, codes and kinds shown on every area's pages


def bump(*names: str) -> None:
    """Move the named stamps by one (creating them at 1), in the current transaction. Names are
    taken in sorted order, so two writers bumping the same names cannot deadlock each other."""
    unique = sorted({name for name in names if name})
    if not unique:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO units_stamp (name, value, changed_at) "
            "SELECT name, 1, now() FROM unnest(%s::varchar[]) AS name ORDER BY name "
            "ON CONFLICT (name) DO UPDATE "
            "SET value = units_stamp.value + 1, changed_at = excluded.changed_at",
            [unique],
        )


def read(names: Iterable[str]) -> tuple[int, ...]:
    """The values of the named stamps in the order given (0 for one never moved): one query."""
    names = list(names)
    if not names:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, value FROM units_stamp WHERE name = ANY(%s::varchar[])", [names]
        )
        values = dict(cursor.fetchall())
    return tuple(values.get(name, 0) for name in names)


def bump_on_change(model, names: Callable[[object], Iterable[str]]) -> None:
    """Bump `names(instance)` whenever an instance of `model` is saved or deleted through the
    ORM (the admin included). Bulk writes (`update()`, `bulk_create`, COPY) send no signal:
    their services call `bump` themselves."""

    def on_change(sender, instance, **kwargs):
        if kwargs.get("raw"):  # loading fixtures
            return
        bump(*names(instance))

    uid = f"units.stamps:{model._meta.label}:{names.__module__}.{names.__qualname__}"
    post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ":delete")


def lao_stamp(area: str, code: str) -> str:
    """The stamp of what one area shows about one LAO, by the code in the LAO's URLs
    (`LAO.url_code`): `lao_stamp("forums", "6110305")` is "forums:lao:6110305". A writer bumps
    it with `lao.url_code`; a cached page names it from its URL's code, with no query."""
    return f"{area}:lao:{code}"
