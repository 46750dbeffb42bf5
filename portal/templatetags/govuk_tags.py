"""Tags behind the shared GOV.UK includes (pagination, breadcrumbs) used on public and intranet pages."""

from django import template

register = template.Library()


@register.simple_tag
def page_links(page_obj):
    """The page numbers to link, with ``None`` for each ellipsis: first, last, current and one either side.

    A gap of a single page shows that page rather than an ellipsis (Django's elided
    range already does so with one page on each side and one at each end).
    """
    paginator = page_obj.paginator
    ellipsis = paginator.ELLIPSIS
    numbers = paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    return [None if number == ellipsis else number for number in numbers]


@register.simple_tag
def breadcrumb_trail(*labels_and_urls):
    """Breadcrumbs for pages outside Wagtail's tree, as label, URL, label, URL, ...; a crumb with no URL is left out."""
    pairs = zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True)
    return [{"label": label, "url": url} for label, url in pairs if url]
