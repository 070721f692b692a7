"""Errors at the top of every form, each linked to its field, and beside the field too
(templates/includes/form_errors.html, units.rendering.PortalFormRenderer); the LAO edit form
takes a website as people type it."""

import re

import pytest
from django import forms
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from units.forms import LAOEditForm
from units.templatetags.form_errors import summary_items

pytestmark = pytest.mark.django_db


def edit_data(lao, **changes):
    data = model_to_dict(lao, fields=LAOEditForm.Meta.fields)
    data = {name: "" if value is None else value for name, value in data.items()}
    return data | changes


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_the_lao_form_lists_its_errors_at_the_top_linked_to_the_fields(client, tree):
    client.force_login(tree.officer)
    response = client.post(
        reverse("units:edit", args=[tree.lao.url_code]),
        edit_data(tree.lao, phone="12", email="not an address", population="100", households="500"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = summary_of(html)
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    for field in ("phone", "email", "households"):
        assert f'<a href="#id_{field}">' in summary
        # ... and beside the field, tied to it for screen readers.
        assert f'id="id_{field}_error"' in html
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html)
    # The summary comes first: before the first field of the form.
    assert html.index('class="error-summary"') < html.index('id="id_address"')
    assert 'src="/static/js/forms.js"' in html


def test_a_form_without_errors_has_no_summary(client, tree):
    client.force_login(tree.officer)
    html = client.get(reverse("units:edit", args=[tree.lao.url_code])).content.decode()
    assert "error-summary" not in html


def test_the_login_page_says_its_error_at_the_top(client, tree):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    summary = summary_of(response.content.decode())
    assert "<a href" not in summary  # a form's own error has no field to go to
    assert summary.count("<li>") == 1


def test_a_website_typed_with_www_is_accepted_and_stored_with_https(client, tree):
    client.force_login(tree.officer)
    response = client.post(
        reverse("units:edit", args=[tree.lao.url_code]),
        edit_data(tree.lao, website="www.nongprue.go.th"),
    )
    assert response.status_code == 302
    tree.lao.refresh_from_db()
    assert tree.lao.website == "https://www.nongprue.go.th"


def test_the_website_is_a_text_input(client, tree):
    client.force_login(tree.officer)
    html = client.get(reverse("units:edit", args=[tree.lao.url_code])).content.decode()
    assert re.search(r'<input type="text" name="website"', html)


class LineForm(forms.Form):
    item = forms.CharField(label="Item")
    amount = forms.DecimalField(label="Amount")


LineFormSet = forms.formset_factory(LineForm, extra=0, can_delete=True)


def test_formset_rows_are_numbered_and_rows_being_deleted_do_not_count():
    data = {
        "line-TOTAL_FORMS": "3",
        "line-INITIAL_FORMS": "0",
        "line-0-item": "ok",
        "line-0-amount": "1",
        "line-1-item": "",
        "line-1-amount": "x",
        "line-2-item": "",
        "line-2-amount": "x",
        "line-2-DELETE": "on",
    }
    with translation.override("en"):
        items = summary_items(LineFormSet(data, prefix="line"), None)
    assert [(item.label, item.target) for item in items] == [
        ("Line 2: Item", "id_line-1-item"),
        ("Line 2: Amount", "id_line-1-amount"),
    ]


def test_the_upload_form_summarises_its_errors(client, tree):
    client.force_login(tree.staff)
    response = client.post(reverse("units:upload-list"), {"kind": "units.registry"})
    summary = summary_of(response.content.decode())
    assert '<a href="#id_file">' in summary
