"""The LAO profile (public), its edit form (officers, provincial staff, admins) and its change
history (back office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from units.access import back_office_required, can_edit_lao, can_view_back_office, lao_for_user
from units.filters import LAOChangeFilter
from units.forms import LAOEditForm
from units.models import LAO, ChangeSource
from units.pagecache import cached_for_visitors
from units.profile import (
    lao_map_data,
    profile_stamps,
    render_profile_actions,
    render_profile_sections,
)
from units.selectors import lao_change_history, lao_profile
from units.services import lao_update

HISTORY_PAGE_SIZE = 20


@cached_for_visitors(stamps=lambda request, code: profile_stamps(code))
def lao_detail(request, code):
    """The public profile: basic data, contacts, location map and the sections of other apps.
    Visitors get it from the page cache until the registry or a section's data changes; while a
    section names no stamps (`profile_stamps` is None), every request renders it."""
    lao = get_object_or_404(lao_profile(code=code))
    return render(
        request,
        "units/profile/detail.html",
        {
            "lao": lao,
            "map_data": lao_map_data(lao),
            "sections": render_profile_sections(lao, request),
            "actions": render_profile_actions(lao, request),
            "can_edit": can_edit_lao(request.user, lao),
            "can_view_history": can_view_back_office(request.user),
        },
    )


@login_required
def lao_edit(request, code):
    """Officers edit their LAO, provincial staff their province's, admins any (404 otherwise)."""
    lao = lao_for_user(request.user, code)
    form = LAOEditForm(request.POST or None, instance=lao)
    if request.method == "POST" and form.is_valid():
        change = lao_update(
            lao=lao, user=request.user, data=form.cleaned_data, source=ChangeSource.FORM
        )
        if change is None:
            messages.info(request, _("Nothing was changed."))
        else:
            messages.success(request, _("The LAO's data has been saved."))
        return redirect(lao)
    return render(request, "units/profile/edit.html", {"lao": lao, "form": form})


@back_office_required
def lao_history(request, code):
    """Who changed what and when, newest first: for back-office users (404 for others)."""
    lao = get_object_or_404(LAO.objects.by_url_code(code))
    changes = LAOChangeFilter(request.GET, queryset=lao_change_history(lao=lao))
    page_obj = Paginator(changes.qs, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "units/profile/history.html",
        {"lao": lao, "filter": changes, "page_obj": page_obj},
    )
