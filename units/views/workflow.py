"""Steps of a review workflow as views: submit, enact or accept, return, withdraw (and the like).

Budget plans and progress reports (and whatever later goes from an LAO to a reviewer) move the
same way: a POST with the version the user saw (optimistic locking) and, for some steps, a small
form (a return's comment, the reason for a deficit); the service decides, and the user is sent
back to the object's page with what happened or why not. Out of scope is 404, as everywhere
(`units.access`).

A step that cannot be undone asks first. Its button on the object's page posts to the step
without `confirm`: the server answers with a confirmation page (also reachable by GET) that says
what will happen, shows the step's warnings and its form, and posts again with `confirm=yes`.
Only that second post takes the step, so the confirmation holds without JavaScript and for any
client. `confirmation_page` is the same page for steps that are not made here (a project's final
stage).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

CONFIRMED = "yes"


def posted_version(request) -> int:
    """The version of the object the form was made from; a form without one is 404."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404("A form without its version.") from None


def is_confirmed(request) -> bool:
    """Did the user press the button of the confirmation page (not the object page's)?"""
    return request.method == "POST" and request.POST.get("confirm") == CONFIRMED


class StepForm(forms.Form):
    """The input of a step (a comment, a reason), built with the object it is about (`subject`)
    so that it can ask only what this object needs."""

    def __init__(self, *args, subject=None, **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)


def _no_warnings(subject) -> list[str]:
    return []


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page says: the `question`, what will happen (`consequence`: say
    whether it can be undone), the confirming `button`; `subject(obj)` names the object
    (its `str()` by default) and `warnings(obj)` lists what the user should know first (a deficit,
    money not yet paid out)."""

    question: str
    consequence: str
    button: str
    subject: Callable[[Any], str] = str
    warnings: Callable[[Any], Iterable[str]] = field(default=_no_warnings)


def confirmation_page(
    request,
    *,
    confirmation: Confirmation,
    subject,
    action: str,
    back: str,
    hidden: dict[str, Any],
    form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page that asks before a step: it posts `hidden` (the version and whatever the step
    needs) and `form`'s fields to `action` with `confirm=yes`; `back` is where "Cancel" leads."""
    context = {
        "confirmation": confirmation,
        "subject": confirmation.subject(subject),
        "warnings": list(confirmation.warnings(subject)),
        "action": action,
        "back": back,
        "hidden": hidden,
        "form": form,
        "confirm_value": CONFIRMED,
    }
    return render(request, "units/step_confirm.html", context, status=status)


def _form_errors(form: forms.Form, error: ValidationError) -> bool:
    """Put a service's errors on the step's form when they name its fields; False otherwise."""
    if form is None or not hasattr(error, "error_dict"):
        return False
    if not set(error.error_dict) <= set(form.fields):
        return False
    for name, errors in error.error_dict.items():
        form.add_error(name, errors)
    return True


def workflow_step(
    *,
    load: Callable,
    service: Callable,
    argument: str,
    done: str,
    page: str,
    allowed: Callable,
    confirm: Confirmation | None = None,
    form: type[StepForm] | None = None,
) -> Callable:
    """A view `(request, pk)` for one step.

    `load(user=, pk=)` returns the object the user may see (404 otherwise); `allowed(user,
    obj.lao)` says whether the user may take the step at all (`units.access`; 404 otherwise, so
    nobody is asked to confirm a step they cannot take); `service(**{argument: obj}, user=,
    version=, **form.cleaned_data)` takes the step; `done` is said on success; `page` is the URL
    name of the object's page. With `confirm` the step is taken only from its confirmation page
    (see the module's docstring); without it the view takes POST only. The service's
    ValidationError is shown on the step's form when it names its fields, else as an error
    message on the object's page; its PermissionDenied is a 404.
    """

    def step(request, pk):
        obj = load(user=request.user, pk=pk)
        if not allowed(request.user, obj.lao):
            raise Http404("This step is not yours to take.")
        posted = request.method == "POST"
        version = posted_version(request) if posted else obj.version
        confirmed = confirm is None or is_confirmed(request)
        bound = form(request.POST, subject=obj) if form and confirmed else None
        if confirmed and (bound is None or bound.is_valid()):
            try:
                service(
                    **{argument: obj},
                    user=request.user,
                    version=version,
                    **(bound.cleaned_data if bound else {}),
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                if not _form_errors(bound, error):
                    messages.error(request, " ".join(error.messages))
                    return redirect(page, pk=obj.pk)
            else:
                messages.success(request, done)
                return redirect(page, pk=obj.pk)
        if confirm is None:  # an invalid form of a step that does not ask first
            messages.error(request, " ".join(_messages_of(bound)))
            return redirect(page, pk=obj.pk)
        # Not yet confirmed: the form shows what was typed on the object's page, without errors.
        shown = bound or (form(initial=request.POST or None, subject=obj) if form else None)
        return confirmation_page(
            request,
            confirmation=confirm,
            subject=obj,
            action=request.path,
            back=reverse(page, kwargs={"pk": obj.pk}),
            hidden={"version": version},
            form=shown,
            status=400 if bound is not None and bound.errors else 200,
        )

    view = require_http_methods(["GET", "POST"])(step) if confirm else require_POST(step)
    return login_required(view)


def _messages_of(form: forms.Form | None) -> list[str]:
    if form is None:
        return []
    return [str(message) for errors in form.errors.values() for message in errors]
