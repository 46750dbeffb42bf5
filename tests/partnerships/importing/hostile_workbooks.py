"""Workbooks made to hurt whatever reads them, built from a good one by rewriting its XML parts.

Each is what an attacker (or a broken export) can upload in a file well under the
upload limit: shared strings that unpack a thousandfold, a sheet that declares a
million rows and 16,384 columns, a hidden sheet named like the register.
"""

import functools
import io
import re
import struct
import zipfile

from tests.partnerships.factories import GOOD_ROW, row, xlsx_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def good_workbook(rows=None):
    return xlsx_bytes(rows or [row(), row(Name="Second partnership")])


def rewrite(data, parts):
    """``data`` with some parts replaced: ``{name: bytes, or an iterable of byte chunks}``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    # The fastest compression: hundreds of MB of repeated XML still pack into a few MB.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        names = [*source.namelist(), *(name for name in parts if name not in source.namelist())]
        for name in names:
            content = parts.get(name, source.read(name) if name in source.namelist() else b"")
            with target.open(name, "w") as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return buffer.getvalue()


def with_content_type(data, part_name, content_type):
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    if f'PartName="/{part_name}"' not in types:
        types = types.replace("</Types>", f'<Override PartName="/{part_name}" ContentType="{content_type}"/></Types>')
    return rewrite(data, {"[Content_Types].xml": types.encode()})


def with_shared_strings(chunks):
    data = with_content_type(
        good_workbook(), STRINGS, "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    )
    return rewrite(data, {STRINGS: chunks})


def _shared_strings(texts):
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
    yield from texts
    yield b"</sst>"


@functools.cache
def shared_strings_bomb(unpacked_mb=400):
    """A workbook of a few MB whose shared strings unpack to ``unpacked_mb`` MB (as the 418 KB one reported)."""
    block = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    return with_shared_strings(_shared_strings(block * 1000 for _ in range(unpacked_mb)))


def many_shared_strings(count=590_000):
    """As many different short texts as the default limits allow (600,060), in 45 MB unpacked."""
    return with_shared_strings(_shared_strings(f"<si><t>{n:060d}</t></si>".encode() for n in range(count)))


def huge_cell(unpacked_mb=45):
    """A sheet with one inline text of ``unpacked_mb`` MB: a single XML text node, as long as the limits allow."""

    def chunks():
        yield f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'.encode()
        for _ in range(unpacked_mb):
            yield b"y" * 1024 * 1024
        yield b"</t></is></c></row></sheetData></worksheet>"

    return rewrite(good_workbook(), {SHEET: chunks()})


def _sheet_xml(data):
    return zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()


def declared_huge(far_value=None, far_cell="XFD1048576"):
    """A good workbook whose sheet declares ``A1:XFD1048576``; with ``far_value``, a cell holds it far away."""
    data = good_workbook()
    sheet = _sheet_xml(data)
    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', sheet)
    if far_value is not None:
        number = re.sub(r"[A-Z]+", "", far_cell)
        far = f'<row r="{number}"><c r="{far_cell}" t="inlineStr"><is><t>{far_value}</t></is></c></row>'
        sheet = sheet.replace("</sheetData>", far + "</sheetData>")
    assert "A1:XFD1048576" in sheet
    return rewrite(data, {SHEET: sheet.encode()})


def hidden_register_beside_visible(visible_title="Partnerships 2024"):
    """A workbook of two sheets: a visible one (of ``row()``s) and, first, a hidden "Register" of others."""
    from openpyxl import Workbook

    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "Register"
    hidden.sheet_state = "hidden"
    visible = workbook.create_sheet(visible_title)
    headers = list(GOOD_ROW)
    for sheet, names in ((hidden, ["Hidden old copy"]), (visible, ["Visible partnership"])):
        sheet.append(headers)
        for name in names:
            sheet.append([row(Name=name)[header] for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lying_sizes(data, part_name, declared):
    """``data`` with the central directory claiming ``part_name`` unpacks to only ``declared`` bytes."""
    buffer = bytearray(data)
    offset = buffer.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", buffer, offset + 28)[0]
        if buffer[offset + 46 : offset + 46 + name_length].decode() == part_name:
            struct.pack_into("<I", buffer, offset + 24, declared)  # uncompressed size
            return bytes(buffer)
        offset = buffer.find(b"PK\x01\x02", offset + 46)
    raise AssertionError(f"{part_name} is not in the workbook")
