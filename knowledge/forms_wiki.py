from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledge.models_wiki import TITLE_MAX_LENGTH, normalize_title
from knowledge.wiki import TEXT_MAX_LENGTH, title_violation

TEXT_HELP = _(
    "Markdown: **bold**, *italic*, # headings, - lists, [text](https://…) for links, "
    "[[Page title]] for a link to another wiki page."
)


class WikiEditForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20, "class": "wiki-text"}),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=TEXT_HELP,
    )
    comment = forms.CharField(
        label=_("Summary of the change"),
        max_length=300,
        required=False,
        help_text=_("Shown in the history and in recent changes."),
    )
    # The revision the text was taken from: an edit of an older one is a conflict.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def of_page(cls, page, data=None):
        """The form for editing `page` from its current revision (bound to `data` if given)."""
        current_text = page.current.text if page.current else ""
        return cls(data, initial={"text": current_text, "base_revision": page.revision_number})

    @classmethod
    def after_conflict(cls, conflict, comment: str):
        """The form shown with an `EditConflict`: the user's text, based on the revision now
        shown, so that the next save counts as merged by hand."""
        initial = {"text": conflict.your_text, "base_revision": conflict.current_number}
        return cls(initial=initial | {"comment": comment})


class WikiCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    text = WikiEditForm.base_fields["text"]
    comment = WikiEditForm.base_fields["comment"]

    def clean_title(self):
        title = normalize_title(self.cleaned_data["title"])
        violation = title_violation(title)
        if violation:
            raise ValidationError(violation)
        return title


class WikiRevertForm(forms.Form):
    # The page's revision when the user asked to revert: a newer one makes it a conflict.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class WikiProtectForm(forms.Form):
    protected = forms.BooleanField(required=False)


class WikiSearchForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), max_length=TITLE_MAX_LENGTH, required=False)


class WikiDiffForm(forms.Form):
    """`?from=&to=`: the numbers of the two revisions to compare."""

    from_ = forms.IntegerField(min_value=1)
    to = forms.IntegerField(min_value=1)

    def __init__(self, data=None, **kwargs):
        # "from" is a Python keyword: read the query string's `from` into `from_`.
        if data is not None:
            data = {"from_": data.get("from"), "to": data.get("to")}
        super().__init__(data, **kwargs)
