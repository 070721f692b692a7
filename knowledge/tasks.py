"""Background tasks of the knowledge base (django.tasks; `manage.py units_run_worker` runs them)."""

from django.tasks import task


@task()
def extract_file_text(*, file_id: int) -> str:
    """Read the text of an attached PDF or DOCX (in a child process under the memory ceiling,
    knowledge.files.extract_text) and make it searchable; returns the extraction status."""
    from knowledge import services
    from knowledge.files import ExtractionFailed, extract_text
    from knowledge.models import DocumentFile

    attached = DocumentFile.objects.filter(pk=file_id).first()
    if attached is None:
        return "gone"
    try:
        text = extract_text(attached.file.path, attached.file_type)
    except (ExtractionFailed, OSError):
        text = None
    stored = services.document_file_text_store(file_id=file_id, text=text)
    return stored.extraction if stored else "gone"
