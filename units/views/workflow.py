"""Steps of a review workflow as views: submit, enact or accept, return (and the like).

Budget plans and progress reports (and whatever later goes from an LAO to a reviewer) move the
same way: a POST with the version the user saw (optimistic locking) and, for a return, a
comment; the service decides, and the user is sent back to the object's page with what happened
or why not. Out of scope is 404, as everywhere (`units.access`).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


def posted_version(request) -> int:
    """The version of the object the form was made from; a form without one is 404."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404("A form without its version.") from None


def workflow_step(
    *,
    load: Callable,
    service: Callable,
    argument: str,
    done: str,
    page: str,
    comment: bool = False,
) -> Callable:
    """A POST view `(request, pk)` for one step.

    `load(user=, pk=)` returns the object the user may see (404 otherwise); `service(**{argument:
    obj}, user=, version=[, comment=])` takes the step; `done` is said on success; `page` is the
    URL name of the object's page. The service's ValidationError is shown as an error message;
    its PermissionDenied is a 404.
    """

    @require_POST
    @login_required
    def view(request, pk):
        obj = load(user=request.user, pk=pk)
        options = {"user": request.user, "version": posted_version(request)}
        if comment:
            options["comment"] = request.POST.get("comment", "")
        try:
            service(**{argument: obj}, **options)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect(page, pk=obj.pk)

    return view
