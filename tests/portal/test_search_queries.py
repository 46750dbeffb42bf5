"""Site search answers any query string with a page, on SQLite (FTS5) and PostgreSQL alike."""

import pytest

from portal.views import SEARCH_QUERY_MAX_LENGTH

pytestmark = pytest.mark.django_db

ODD_QUERIES = {
    "lone double quote": '"',
    "two double quotes": '""',
    "unbalanced quote in a word": 'a"b',
    "three quotes": '"risk" "',
    "asterisk": "*",
    "leading asterisk": "*risk",
    "minus": "-",
    "negated word": "-risk",
    "operators only": "AND OR NOT",
    "trailing operator": "risk AND",
    "NEAR": "NEAR(risk partnership)",
    "open parenthesis": "(",
    "close parenthesis": ")",
    "colon": ":",
    "column filter syntax": "title:risk",
    "single quote": "'",
    "caret": "^",
    "tsquery operators": "risk & | ! <-> :*",
    "backslash": "\\",
    "percent and underscore": "%_",
    "NUL byte": "\x00",
    "NUL inside a word": "ri\x00sk",
    "control characters": "\x01\x07\x1b[31m",
    "right-to-left override": "\u202erisk",
    "emoji": "\U0001f600",
    "very long": "partnership " * 2000,
    "only spaces": "   ",
}
FINDS_RISK = {
    "quoted word": '"risk"',
    "unbalanced quote before": '"risk',
    "unbalanced quote after": 'risk"',
    "NUL after a word": "risk\x00",
}


@pytest.mark.parametrize("query", ODD_QUERIES.values(), ids=ODD_QUERIES.keys())
def test_odd_queries_get_a_search_page(client, portal_site, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Search</h1>' in html
    assert "\x00" not in html
    assert len(response.context["query"]) <= SEARCH_QUERY_MAX_LENGTH


@pytest.mark.parametrize("query", FINDS_RISK.values(), ids=FINDS_RISK.keys())
def test_a_real_word_among_odd_characters_is_still_found(client, portal_site, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert response.context["query"] == "risk"
    assert response.context["results"].paginator.count > 0


def test_a_very_long_query_is_cut_to_a_bounded_length(client, portal_site):
    response = client.get("/search/", {"q": "risk " * 1000})

    assert response.status_code == 200
    assert response.context["query"].startswith("risk risk")
    assert len(response.context["query"]) <= SEARCH_QUERY_MAX_LENGTH


@pytest.mark.parametrize("page", ["\x00", "-1", "99999", "abc", "1e9"])
def test_odd_page_numbers_get_a_page_of_results(client, portal_site, page):
    response = client.get("/search/", {"q": "risk", "page": page})

    assert response.status_code == 200
    assert response.context["results"].paginator.count > 0
