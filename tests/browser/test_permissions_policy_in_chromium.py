"""Chromium accepts the portal's Permissions-Policy header without complaint.

A feature name the browser does not recognise makes it log an error on every page,
which buries real errors in the console of anyone debugging the portal.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_no_page_logs_a_permissions_policy_error(page, site):
    complaints = []
    page.on("console", lambda message: "Permissions-Policy" in message.text and complaints.append(message.text))
    response = page.goto(site + "/")
    page.wait_for_load_state("networkidle")

    assert "camera=()" in response.headers["permissions-policy"]  # the policy is still sent
    assert complaints == []
