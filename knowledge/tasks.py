"""Background tasks of the knowledge base (django.tasks; `manage.py units_run_worker` runs them)."""

from django.tasks import task


@task()
def extract_file_text(*, file_id: int) -> str:
    """Read the text of an attached PDF, DOCX or XLSX (in a child process under the memory
    ceiling, knowledge.files.extract_text) and make it searchable, or keep why it could not be
    read; returns the extraction status."""
    from knowledge import services
    from knowledge.files import ExtractionFailed, extract_text
    from knowledge.models import DocumentFile, ExtractionError

    attached = DocumentFile.objects.filter(pk=file_id).first()
    if attached is None:
        return "gone"
    text, error = None, ""
    try:
        if not attached.file.storage.exists(attached.file.name):
            raise ExtractionFailed(ExtractionError.MISSING)
        text = extract_text(attached.file.path, attached.file_type)
    except ExtractionFailed as failure:
        error = failure.reason
    except OSError:
        error = ExtractionError.MISSING
    stored = services.document_file_text_store(file_id=file_id, text=text, error=error)
    return stored.extraction if stored else "gone"
