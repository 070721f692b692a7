"""The upload machinery: check (dry run) and commit an UploadJob with its type's Resource.

Both steps read the workbook safely (reading.py), map its header row onto the Resource's fields,
clean every cell with the field's widget, check each row's LAO against the uploader's scope
(units.access) and duplicates, then ask the upload type to check what needs the database and to
summarize the changes. The commit repeats all of it inside one transaction and writes only when
the whole file is valid. Progress goes through the "progress" database alias (autocommit), so the
job page can show it while the transaction is open.
"""

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units import access
from units.models import LAO, UploadJob, UploadStatus
from units.tables import workbook_bytes
from units.uploads.reading import Sheet, UploadRejected, read_sheet
from units.uploads.registry import (
    CheckResult,
    ParsedRow,
    RowError,
    UploadType,
    get_upload_type,
)

logger = logging.getLogger(__name__)

PROGRESS_ALIAS = "progress"
PROGRESS_EVERY = 2000
MAX_STORED_ERRORS = 1000
ERRORS_HEADER = "ข้อผิดพลาด / errors"


class InvalidUpload(Exception):
    """Raised inside the commit transaction to roll it back when a row is invalid."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} row errors")
        self.errors = errors


def write_progress(job_id: int, **fields) -> None:
    """Update the job through the autocommit "progress" connection: visible at once to the page,
    even while the upload's own transaction is open (never touch the job on "default" there)."""
    # progress_at: the job page tells a stopped job from a moving one by it (liveness.py).
    UploadJob.objects.using(PROGRESS_ALIAS).filter(pk=job_id).update(
        progress_at=timezone.now(), **fields
    )


@contextlib.contextmanager
def local_path(field_file):
    """A local path to the stored file (a temporary copy when the storage has no paths)."""
    try:
        yield field_file.path
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name


def import_fields(resource) -> list:
    """The Resource fields an upload writes (readonly fields such as names are only shown)."""
    return [
        field for field in resource.get_import_fields() if field.attribute and not field.readonly
    ]


def template_headers(resource) -> list[str]:
    return [field.column_name for field in resource.get_export_fields()]


def read_upload(path, *, upload_type: UploadType) -> Sheet:
    """Read the workbook's sheet whose header row matches the type's template (a title row above
    it, or a notes sheet first, are passed over): every written column is required.

    The stored file is the very file the upload form checked (reading.check_workbook, about a
    second for 50,000 rows) before services.upload_create stored it: not checked again here.
    The parse's memory ceiling (reading.py) stays the guard behind that check.
    """
    resource = upload_type.resource()
    return read_sheet(
        path,
        expected=template_headers(resource),
        required=[field.column_name for field in import_fields(resource)],
        checked=True,
    )


def sheet_source(sheet: Sheet) -> dict:
    """Where the rows were read, for the job page: {"sheet": name, "header_row": number}."""
    return {"sheet": sheet.name, "header_row": sheet.header_row}


def parse_rows(
    *,
    sheet: Sheet,
    upload_type: UploadType,
    user,
    progress: Callable[[int], None] = lambda done: None,
) -> tuple[list[ParsedRow], list[RowError]]:
    """Clean every row with the Resource's widgets and check scope and duplicates per row.

    Returns the parsed rows (with their errors left out of `values`) and the row errors.
    Raises UploadRejected when the header row does not match the Resource.
    """
    resource = upload_type.resource()
    fields = import_fields(resource)
    header_index = {header: index for index, header in enumerate(sheet.headers) if header}
    missing = [field.column_name for field in fields if field.column_name not in header_index]
    if missing:
        raise UploadRejected(
            _(
                "The header row does not match the template. Missing columns: %(missing)s. "
                "Expected: %(expected)s. Download the template and keep its header row."
            )
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join(template_headers(resource)),
            }
        )
    plan = [(field, header_index[field.column_name]) for field in fields]
    headers = sheet.headers
    errors: list[RowError] = []
    rows: list[ParsedRow] = []
    for done, (number, cells) in enumerate(sheet.rows):
        if done % PROGRESS_EVERY == 0:
            progress(done)
        row_dict = dict(zip(headers, cells, strict=False))
        values = {}
        for field, index in plan:
            text = cells[index]
            if text is None:
                continue
            try:
                values[field.attribute] = field.widget.clean(text, row=row_dict)
            except ValueError as error:
                errors.append(RowError(number, field.column_name, str(error)))
            except Exception:  # stock widgets raise anything; the user gets a plain message
                errors.append(RowError(number, field.column_name, _("This value is not valid.")))
        rows.append(ParsedRow(number=number, cells=cells, values=values))
    progress(len(sheet.rows))
    errors.extend(_check_lao_codes(rows=rows, errors=errors, upload_type=upload_type, user=user))
    errors.extend(_check_duplicates(rows=rows, upload_type=upload_type, resource=resource))
    return rows, errors


def _column_of(resource, attribute: str) -> str:
    for field in resource.get_import_fields():
        if field.attribute == attribute:
            return field.column_name
    return attribute


def _check_lao_codes(*, rows, errors, upload_type, user) -> list[RowError]:
    """Every row names an LAO the uploader manages: unknown codes and codes outside the
    uploader's scope are row errors. Two queries at most, whatever the number of rows."""
    code_field = upload_type.lao_code_field
    if not code_field:
        return []
    column = _column_of(upload_type.resource(), code_field)
    bad_code_rows = {error.row for error in errors if error.column == column}
    in_scope = access.lao_codes_in_scope(user)
    outside = {
        row.values[code_field]
        for row in rows
        if row.values.get(code_field) and row.values[code_field] not in in_scope
    }
    existing = set()
    if outside:
        existing = set(LAO.objects.filter(dla_code__in=outside).values_list("dla_code", flat=True))
    problems = []
    for row in rows:
        code = row.values.get(code_field)
        if code is None:
            if row.number not in bad_code_rows:
                problems.append(RowError(row.number, column, _("The LAO code is required.")))
        elif code in in_scope:
            row.lao_id = in_scope[code]
        elif code in existing:
            problems.append(
                RowError(
                    row.number,
                    column,
                    _("LAO %(code)s is not in your province: you cannot change it.")
                    % {"code": code},
                )
            )
        else:
            problems.append(
                RowError(row.number, column, _("No LAO has the code %(code)s.") % {"code": code})
            )
    return problems


def _check_duplicates(*, rows, upload_type, resource) -> list[RowError]:
    if not upload_type.unique_fields:
        return []
    column = _column_of(resource, upload_type.unique_fields[0])
    seen: dict[tuple, int] = {}
    problems = []
    for row in rows:
        key = tuple(row.values.get(name) for name in upload_type.unique_fields)
        if any(part is None for part in key):
            continue
        if key in seen:
            problems.append(
                RowError(
                    row.number,
                    column,
                    _("Duplicate: row %(row)s already has this LAO.") % {"row": seen[key]},
                )
            )
        else:
            seen[key] = row.number
    return problems


def validate(
    *, sheet: Sheet, upload_type: UploadType, user, progress=lambda done: None, check=True
):
    """Parse and check the whole sheet: (rows, sorted errors, preview summary)."""
    rows, errors = parse_rows(sheet=sheet, upload_type=upload_type, user=user, progress=progress)
    bad_rows = {error.row for error in errors}
    clean_rows = [row for row in rows if row.number not in bad_rows]
    result = upload_type.check(rows=clean_rows, user=user) if check else CheckResult()
    errors.extend(result.errors)
    errors.sort(key=lambda error: error.row)
    summary = {"rows": len(rows), **result.summary}
    return rows, errors, summary


def error_report_name(job: UploadJob) -> str:
    return f"uploads/errors/upload-{job.pk}-errors.xlsx"


def save_error_report(*, job: UploadJob, sheet: Sheet, errors: list[RowError]) -> None:
    """The uploaded rows with an errors column beside them, stored for download."""
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    width = len(sheet.headers)
    content = workbook_bytes(
        title="errors",
        headers=[*sheet.headers, ERRORS_HEADER],
        rows=([*cells, "; ".join(by_row.get(number, []))] for number, cells in sheet.rows),
        text_columns=range(width),
        error_column=width,
        widths=[16] * width + [60],
    )
    name = error_report_name(job)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


def _finish_invalid(job: UploadJob, *, sheet: Sheet | None, errors: list[RowError], message=""):
    job.status = UploadStatus.INVALID
    job.error_count = len(errors)
    job.errors = [error.as_dict() for error in errors[:MAX_STORED_ERRORS]]
    job.message = str(message)
    job.checked_at = timezone.now()
    if sheet is not None and errors:
        save_error_report(job=job, sheet=sheet, errors=errors)
    job.save(
        update_fields=[
            "status",
            "error_count",
            "errors",
            "message",
            "checked_at",
            "summary",
            "total_rows",
            "processed_rows",
        ]
    )


@contextlib.contextmanager
def progress_connection():
    """Close the progress connection after a task: tasks are rare, idle connections are not."""
    try:
        yield
    finally:
        connection = connections[PROGRESS_ALIAS]
        if not connection.in_atomic_block:  # only a test case wraps it in a transaction
            connection.close()


def run_check(job_id: int) -> UploadJob:
    """The dry run: validate the whole workbook and store the errors or the preview."""
    with progress_connection():
        return _run_check(job_id)


def run_commit(job_id: int) -> UploadJob:
    """Validate again and write everything in one transaction; nothing is written unless the
    whole file is still valid (the data may have changed since the dry run)."""
    with progress_connection():
        return _run_commit(job_id)


def _run_check(job_id: int) -> UploadJob:
    job = UploadJob.objects.select_related("user").get(pk=job_id)
    upload_type = get_upload_type(job.kind)
    write_progress(job.pk, status=UploadStatus.VALIDATING, processed_rows=0)
    sheet = None
    try:
        if upload_type is None:
            raise UploadRejected(_("This kind of upload is not available."))
        with local_path(job.file) as path:
            sheet = read_upload(path, upload_type=upload_type)
        total = len(sheet.rows)
        write_progress(job.pk, total_rows=total)
        job.total_rows = total

        def progress(done):
            write_progress(job.pk, processed_rows=done)

        rows, errors, summary = validate(
            sheet=sheet, upload_type=upload_type, user=job.user, progress=progress
        )
    except UploadRejected as rejected:
        job.summary = {}
        _finish_invalid(job, sheet=None, errors=[], message=rejected.message)
        return job
    except Exception:
        logger.exception("Upload %s could not be checked", job.pk)
        job.status = UploadStatus.FAILED
        job.message = _("The upload could not be checked because of an internal error.")
        job.save(update_fields=["status", "message"])
        return job
    job.processed_rows = job.total_rows = len(rows)
    job.summary = {**summary, "source": sheet_source(sheet)}
    if errors:
        _finish_invalid(job, sheet=sheet, errors=errors)
    else:
        job.status = UploadStatus.VALID
        job.error_count = 0
        job.errors = []
        job.message = ""
        job.checked_at = timezone.now()
        job.save(
            update_fields=[
                "status",
                "total_rows",
                "processed_rows",
                "error_count",
                "errors",
                "summary",
                "message",
                "checked_at",
            ]
        )
    return job


def _run_commit(job_id: int) -> UploadJob:
    job = UploadJob.objects.select_related("user").get(pk=job_id)
    upload_type = get_upload_type(job.kind)
    write_progress(job.pk, processed_rows=0)
    sheet = None
    try:
        if upload_type is None:
            raise UploadRejected(_("This kind of upload is not available."))
        with local_path(job.file) as path:
            sheet = read_upload(path, upload_type=upload_type)

        def progress(done):
            write_progress(job.pk, processed_rows=done)

        with transaction.atomic():
            rows, errors, summary = validate(
                sheet=sheet,
                upload_type=upload_type,
                user=job.user,
                progress=progress,
                check=False,  # the type's commit checks again itself, under row locks
            )
            if errors:
                raise InvalidUpload(errors)
            result = upload_type.commit(rows=rows, user=job.user, job=job)
            job.status = UploadStatus.COMMITTED
            job.summary = {
                **job.summary,
                **summary,
                "source": sheet_source(sheet),
                "committed": result,
            }
            job.processed_rows = job.total_rows = len(rows)
            job.committed_at = timezone.now()
            job.message = ""
            # The job row is written on "default" only here, last: the progress connection
            # must never wait for this transaction's lock.
            job.save(
                update_fields=[
                    "status",
                    "summary",
                    "processed_rows",
                    "total_rows",
                    "committed_at",
                    "message",
                ]
            )
    except InvalidUpload as invalid:
        _finish_invalid(
            job,
            sheet=sheet,
            errors=invalid.errors,
            message=_("The data changed since the check: nothing was saved."),
        )
    except UploadRejected as rejected:
        _finish_invalid(job, sheet=None, errors=[], message=rejected.message)
    except Exception:
        logger.exception("Upload %s could not be committed", job.pk)
        job.status = UploadStatus.FAILED
        job.message = _("Nothing was saved because of an internal error.")
        job.save(update_fields=["status", "message"])
    return job
