"""The shared pagination include, whatever else the including page has in its context."""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory


def render(path: str, **context) -> str:
    request = RequestFactory().get(path)
    page = Paginator(range(30), 10).get_page(2)
    return render_to_string("includes/pagination.html", {"page_obj": page, **context}, request)


def test_links_keep_the_request_query_when_the_page_has_a_query_string_of_its_own():
    # Pages such as the missing-reports list carry a `query` string for their own links: the
    # include must not mistake it for the filters to keep (it answered 500 on page 2).
    html = render("/x/?fiscal_year=2569&quarter=4&page=2", query="fiscal_year=2569&quarter=4")
    assert "?fiscal_year=2569&amp;quarter=4&amp;page=1" in html
    assert "?fiscal_year=2569&amp;quarter=4&amp;page=3" in html


def test_links_keep_only_the_validated_filters_when_given():
    html = render("/x/?q=abc&junk=1&page=2", keep_query=QueryDict("q=abc"))
    assert "?q=abc&amp;page=3" in html
    assert "junk" not in html
