"""Forms of the knowledge base: a document (editors), a good practice (LAO officers), the
reviewer's return comment. Files are checked here (`files.check_upload`), once the rest of the
form is valid."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledge.files import check_upload, discard
from knowledge.models import Document, DocumentKind, Topic
from units.models import LAO
from units.views.workflow import StepForm

MAX_FILES = 5
_LIST_SEPARATORS = re.compile(r"[,\n]+")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once, at most MAX_FILES. They are only read here; the form checks them
    (`CheckedFilesMixin`) once every other field is valid."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)s files at a time.") % {"count": MAX_FILES}
            )
        return [super(FilesField, self).clean(upload, initial) for upload in uploads]


class CheckedFilesMixin:
    """Checks the `files` (size, type by content, zip limits) after the other fields: each check
    writes a temporary copy of up to KNOWLEDGE_FILE_MAX_BYTES, so a form that fails anyway makes
    none. A valid form's `files` are `files.CheckedFile`s; the view passes them to a service and
    calls `discard_files` in a `finally` for the copies the service did not store."""

    def clean(self):
        cleaned = super().clean()
        uploads, cleaned["files"] = cleaned.get("files") or [], []
        if self.errors:
            return cleaned
        # Kept apart from cleaned_data, which add_error may empty later.
        self.checked_files = checked = []
        try:
            for upload in uploads:
                checked.append(check_upload(upload))
        except ValidationError as error:
            discard(checked)
            self.add_error("files", error)
        except BaseException:
            discard(checked)
            raise
        else:
            cleaned["files"] = list(checked)
        return cleaned

    def discard_files(self) -> None:
        discard(getattr(self, "checked_files", []))


class ListField(forms.CharField):
    """Comma- or line-separated words (tags) as a list."""

    def to_python(self, value):
        text = super().to_python(value)
        return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


class LAOCodesField(forms.CharField):
    """DLA codes, comma-separated, as the LAOs they name; an unknown code is an error."""

    def to_python(self, value):
        codes = [
            code.strip()
            for code in _LIST_SEPARATORS.split(super().to_python(value))
            if code.strip()
        ]
        if any(not re.fullmatch(r"[0-9]{7}", code) for code in codes):
            raise ValidationError(_("A DLA code has seven digits."))
        laos = list(LAO.objects.filter(dla_code__in=codes).only("pk", "dla_code"))
        missing = sorted(set(codes) - {lao.dla_code for lao in laos})
        if missing:
            raise ValidationError(
                _("No LAO has the code %(codes)s.") % {"codes": ", ".join(missing[:5])}
            )
        return laos

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(lao.dla_code or "" for lao in value)
        return value


def _topics_field():
    return forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _year_field():
    return forms.IntegerField(
        label=_("Year (BE)"), min_value=2400, max_value=2700, required=False,
        help_text=_("Buddhist Era, for example 2568."),
    )  # fmt: skip


class DocumentForm(CheckedFilesMixin, forms.Form):
    """A document an editor publishes (any kind but a good practice)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (value, label)
            for value, label in DocumentKind.choices
            if value != DocumentKind.GOOD_PRACTICE
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    year = _year_field()
    source = forms.CharField(label=_("Source or publisher"), max_length=300, required=False)
    abstract = forms.CharField(
        label=_("Abstract"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=2_000_000,
    )
    topics = _topics_field()
    tags = ListField(
        label=_("Tags"), required=False, max_length=1000, help_text=_("Separated by commas.")
    )
    laos = LAOCodesField(
        label=_("LAOs it concerns"), required=False, max_length=2000,
        help_text=_("DLA codes separated by commas, for example 6110305."),
    )  # fmt: skip
    files = FilesField(
        label=_("Files"),
        help_text=_(
            "PDF, Word (DOCX), Excel (XLSX) or images; the text of PDF and Word files becomes "
            "searchable."
        ),
    )


class GoodPracticeForm(CheckedFilesMixin, forms.Form):
    """A good practice an LAO's officer proposes for their LAO."""

    title = forms.CharField(label=_("Title"), max_length=500)
    abstract = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    body = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 8}), max_length=200_000
    )
    practice_result = forms.CharField(
        label=_("Result"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    practice_cost = forms.DecimalField(
        label=_("Cost (baht)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    practice_contact = forms.CharField(
        label=_("Contact"),
        max_length=300,
        help_text=_("Who to ask: name, position, phone or e-mail."),
    )
    year = _year_field()
    topics = _topics_field()
    tags = ListField(
        label=_("Tags"), required=False, max_length=1000, help_text=_("Separated by commas.")
    )
    files = FilesField(label=_("Files"), help_text=_("PDF, Word (DOCX), Excel (XLSX) or images."))


# The fields of a document that its edit form starts from (`laos` aside: a list of LAOs).
_EDITED_FIELDS = (
    "kind",
    "title",
    "authors",
    "year",
    "source",
    "abstract",
    "body",
    "topics",
    "tags",
    "practice_result",
    "practice_cost",
    "practice_contact",
)


def document_edit_form(document: Document, data=None, files=None):
    """The form that edits `document`: a good practice's own form (its LAO is fixed), the
    editor's document form for any other kind; filled from the document (one query for its
    LAOs)."""
    form_class = GoodPracticeForm if document.kind == DocumentKind.GOOD_PRACTICE else DocumentForm
    initial = {name: getattr(document, name) for name in _EDITED_FIELDS}
    return form_class(data, files, initial=initial | {"laos": list(document.laos.all())})


class ReturnForm(StepForm):
    comment = forms.CharField(
        label=_("What should the LAO revise?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
