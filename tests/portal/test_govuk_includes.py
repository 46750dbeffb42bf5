"""The shared GOV.UK pagination and breadcrumbs, as a visitor reads them."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def _pagination(number, pages, query="q=parks&sort=start"):
    request = RequestFactory().get(f"/list/?{query}&page={number}")
    page_obj = Paginator(range(pages * 10), 10).get_page(number)
    body = render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=request)
    items = re.findall(r'govuk-pagination__item[^"]*">\s*(?:<a[^>]*>(\d+)</a>|(&ctdot;))', body)
    return body, [number or "…" for number, _ in items]


def test_first_last_current_and_neighbours_with_ellipses_between():
    assert _pagination(5, 10)[1] == ["1", "…", "4", "5", "6", "…", "10"]
    # A gap of one page shows that page, not an ellipsis.
    assert _pagination(4, 10)[1] == ["1", "2", "3", "4", "5", "…", "10"]
    assert _pagination(1, 4)[1] == ["1", "2", "3", "4"]


def test_links_keep_the_search_and_filters_and_change_only_the_page():
    body, _ = _pagination(2, 3)
    assert 'href="?q=parks&amp;sort=start&amp;page=3" rel="next"' in body
    assert 'href="?q=parks&amp;sort=start&amp;page=1" rel="prev"' in body
    assert 'aria-current="page">2</a>' in body


def test_one_page_has_no_pagination():
    assert "govuk-pagination" not in _pagination(1, 1)[0]
