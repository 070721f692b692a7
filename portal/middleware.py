"""Back-office sessions end after PORTAL_BACK_OFFICE_IDLE_MINUTES without a request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from units.access import can_view_back_office

LAST_SEEN_KEY = "portal_back_office_seen"
# The last-seen time is rewritten at most this often, so that a page does not write its session
# on every request (and pages keep their query counts); the timeout is this much less precise.
REFRESH_SECONDS = 60


def record_back_office_login(sender, request, user, **kwargs):
    """user_logged_in receiver: start the idle clock of a back-office session as it is created,
    as Django's own receiver stamps last_login, so its first page needs no extra session write."""
    if request is not None and hasattr(request, "session") and can_view_back_office(user):
        request.session[LAST_SEEN_KEY] = int(time.time())


class BackOfficeIdleTimeoutMiddleware:
    """Sign a back-office user out after too long idle; citizens keep their usual session.

    Staff work on shared office computers: a session left open must not stay usable for the
    two weeks of Django's session cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY not in session:
            return self.get_response(request)
        now = int(time.time())
        last_seen = session.get(LAST_SEEN_KEY)
        if last_seen is None:
            # A session opened before the clock existed: start it now for back-office users.
            if can_view_back_office(request.user):
                session[LAST_SEEN_KEY] = now
            return self.get_response(request)
        if now - last_seen > settings.PORTAL_BACK_OFFICE_IDLE_MINUTES * 60:
            return self.sign_out(request)
        if now - last_seen >= REFRESH_SECONDS:
            session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def sign_out(self, request):
        next_path = request.get_full_path()
        logout(request)
        minutes = settings.PORTAL_BACK_OFFICE_IDLE_MINUTES
        messages.info(
            request,
            ngettext(
                "You were signed out after %(minutes)d minute without activity. "
                "Please log in again.",
                "You were signed out after %(minutes)d minutes without activity. "
                "Please log in again.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = redirect_to_login(next_path)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(response["Location"])
        return response
