"""Where officers and provincial staff start: the landing after login, the work page ("My
work") and the header's counts, loaded after the page so that no page pays for them; and the
one notifications page of every account, which the header's count links to."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import selectors, services
from portal.navigation import landing_url_name
from units import access
from units.models import Role


@login_required
def landing(request):
    """LOGIN_REDIRECT_URL: each role's first page (`landing_url_name`). A safe `next` never
    comes here: the login view follows it."""
    return redirect(landing_url_name(request.user))


@login_required
def work(request):
    """The officer's work on their LAO, or the review overview of provincial staff and
    administrators; 404 for the roles without one (`access.has_work_page`)."""
    user = request.user
    if not access.has_work_page(user):
        raise Http404("No work page for this account.")
    today, now = timezone.localdate(), timezone.now()
    if user.role == Role.OFFICER:
        context = selectors.officer_work(user=user, today=today, now=now)
        return render(request, "portal/work_officer.html", context)
    context = selectors.reviewer_work(user=user, today=today, now=now)
    return render(request, "portal/work_reviewer.html", context)


@never_cache
@require_GET
def header_badges(request):
    """The header's badges (unread notifications, items waiting), asked for by the header
    after the page has loaded. Nothing (204) for anonymous visitors: the header keeps its
    plain links."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    counts = selectors.header_counts(user=request.user, today=timezone.localdate())
    return render(request, "portal/_header_badges.html", counts)


@login_required
def notifications(request):
    """The user's project and webboard notifications together, newest first, unread marked."""
    page_obj = selectors.notifications_page(user=request.user, page_number=request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page_obj": page_obj})


@require_POST
@login_required
def notifications_read(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications")
