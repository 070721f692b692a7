"""The upload form: which kind of workbook, and the file (checked before it is stored)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from units.tables import XLSX_CONTENT_TYPE
from units.uploads.reading import UploadRejected, check_size, check_workbook


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of upload"))
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "An Excel workbook made from the template; the sheet and row of its header are "
            "found by the template's column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        allow_empty_file=True,  # refused below with our own message
    )

    def __init__(self, *args, upload_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_types = {upload_type.key: upload_type for upload_type in upload_types}
        self.fields["kind"].choices = [
            (upload_type.key, upload_type.title) for upload_type in upload_types
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            check_workbook(upload)
        except UploadRejected as rejected:
            raise forms.ValidationError(rejected.message, code="unreadable") from None
        finally:
            upload.seek(0)
        return upload

    @property
    def upload_type(self):
        return self.upload_types[self.cleaned_data["kind"]]
