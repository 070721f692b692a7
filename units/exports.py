"""The LAO registry download and stored downloads (written by units/tables.py, safe from
formula injection).

Downloads that anyone may ask for again and again (the whole registry: 7,850 rows × 22 columns,
seconds of CPU; a province's LAOs, each request of which cost more than serving a stored file
of the whole registry) are built once per change of what they hold and stored under
MEDIA_ROOT/exports/ (`stored_download`); narrower ones (a district, a name search) are built
per request.
"""

import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from units import stamps
from units.caching import fragment_key
from units.models import LAO, LAOKind
from units.search import parse_name_query
from units.tables import CONTENT_TYPES, Column, table_response, write_table

# --- Stored downloads -------------------------------------------------------------------------

EXPORTS_DIR = "exports"


def _lock_id(name: str) -> int:
    """A signed 64-bit key of `name` for pg_advisory_xact_lock."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


def _file_response(name: str, *, filename: str, file_format: str) -> FileResponse:
    """The stored file as an attachment (FileNotFoundError when it is not there)."""
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[file_format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _write_atomically(name: str, build: Callable[[BinaryIO], None]) -> None:
    """Store what `build` writes under `name`, so that no reader ever sees half a file: on a
    local disk into a temporary file of the same folder renamed over `name` (a rename is
    atomic); other storages (S3) publish an upload only once it is complete."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:
        buffer = io.BytesIO()
        build(buffer)
        default_storage.save(name, ContentFile(buffer.getvalue()))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=".", suffix=".part", delete=False
    ) as tmp:
        try:
            build(tmp)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)


def _remove_other_versions(folder: str, *, prefix: str, keep: str) -> None:
    """Delete the files of the same download (variant and format) built from older data; the
    other formats' files of the same data stay."""
    suffix = Path(keep).suffix
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file_name in files:
        if file_name.startswith(prefix) and file_name.endswith(suffix) and file_name != keep:
            default_storage.delete(f"{folder}/{file_name}")


def stored_download(
    *,
    folder: str,
    variant: str,
    stamp: str,
    file_format: str,
    filename: str,
    build: Callable[[BinaryIO], None],
) -> FileResponse:
    """Serve the stored file of a download (`variant` of the data as of `stamp`), building it
    first when there is none. One build per file at a time: concurrent requests wait on a
    PostgreSQL advisory lock, then find the file the first one wrote. The files of the same
    variant built from older data are deleted then."""
    prefix = f"{variant}-"
    file_name = f"{prefix}{stamp}.{file_format}"
    name = f"{EXPORTS_DIR}/{folder}/{file_name}"
    try:
        return _file_response(name, filename=filename, file_format=file_format)
    except FileNotFoundError:
        pass
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(name)])
        if not default_storage.exists(name):
            _write_atomically(name, build)
            _remove_other_versions(f"{EXPORTS_DIR}/{folder}", prefix=prefix, keep=file_name)
    return _file_response(name, filename=filename, file_format=file_format)


# --- The LAO registry -------------------------------------------------------------------------


# The registry's rows are read as plain values (`lao_table`), not LAO objects: building a model
# instance (with its province, district and subdistrict) and its `get_kind_display` per row
# cost several times the query itself (a province of 334 LAOs: ~55 ms of Python against ~5 ms
# of SQL). The columns name the values read; the last one reads `demo_fields`.
def _lao_columns() -> tuple[Column, ...]:
    """The download's columns over the rows `lao_table` reads, with the kinds' and fields'
    labels translated once per table (in the active language) rather than once per row."""
    kinds = {value: str(name) for value, name in LAOKind.choices}
    field_labels = {
        field.name: str(field.verbose_name)
        for field in LAO._meta.get_fields()
        if hasattr(field, "verbose_name")
    }

    def kind_label(kind: str) -> str:
        return kinds.get(kind, kind)  # as `get_kind_display`: an unknown value as it is

    def demo_fields_label(row: dict) -> str:
        """Names of the LAO's fields whose values are generated demo data, e.g.
        `population, phone`."""
        return ", ".join(field_labels.get(name, name) for name in row["demo_fields"])

    return (
        Column(_("DLA code"), "dla_code", empty=""),
        Column(_("Kind"), "kind", format=kind_label),
        Column(_("Name (Thai)"), "name_th"),
        Column(_("Full name (Thai)"), "full_name_th"),
        Column(_("Name (English)"), "name_en"),
        Column(_("Province code"), "province__code"),
        Column(_("Province"), "province__name_th"),
        Column(_("District code"), "district__code", empty=""),
        Column(_("District"), "district__name_th", empty=""),
        Column(_("Subdistrict code"), "subdistrict__code", empty=""),
        Column(_("Subdistrict"), "subdistrict__name_th", empty=""),
        Column(_("Address"), "address"),
        Column(_("Phone"), "phone"),
        Column(_("E-mail"), "email"),
        Column(_("Website"), "website"),
        Column(_("Chief executive"), "chief_executive"),
        Column(_("Population"), "population"),
        Column(_("Households"), "households"),
        Column(_("Area (km²)"), "area_km2"),
        Column(_("Latitude"), "latitude"),
        Column(_("Longitude"), "longitude"),
        # The fields whose value may be demo data.
        Column(_("Demo data (generated values, not real)"), demo_fields_label),
    )


def lao_table(laos: QuerySet[LAO]) -> tuple[tuple[Column, ...], Iterable[dict]]:
    """The columns and rows of the registry download (a stored file or a direct response):
    the filtered, sorted `laos` read as values (one query, no model instances)."""
    columns = _lao_columns()
    values = [column.value for column in columns if isinstance(column.value, str)]
    return columns, laos.values(*values, "demo_fields")


# Bump when the columns or their values change: the stored files then get new names.
LAO_EXPORT_VERSION = 1
# A search (no province) is built per request only up to this many rows; the whole registry
# and each province, with their kinds and sorts, are stored instead, and a search within a
# province holds a few hundred LAOs at most.
LAO_EXPORT_MAX_SEARCH_ROWS = 1000


def lao_registry_stamp() -> str:
    """A digest of everything the registry downloads hold: the registry's data stamp
    (`units.stamps.UNITS`), which every write of an LAO, province, district or subdistrict
    moves (services, uploads, imports, the admin), so a renamed district shows in the files as
    it does on the pages. One single-row query. Any change renews every stored file, each
    rebuilt once, on its next request."""
    return fragment_key(LAO_EXPORT_VERSION, stamps.read([stamps.UNITS]))


def lao_export_plan(cleaned_data: dict) -> str:
    """How the list's download with these (valid) filters is served: "stored" (the whole
    registry or one province, without a district or a name search: a bounded set of files, one
    per province, kind, sort and language), "direct" (a district, or a name search within a
    province: built per request), or "search" (a national name search: built per request if it
    holds at most LAO_EXPORT_MAX_SEARCH_ROWS rows)."""
    if cleaned_data.get("district"):
        return "direct"
    query = parse_name_query(cleaned_data.get("q") or "")
    if query.is_too_short or query.is_empty:
        return "stored"
    return "direct" if cleaned_data.get("province") else "search"


def lao_registry_download(*, laos, cleaned_data: dict, file_format: str) -> HttpResponse | None:
    """The list's download for the filtered `laos` (see `lao_export_plan`); None when a national
    search holds too many rows to build per request."""
    filename = f"laos.{file_format}"
    plan = lao_export_plan(cleaned_data)
    if plan == "search" and laos.count() > LAO_EXPORT_MAX_SEARCH_ROWS:
        return None

    def build(out: BinaryIO) -> None:
        columns, rows = lao_table(laos)
        write_table(out, columns=columns, rows=rows, format=file_format, sheet_title=_("LAOs"))

    if plan != "stored":
        columns, rows = lao_table(laos)
        return table_response(
            columns, rows, filename=filename, format=file_format, sheet_title=_("LAOs")
        )
    variant = "-".join(
        (
            get_language() or "th",
            cleaned_data.get("kind") or "all",
            cleaned_data.get("sort") or "province",
        )
    )
    # A province's files in a folder of their own: the removal of a variant's older files
    # looks at one folder.
    province = cleaned_data.get("province")
    return stored_download(
        folder=f"laos/{province.code}" if province else "laos",
        variant=variant,
        stamp=lao_registry_stamp(),
        file_format=file_format,
        filename=filename,
        build=build,
    )
