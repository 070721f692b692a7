"""Files attached to documents: checked on upload, stored under a generated name, their text read
in a child process under a memory ceiling.

On upload (`check_upload`): the size first (settings.KNOWLEDGE_FILE_MAX_BYTES), then the type by
content: the upload is copied to a temporary file and read by `puremagic.from_file`, which looks
inside zip containers (its stream functions read only headers and call any zip a docx). The name
the user gave is kept only for the download's name (`clean_file_name`); the stored name is
random. DOCX and XLSX are zips: their declared uncompressed size and compression ratio are
checked before anything opens them (a zip bomb is refused here).

Text is read by the task worker (`extract_text`), in `extract_child.py` under RLIMIT_AS, RLIMIT_CPU
and RLIMIT_FSIZE, with an empty environment: whatever still needs too much memory or time ends
that process, never the worker.
"""

import contextlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge import extract_child
from knowledge.models import ExtractionError

logger = logging.getLogger(__name__)

# Detected type → MIME type served. Only these are accepted.
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
ZIP_TYPES = {"docx", "xlsx"}
TEXT_TYPES = {"pdf", "docx", "xlsx"}
EXTRACT_TIMEOUT_SECONDS = 120
# All the text reader needs: a UTF-8 locale (-I ignores PYTHONPATH, the venv is found from
# sys.executable).
CHILD_ENVIRONMENT = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
# Cells a workbook may hold (declared) or make the reader walk through: a few million cells is
# already a very large report; beyond that the file is hostile or not a document.
EXTRACT_MAX_CELLS = 5_000_000
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"<>|?*:;%]+')
NAME_MAX_LENGTH = 150


@dataclass
class CheckedFile:
    """An upload that passed the checks: its temporary copy (the caller deletes it), type, size
    and the cleaned name it will be downloaded as."""

    path: str
    file_type: str
    size: int
    original_name: str


def discard(files) -> None:
    """Delete the temporary copies of checked files that were not stored (those stored are
    already gone)."""
    for checked in files:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(checked.path)


# Control, format (bidi overrides such as U+202E turn "exe.pdf" into "fdp.exe" on screen),
# surrogate and line/paragraph separator characters: none belongs in a name shown or saved.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def clean_file_name(name: str, file_type: str) -> str:
    """The user's file name made safe to send back: no folders (either separator), no control,
    format (bidi) or quoting characters, NFC, at most NAME_MAX_LENGTH characters, and the
    extension of the type the content really is."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_NAME.sub("", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:NAME_MAX_LENGTH] or "document"
    return f"{stem}.{file_type}"


def _too_large():
    return ValidationError(
        _("The file is larger than %(limit)s.")
        % {"limit": filesizeformat(settings.KNOWLEDGE_FILE_MAX_BYTES)},
        code="too_large",
    )


def _detect(path: str) -> str | None:
    try:
        extension = puremagic.from_file(path)
    except (puremagic.PureError, ValueError, OSError):
        return None
    extension = extension.lower().lstrip(".")
    return {"jpeg": "jpg"}.get(extension, extension)


def check_zip(path: str) -> None:
    """Refuse a DOCX or XLSX whose parts would unpack beyond the limits (a zip bomb), before
    any library opens it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(
            _("The file is damaged and cannot be read."), code="damaged"
        ) from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if (
        unpacked > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
        or unpacked / packed > settings.UPLOAD_MAX_COMPRESSION_RATIO
    ):
        raise ValidationError(
            _("The file unpacks to far more data than a document holds; it is refused."),
            code="zip_bomb",
        )


def check_upload(upload) -> CheckedFile:
    """Check an uploaded file (size, type by content, zip limits) on a temporary copy; raises
    ValidationError with the reason in the user's language."""
    if upload.size is None or upload.size > settings.KNOWLEDGE_FILE_MAX_BYTES:
        raise _too_large()
    handle, path = tempfile.mkstemp(
        prefix="knowledge-", suffix=".upload", dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    try:
        size = 0
        with os.fdopen(handle, "wb") as copy:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > settings.KNOWLEDGE_FILE_MAX_BYTES:
                    raise _too_large()
                copy.write(chunk)
        file_type = _detect(path)
        if file_type not in FILE_TYPES:
            raise ValidationError(
                _(
                    "Only PDF, Word (DOCX), Excel (XLSX) and image files are accepted; this "
                    "file's content is not one of them."
                ),
                code="file_type",
            )
        if file_type in ZIP_TYPES:
            check_zip(path)
    except BaseException:
        os.unlink(path)
        raise
    return CheckedFile(path, file_type, size, clean_file_name(upload.name, file_type))


def storage_name(file_type: str) -> str:
    """A stored name nobody chose: the month and a random UUID, with the type's extension."""
    return f"knowledge/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{file_type}"


class ExtractionFailed(Exception):
    """The text of a file could not be read; `reason` is a `models.ExtractionError` value."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason} {detail}".strip())
        self.reason = reason


def _failure(returncode: int, stdout: bytes) -> ExtractionFailed:
    """What the child's exit says: a parser's exception (damaged), too many cells, the CPU-time
    ceiling (SIGXCPU), or the memory ceiling (MemoryError, or killed by a signal when the ceiling
    hit native code)."""
    if returncode == extract_child.UNREADABLE:
        try:
            detail = json.loads(stdout or b"{}").get("error", "")
        except ValueError:
            detail = ""
        return ExtractionFailed(ExtractionError.DAMAGED, detail)
    if returncode == extract_child.TOO_LARGE:
        return ExtractionFailed(ExtractionError.TOO_LARGE)
    if returncode == -signal.SIGXCPU:
        return ExtractionFailed(ExtractionError.TIMEOUT, "CPU time")
    return ExtractionFailed(ExtractionError.MEMORY, f"exit {returncode}")


def extract_text(path: str, file_type: str) -> str:
    """The text of a PDF, DOCX or XLSX, read by extract_child.py under the memory ceiling
    (settings.KNOWLEDGE_EXTRACT_MEMORY_MB), at most settings.KNOWLEDGE_EXTRACT_MAX_CHARS
    characters and EXTRACT_MAX_CELLS cells; raises ExtractionFailed with the reason."""
    limit = settings.KNOWLEDGE_EXTRACT_MEMORY_MB * 1024 * 1024
    try:
        # -I: the child ignores PYTHON* variables and the user's site; it imports no Django.
        # It gets none of the worker's environment (database URL, secret key, mail password):
        # a parser exploited by a hostile file finds nothing to steal. Its stderr (tracebacks
        # of that parser, as long as the file makes them) is not kept; stdout is capped by the
        # child at KNOWLEDGE_EXTRACT_MAX_CHARS.
        done = subprocess.run(
            [
                sys.executable, "-I", extract_child.__file__, path, file_type, str(limit),
                str(settings.KNOWLEDGE_EXTRACT_MAX_CHARS), str(EXTRACT_MAX_CELLS),
                str(EXTRACT_TIMEOUT_SECONDS),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=CHILD_ENVIRONMENT,
            timeout=EXTRACT_TIMEOUT_SECONDS,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(ExtractionError.TIMEOUT) from None
    if done.returncode != 0:
        failure = _failure(done.returncode, done.stdout)
        logger.warning("Reading %s ended with exit status %s: %s", path, done.returncode, failure)
        raise failure
    return done.stdout.decode("utf-8", errors="replace")
