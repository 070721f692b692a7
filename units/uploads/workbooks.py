"""The workbook an uploader downloads to fill in: the upload type's columns (Thai headers),
pre-filled with the LAOs of the uploader's scope, and a sheet of notes on every column."""

from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import User
from units.tables import workbook_bytes
from units.uploads.registry import UploadType


def upload_template_name(*, upload_type: UploadType) -> str:
    """`template-<kind>-<today>.xlsx`: the day tells two downloaded templates apart."""
    return f"template-{upload_type.key}-{timezone.localdate().isoformat()}.xlsx"


def upload_template_bytes(*, upload_type: UploadType, user: User, request=None) -> bytes:
    """The .xlsx template of `upload_type` for `user`: the Resource's export columns, the rows
    `template_rows` gives for the user's LAOs (codes written as text), and the notes."""
    resource = upload_type.resource()
    export_fields = resource.get_export_fields()
    headers = [field.column_name for field in export_fields]
    column_notes = upload_type.column_notes
    notes = [(_("Column"), _("Column (English)"), _("How to fill it in"))]
    notes += [
        (header, *(str(part) for part in column_notes.get(header, ("", "")))) for header in headers
    ]
    extra = (
        upload_type.template_notes(request=request)
        if upload_type.template_notes
        else [_("A blank cell leaves the current value unchanged.")]
    )
    notes += [("", "", str(note)) for note in extra]
    return workbook_bytes(
        title=upload_type.key,
        headers=headers,
        rows=upload_type.template_rows(user=user),
        text_columns=[
            index
            for index, field in enumerate(export_fields)
            if field.attribute == upload_type.lao_code_field
        ],
        widths=[18] * len(headers),
        notes=notes,
        notes_title=_("Notes"),
    )
