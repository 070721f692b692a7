"""Contacts as links: phone numbers as `tel:` links, websites with a scheme.

    {% load contacts %}
    {{ lao.phone|phone_links }}        → 0 2123 4567 as <a href="tel:+6621234567">0 2123 4567</a>
    {{ lao.website|website_href }}     → www.example.go.th → https://www.example.go.th

Generated (demo) values are never linked: the templates show them as text with their mark.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A phone number as people write it: digits with spaces, dashes, dots or brackets between
# them, an optional leading +; at least four digits (1111 is a government hotline). One
# quantifier only: no backtracking blow-up on long text.
PHONE = re.compile(r"\+?\d[\d\s().-]{2,}\d")
MIN_DIGITS = 4
# Words before an extension number ("ต่อ 12"): such a number is not dialled on its own.
EXTENSION_WORDS = ("ต่อ", "ext", "ext.", "x")
THAI_COUNTRY_CODE = "66"
WEBSITE_SCHEMES = ("http://", "https://")
# A host name typed without a scheme: letters, digits, dashes and dots, with one dot at least.
BARE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(?::\d+)?(?:[/?#]\S*)?$")


def tel_uri(number: str) -> str:
    """The `tel:` URI of a phone number as written: digits only, a Thai number dialled from
    abroad (+66, without the trunk 0); short numbers (hotlines) as they are. "" without
    digits."""
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    if number.strip().startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("0") and len(digits) >= 9:
        return f"tel:+{THAI_COUNTRY_CODE}{digits[1:]}"
    return f"tel:{digits}"


@register.filter
def phone_links(value: str | None) -> SafeString:
    """The text with every phone number in it as a `tel:` link (the rest escaped): "02 123 4567
    ต่อ 12, 02 123 4568" gives two links and keeps "ต่อ 12" as text."""
    if not value:
        return mark_safe("")
    text = str(value)
    parts, position = [], 0
    for match in PHONE.finditer(text):
        number = match.group(0)
        before = text[: match.start()].rstrip().lower()
        if len(re.sub(r"\D", "", number)) < MIN_DIGITS or before.endswith(EXTENSION_WORDS):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<a href="{}" class="tel-link">{}</a>', tel_uri(number), number))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


@register.filter
def website_href(value: str | None) -> str:
    """Where a website link goes: the address itself when it starts with http:// or https://,
    `https://` + the address when it was typed without a scheme (www.example.go.th); "" for
    anything else (javascript:, mailto:, text), which is then shown unlinked."""
    website = (value or "").strip()
    if website.lower().startswith(WEBSITE_SCHEMES):
        return website
    if BARE_HOST.match(website):
        return f"https://{website}"
    return ""
