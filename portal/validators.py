"""The one check for every link an editor can enter: safe schemes and site-relative paths only."""

import html
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# Browsers drop ASCII control characters, spaces and tabs inside a URL before they read
# its scheme ("java\tscript:" runs), so they are compared without them.
IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028\u2029\ufeff]+")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")

MESSAGE = (
    "Enter a web address starting with https:// or http://, an email address starting with mailto:, "
    "a phone number starting with tel:, or a link within this site starting with a single /"
)


def _as_a_browser_reads_it(url):
    # An href is HTML: entities ("&#106;avascript:") are decoded before the URL is parsed,
    # and a template would escape "&" back, so decode until nothing changes.
    text = url
    for _ in range(5):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return IGNORED_BY_BROWSERS.sub("", text).replace("\\", "/").lower()


def is_safe_url(url):
    """True for http(s), mailto and tel links and paths on this site ("/..." but not "//...")."""
    if not url:
        return False
    text = _as_a_browser_reads_it(url)
    if text.startswith("/"):
        return not text.startswith("//")
    match = SCHEME.match(text)
    if not match or match.group(1) not in SAFE_SCHEMES:
        return False
    if match.group(1) in ("http", "https"):
        return bool(urlsplit(text).netloc)
    return len(text) > len(match.group(0))


@deconstructible
class SafeURLValidator:
    message = MESSAGE
    code = "unsafe_url"

    def __call__(self, value):
        if value and not is_safe_url(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SafeURLValidator)


validate_safe_url = SafeURLValidator()
