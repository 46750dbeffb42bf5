"""A lead officer submits proposals in a real browser while Wagtail's autosave would be running.

On the SQLite default, autosave requests used to race the officer's own Submit ("database is
locked") and leave numbered drafts of half-typed forms. Ten proposals in a row: every one
submitted, no server error, no autosave request, no nameless draft.
"""

import json

import pytest
from django.conf import settings

from partnerships.models import Partnership
from portal import roles
from tests.partnerships.factories import ServiceAreaFactory
from tests.workflows.factories import complete_proposal, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Sets every field the lead would fill in; inputs a formset adds by script are added as hidden ones.
FILL = """(data) => {
  const form = document.querySelector('form[method="post"] input[name="name"]').form;
  for (const [name, value] of Object.entries(data)) {
    const fields = form.querySelectorAll(`[name="${name}"]`);
    if (!fields.length) {
      const input = document.createElement("input");
      Object.assign(input, {type: "hidden", name, value});
      form.appendChild(input);
      continue;
    }
    for (const field of fields) {
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = field.type === "checkbox" ? Boolean(value) : field.value === value;
      } else {
        field.value = value;
      }
      field.dispatchEvent(new Event("input", {bubbles: true}));
      field.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }
}"""


@pytest.fixture
def lead(make_user, portal_site):
    return make_user(roles.STAFF, roles.LEAD_OFFICERS)


def test_a_lead_submits_ten_proposals_while_autosave_would_run(page, site, lead, make_user, sign_in_as):
    area = ServiceAreaFactory(name="Youth services", head_of_service=make_user(roles.STAFF, roles.HEADS_OF_SERVICE))
    server_errors, autosaves = [], []
    page.on("response", lambda response: response.status >= 500 and server_errors.append(response.url))
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and "application/json" in (request.headers.get("accept") or "")
            and "/admin/snippets/partnerships/partnership/" in request.url
            and autosaves.append(request.url)
        ),
    )
    sign_in_as(lead, "/admin/")

    interval = getattr(settings, "WAGTAIL_AUTOSAVE_INTERVAL", 500)
    for number in range(1, 11):
        name = f"Youth partnership {number}"
        page.goto(site + url("add"))
        data = complete_proposal(area, name="")
        page.evaluate(FILL, json.loads(json.dumps(data)))
        # Typed, as a person types: the change events Wagtail's autosave listens for.
        page.locator("input[name='name']").press_sequentially(name, delay=20)
        page.wait_for_timeout(interval * 3)
        with page.expect_navigation():
            page.evaluate("document.querySelector('button[name=\"action-submit\"]').click()")
        # Submitted: back at the register, told so (an incomplete one would stay on its form).
        assert page.url == site + url("list"), page.url
        assert name in page.locator(".messages .success").inner_text()

    assert server_errors == []
    assert autosaves == []
    entries = Partnership.objects.filter(name__startswith="Youth partnership")
    assert entries.count() == 10
    assert all(entry.current_workflow_state is not None for entry in entries)  # submitted, not just saved
    assert not Partnership.objects.filter(name="").exists()
    assert len({entry.reference for entry in entries}) == 10
