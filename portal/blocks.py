"""The one block library shared by every content page type."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

from .validators import validate_safe_url

# What the text inside an inset or a details block may hold: no headings, images or embeds.
BOXED_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Level 2"), ("h3", "Level 3"), ("h4", "Level 4")],
        default="h2",
        help_text="Start each page's sections at level 2; the page title is level 1.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        preview_value = {"text": "Why we work in partnership", "level": "h2"}
        description = "A section heading"


class CalloutBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=BOXED_TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        template = "blocks/inset.html"
        preview_value = {"text": "<p>A partnership must have a shared objective.</p>"}
        description = "Inset text that stands out from the body"


class WarningBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)

    class Meta:
        icon = "warning"
        template = "blocks/warning.html"
        preview_value = {"text": "Do not commit council funds before Management Board approval."}
        description = "Something the reader must not miss"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=200)
    content = blocks.RichTextBlock(features=BOXED_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        template = "blocks/details.html"
        preview_value = {"summary": "What is not a partnership?", "content": "<p>A contract.</p>"}
        description = "A section the reader can expand (accordion)"


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(required=False, help_text="Defaults to the document's title.")

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        description = "A file to download"


class LinkBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        validators=[validate_safe_url],
        help_text="Used when no page is chosen: https://…, mailto:…, tel:… or a site path like /partnerships/.",
    )

    class Meta:
        icon = "link"


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200)
    links = blocks.ListBlock(LinkBlock())

    class Meta:
        icon = "list-ul"
        template = "blocks/link_list.html"
        preview_value = {
            "heading": "Related",
            "links": [{"text": "Partnership register", "url": "/partnerships/"}],
        }
        description = "A list of links"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        preview_value = {
            "quote": "A relationship between two or more independent bodies working together "
            "to secure some shared objective.",
            "attribution": "Partnership strategy",
        }
        description = "A quotation"


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(max_length=200)
    table = TableBlock(table_options={"renderer": "text"})

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        description = "A table with a caption and header row"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        rows = (value.get("table") or {}).get("data") or []
        headers = rows[0] if rows else []
        # On a narrow screen each row reflows into a list: every cell is labelled with its column's header.
        context["body_rows"] = [
            [(headers[index] if index < len(headers) else "", cell) for index, cell in enumerate(row)]
            for row in rows[1:]
        ]
        return context


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph.html",
        preview_value="<p>Partnerships can add value.</p>",
        description="Body text",
    )
    inset = CalloutBlock()
    warning = WarningBlock()
    details = DetailsBlock()
    table = TableWithCaptionBlock()
    document = DocumentDownloadBlock()
    links = LinkListBlock()
    quote = QuoteBlock()
