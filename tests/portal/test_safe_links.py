"""Links editors enter accept http(s), mailto, tel and paths on this site, and nothing that runs."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from partnerships.models import PartnerOrganisation, Sector
from portal.blocks import ContentStreamBlock, LinkBlock
from portal.validators import MESSAGE, is_safe_url, validate_safe_url

HOSTILE = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\x00javascript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript\x00:alert(1)",
    "\u200bjavascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "&amp;#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http://",
    "mailto:",
    "evil.example/path",
    "partnerships/",
    "#top",
]
GOOD = [
    "https://www.gov.uk/",
    "http://council.example/partnerships?x=1#part",
    "HTTPS://Council.Example/",
    "mailto:partnerships@council.example",
    "mailto:partnerships@council.example?subject=Register",
    "tel:+441234567890",
    "tel:01234 567890",
    "/partnerships/",
    "/",
    "/search/?q=risk",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused(url):
    assert not is_safe_url(url)
    with pytest.raises(ValidationError) as error:
        validate_safe_url(url)
    assert error.value.messages == [MESSAGE]


@pytest.mark.parametrize("url", GOOD)
def test_good_urls_are_accepted(url):
    assert is_safe_url(url)
    validate_safe_url(url)


def test_a_links_block_names_the_url_field_in_its_error():
    block = LinkBlock()
    value = block.to_python({"text": "Click me", "page": None, "url": "javascript:alert(document.domain)"})

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)

    assert list(error.value.block_errors) == ["url"]
    assert error.value.block_errors["url"].messages == [MESSAGE]


def test_a_page_body_with_a_hostile_link_does_not_validate():
    stream = ContentStreamBlock()
    value = stream.to_python(
        [
            {
                "type": "links",
                "value": {"heading": "Related", "links": [{"text": "Register", "url": "//evil.example/"}]},
            }
        ]
    )

    with pytest.raises(StreamBlockValidationError):
        stream.clean(value)


def test_a_links_block_keeps_good_links():
    block = LinkBlock()
    value = block.to_python({"text": "Register", "page": None, "url": "/partnerships/"})

    assert block.clean(value)["url"] == "/partnerships/"


@pytest.mark.django_db
def test_partner_website_is_checked_on_save_with_an_error_on_the_field(client, make_user, portal_site):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    add_url = "/admin/snippets/partnerships/partnerorganisation/add/"
    form = {"name": "Anytown Trust", "sector": Sector.VOLUNTARY, "registered_number": ""}

    refused = client.post(add_url, {**form, "website": "javascript:alert(document.domain)"})

    assert refused.status_code == 200
    assert refused.context["form"].errors["website"]
    assert not PartnerOrganisation.objects.filter(name="Anytown Trust").exists()

    accepted = client.post(add_url, {**form, "website": "https://anytown-trust.example.org/"})

    assert accepted.status_code == 302
    assert PartnerOrganisation.objects.get(name="Anytown Trust").website == "https://anytown-trust.example.org/"


@pytest.mark.django_db
def test_partner_website_refuses_a_protocol_relative_link_in_the_model():
    organisation = PartnerOrganisation(name="Elsewhere", sector=Sector.PRIVATE, website="//evil.example/")

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert "website" in error.value.message_dict
