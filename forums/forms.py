"""Input of the webboard's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import Board, FlagReason
from forums.rules import one_line

BODY_HELP = _("Markdown: **bold**, *italic*, lists, [links](https://…). HTML is not kept.")


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your question or message"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
    )

    def clean_title(self):
        # One line, no control characters: the title goes into e-mail subjects and feeds.
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(self.fields["title"].error_messages["required"])
        return title


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)
    official = forms.BooleanField(
        label=_("This is the LAO's official answer"), required=False, initial=True
    )

    def __init__(self, *args, can_answer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_answer:
            del self.fields["official"]


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why should moderators look at it?"), choices=FlagReason)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the moderation log)"), max_length=500)


class MoveForm(ModerationForm):
    board = forms.ModelChoiceField(label=_("Move to board"), queryset=Board.objects.none())

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards if boards is not None else Board.objects.none()
        self.order_fields(["board", "reason"])


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the webboard"), max_length=100, required=False)
