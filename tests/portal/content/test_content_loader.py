import pytest

from portal.content_loader import ContentError, markdown_to_stream


def test_headings_paragraphs_and_blocks():
    blocks = markdown_to_stream(
        "## Why\n\nWe **partner**.\n\n### Detail\n\n:::details Is a contract a partnership?\nNo.\n:::\n"
        ":::table Counts\n| Level | 2007 |\n| --- | --- |\n| District | 28 |\n:::\n"
        ":::links See also\n- [Register](/partnerships/)\n:::\n"
    )
    assert [block["type"] for block in blocks] == ["heading", "paragraph", "heading", "details", "table", "links"]
    assert blocks[0]["value"] == {"text": "Why", "level": "h2"}
    assert "<strong>partner</strong>" in blocks[1]["value"]
    assert blocks[2]["value"]["level"] == "h3"
    assert blocks[4]["value"]["table"]["data"] == [["Level", "2007"], ["District", "28"]]
    assert blocks[5]["value"]["links"][0]["url"] == "/partnerships/"


def test_unclosed_block_names_the_line():
    with pytest.raises(ContentError, match="page.md:3"):
        markdown_to_stream("## A\n\n:::inset\ntext\n", "page.md")


def test_unknown_block_is_refused():
    with pytest.raises(ContentError, match="unknown block"):
        markdown_to_stream(":::banner\nx\n:::\n")
