"""Whole public pages cached for anonymous visitors, keyed by the data stamps of what they show.

Citizens browse without an account: for them a page is the same for everyone who asks for the
same address in the same language, until the data it shows changes. `cached_for_visitors`
answers such a request from the cache after one query (the values of the page's stamps,
`units.stamps.read`); the first visitor after a change renders the page anew. The middleware
still runs on every answer (security headers, CSP, language), only the view is skipped.

Only what is the same for everyone is stored or served:

- a GET of a visitor who has no session (no login, no messages waiting) and is not an htmx
  request;
- a 200 answer with no cookie set and no CSRF token or CSP nonce used (a page with a POST form
  for visitors carries a per-visitor token and is never stored);
- the key holds the view, the host (absolute links, Open Graph tags), the full path with its
  query string (the page may print it: the language switch sends the visitor back to it), the
  language and the stamps' values. Only
  addresses whose parameters are all among those the page declares are cached, each value at
  most `MAX_PARAM_LENGTH` long: junk in the URL is answered by the view, never stored.

Entries also expire after `timeout` seconds, for what a page shows that no write moves (a date
relative to today, a download counter).
"""

import functools
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from units import stamps as data_stamps
from units.caching import fragment_key

PAGE_SECONDS = 300
MAX_PARAM_LENGTH = 200
# Headers a view may set that belong to the page (the rest are added by the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def visitor_request(request: HttpRequest) -> bool:
    """A request whose answer may come from (or go to) the shared cache."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _declared_only(request: HttpRequest, params: tuple[str, ...]) -> bool:
    return all(
        param in params and all(len(value) <= MAX_PARAM_LENGTH for value in values)
        for param, values in request.GET.lists()
    )


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    nonce = getattr(request, "_csp_nonce", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not nonce
    )


def cached_for_visitors(
    *,
    stamps: Callable[..., Iterable[str] | None] | None = None,
    params: Iterable[str] = (),
    timeout: int = PAGE_SECONDS,
):
    """Decorate a public view: `stamps(request, **kwargs)` names the stamps of everything the
    page shows (the registry's `units.stamps.UNITS` is always added; no `stamps`: the page shows
    the registry alone), or None when nothing could tell a stored page that its data changed
    (the view then answers every request); `params` the query parameters it reads (an address
    with any other is not cached)."""
    params = tuple(params)

    def decorator(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not visitor_request(request):
                return view(request, *args, **kwargs)
            if not _declared_only(request, params):
                return view(request, *args, **kwargs)
            shown = stamps(request, *args, **kwargs) if stamps else ()
            if shown is None:
                return view(request, *args, **kwargs)
            names = [data_stamps.UNITS, *shown]
            key = "page:" + fragment_key(
                name,
                request.get_host(),
                request.get_full_path(),
                get_language(),
                names,
                data_stamps.read(names),
            )
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                return HttpResponse(content, headers=headers)
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()
            if _shareable(request, response):
                headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                cache.set(key, (response.content, headers), timeout)
            return response

        return wrapper

    return decorator
