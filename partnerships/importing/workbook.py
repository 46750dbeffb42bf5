"""Read the register's sheet from an XLSX workbook without trusting what the file declares.

openpyxl's read-only mode is not enough on its own: it builds the whole shared-strings
table before the first row, pads every row (and every gap between rows) to the
sheet's declared dimension, and parses the styles into a tree. A 400 KB workbook can
so cost 500 MB, and one declaring ``A1:XFD1048576`` a billion cells. Here:

1. the zip is measured before any XML is read: the parts' declared sizes, then the
   bytes they actually unpack to, against ``max_unpacked_bytes``;
2. the shared strings, the date formats of the styles and the chosen sheet are read
   as streams that drop each element once read, so memory holds one row (or one
   string) of XML at a time, and each stops at the rows, columns and time allowed;
3. openpyxl still reads the small parts (content types, workbook, relationships,
   each at most ``MAX_PART_BYTES``) and turns each cell into a Python value.

Only a visible sheet is read: the one named like the template's ("Register"), or
else the first visible one. Hidden sheets hold lookups and old copies, not the register.
"""

import io
import zipfile
import zlib
from xml.etree.ElementTree import TreeBuilder

from defusedxml.ElementTree import DefusedXMLParser, iterparse
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS, SHEET_MAIN_NS

from .limits import MAX_CELL_CHARACTERS, FileProblem, too_long_cell
from .parsing import is_blank

REGISTER_SHEET = "register"  # the template's sheet, compared trimmed and in any capitals
MAX_PARTS = 1_000  # a register workbook has a dozen; each costs memory before anything is read
MAX_PART_BYTES = 1024 * 1024  # content types, workbook and its relationships, parsed whole by openpyxl
MAX_DEPTH = 12  # sheet XML nests six deep; deeper is not a sheet
MAX_CELL_PARTS = 1_000  # elements inside one cell or shared string (rich-text runs and their formatting)
MAX_STYLES = 64_000  # Excel's own limit on cell formats (number formats counted with them)
EXCEL_MAX_ROW, EXCEL_MAX_COLUMN = 1_048_576, 16_384
CHUNK = 64 * 1024
# Text the XML parser may gather between two elements: a cell's worth, and the rest of
# the chunk it parses at a time. Each cell's own text is then held to Excel's limit.
MAX_TEXT_CHARACTERS = 4 * MAX_CELL_CHARACTERS

NS = f"{{{SHEET_MAIN_NS}}}"
ROW, CELL, SHARED_TEXT, INLINE_TEXT, TEXT, RUN = (f"{NS}{tag}" for tag in ("row", "c", "si", "is", "t", "r"))
NUMBER_FORMAT, CELL_FORMATS, CELL_FORMAT = (f"{NS}{tag}" for tag in ("numFmt", "cellXfs", "xf"))
VISIBLE = "visible"

NOT_A_WORKBOOK = (
    "The file could not be read as an Excel workbook: save it from your spreadsheet program as CSV "
    "(or CSV UTF-8) or as an Excel workbook (.xlsx)."
)


class Workbook:
    """An XLSX in memory, measured; ``rows()`` streams its register sheet."""

    def __init__(self, data, limits):
        self.limits = limits
        self.warnings = []
        # zipfile reads the whole directory when it opens the file, a few hundred bytes a
        # part: count the parts' directory entries (each starts so) before it does.
        if data.count(b"PK\x01\x02") > MAX_PARTS:
            raise self._too_many_parts()
        try:
            self._reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise FileProblem(NOT_A_WORKBOOK) from None
        self.archive = self._reader.archive
        self._measure()
        try:
            # openpyxl parses these parts whole: each is measured before it is read.
            self._part_within(ARC_CONTENT_TYPES, MAX_PART_BYTES)
            self._reader.read_manifest()
            workbook_part = _find_workbook_part(self._reader.package).PartName[1:]
            for name in (workbook_part, _rels_path(workbook_part)):
                self._part_within(name, MAX_PART_BYTES)
            self._reader.read_workbook()
            sheets = list(self._reader.parser.find_sheets())
        except FileProblem:
            raise
        except Exception:  # openpyxl raises many kinds of error for parts that are not a workbook's
            raise FileProblem(NOT_A_WORKBOOK) from None
        self.sheet_name, self._sheet_path = self._choose(sheets)

    # --- 1. the zip ---

    def _measure(self):
        infos = self.archive.infolist()
        if len(infos) > MAX_PARTS:
            raise self._too_many_parts()
        declared = sum(info.file_size for info in infos)
        if declared > self.limits.max_unpacked_bytes:
            raise self.limits.too_much_unpacked(declared)
        unpacked = 0
        for info in infos:
            # Declared sizes can lie; zipfile stops at them, and the CRC catches a short part.
            for chunk in self._chunks(info):
                unpacked += len(chunk)
                if unpacked > self.limits.max_unpacked_bytes:
                    raise self.limits.too_much_unpacked(unpacked)
                self.limits.check_time()

    @staticmethod
    def _too_many_parts():
        return FileProblem(f"The workbook has more than {MAX_PARTS:,} parts; it is not a register spreadsheet.")

    def _chunks(self, info):
        try:
            with self.archive.open(info) as part:
                while chunk := part.read(CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
            # RuntimeError: a password-protected part; NotImplementedError: a compression Excel never uses.
            raise FileProblem(NOT_A_WORKBOOK) from None

    def _part_within(self, name, limit):
        try:
            size = self.archive.getinfo(name).file_size
        except KeyError:
            return  # a missing part is openpyxl's to refuse
        if size > limit:
            raise FileProblem(
                f"The workbook's part {name} is {size / 1024 / 1024:.1f} MB, larger than the import reads "
                f"({limit / 1024 / 1024:.0f} MB) for it. Copy the register's rows into a new workbook, or save "
                "it as CSV, and upload that."
            )

    # --- which sheet ---

    def _choose(self, sheets):
        # A chartsheet has no cells; a sheet whose part is missing cannot be read.
        sheets = [
            (sheet, rel)
            for sheet, rel in sheets
            if "chartsheet" not in rel.Type and rel.target in self._reader.valid_files
        ]
        visible = [(sheet, rel) for sheet, rel in sheets if (sheet.state or VISIBLE) == VISIBLE]
        if not visible:
            raise FileProblem("The workbook has no visible sheet to import. Unhide the register's sheet.")
        named = [pair for pair in visible if (pair[0].name or "").strip().lower() == REGISTER_SHEET]
        sheet, rel = (named or visible)[0]
        hidden = [other.name for other, _ in sheets if (other.state or VISIBLE) != VISIBLE]
        if hidden:
            names = ", ".join(f'"{name}"' for name in hidden)
            self.warnings.append(
                f'The import read the sheet "{sheet.name}". Hidden sheets are never read, so {names} '
                f"{'was' if len(hidden) == 1 else 'were'} ignored."
            )
        return sheet.name, rel.target

    # --- 2. the streamed parts ---

    def rows(self):
        """Yield ``(row number, [cell values])`` of the register sheet, blank rows left out.

        A row's list ends at its last cell with a value. Rows the sheet does not hold
        are never made up, whatever dimension it declares; a value beyond
        ``max_columns`` stops the reading (the caller counts the rows).
        """
        strings = self._shared_strings()
        date_formats, timedelta_formats = self._date_formats()
        cells = WorkSheetParser(
            None,
            strings,
            data_only=True,
            epoch=self._reader.parser.wb.epoch,
            date_formats=date_formats,
            timedelta_formats=timedelta_formats,
        )
        number, values = 0, []
        with self._open(self._sheet_path) as source:
            for event, element, open_elements in _elements(source, CELL, self.limits):
                depth = len(open_elements)
                if element.tag == ROW and depth == 3:  # worksheet > sheetData > row
                    if event == "start":
                        number = _row_number(element.get("r"), number)
                        cells.row_counter, cells.col_counter, values = number, 0, []
                    elif values:
                        yield number, values
                elif event == "end" and element.tag == CELL and depth == 4:
                    self._add_cell(cells, element, number, values)

    def _add_cell(self, cells, element, number, values):
        try:
            column, value = _cell(cells, element)
        except (ValueError, IndexError, TypeError, OverflowError):  # a bad reference, number or string index
            raise FileProblem(f"Row {number} of the sheet could not be read. {NOT_A_WORKBOOK}") from None
        if not 1 <= column <= EXCEL_MAX_COLUMN:
            raise FileProblem(NOT_A_WORKBOOK)
        if is_blank(value):
            return
        if column > self.limits.max_columns:
            raise self.limits.too_many_columns(number, get_column_letter(column))
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            raise too_long_cell(f"Cell {get_column_letter(column)}{number}")
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values[column - 1] = value

    def _shared_strings(self):
        part = self._reader.package.find(SHARED_STRINGS)
        if part is None:
            return []
        strings = []
        with self._open(part.PartName[1:]) as source:
            for event, element, open_elements in _elements(source, SHARED_TEXT, self.limits):
                if event != "end" or element.tag != SHARED_TEXT or len(open_elements) != 2:  # sst > si
                    continue
                if len(strings) >= self.limits.max_texts:
                    raise FileProblem(
                        f"The workbook holds more than {self.limits.max_texts:,} different texts, more than "
                        f"{self.limits.max_rows:,} rows of {self.limits.max_columns} columns can use. Copy the "
                        "register's rows into a new workbook, or save it as CSV, and upload that."
                    )
                # As openpyxl's read_string_table reads them, but a string at a time.
                text = _text(element).replace("x005F_", "")
                if len(text) > MAX_CELL_CHARACTERS:
                    raise too_long_cell(f"Text number {len(strings) + 1} of the workbook")
                strings.append(text)
        return strings

    def _date_formats(self):
        """Which cell formats show a date or a duration: all the import needs of the styles."""
        custom, formats = {}, []
        if ARC_STYLE not in self._reader.valid_files:
            return set(), set()
        with self._open(ARC_STYLE) as source:
            for event, element, open_elements in _elements(source, None, self.limits):
                if event != "end" or len(open_elements) != 3:
                    continue
                if len(custom) + len(formats) >= MAX_STYLES:
                    raise FileProblem(f"The workbook has more than {MAX_STYLES:,} cell formats. {NOT_A_WORKBOOK}")
                if element.tag == NUMBER_FORMAT:  # styleSheet > numFmts > numFmt
                    custom[_int(element.get("numFmtId"))] = element.get("formatCode") or ""
                elif element.tag == CELL_FORMAT and open_elements[-2].tag == CELL_FORMATS:
                    formats.append(_int(element.get("numFmtId")))
        codes = [custom.get(number, BUILTIN_FORMATS.get(number)) for number in formats]
        return (
            {index for index, code in enumerate(codes) if is_date_format(code)},
            {index for index, code in enumerate(codes) if is_timedelta_format(code)},
        )

    def _open(self, name):
        try:
            return self.archive.open(name)
        except KeyError:
            raise FileProblem(NOT_A_WORKBOOK) from None


def _cell(parser, element):
    """``(column number, value)`` of a ``<c>`` element, as openpyxl's read-only sheets give it."""
    if element.get("t") != "inlineStr":
        cell = parser.parse_cell(element)
        return cell["column"], cell["value"]
    # openpyxl writes every text as an inline string (its own exports, our template):
    # read them without its object model, which costs more than the rest of the cell.
    reference = element.get("r")
    parser.col_counter = coordinate_to_tuple(reference)[1] if reference else parser.col_counter + 1
    inline = element.find(INLINE_TEXT)
    return parser.col_counter, None if inline is None else _text(inline)


def _text(container):
    """The text of an ``<si>`` or ``<is>``: its plain text and rich-text runs, not phonetic guides (as openpyxl)."""
    return "".join([container.findtext(TEXT) or "", *(run.findtext(TEXT) or "" for run in container.iterfind(RUN))])


def _rels_path(part):
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _row_number(attribute, previous):
    try:
        number = int(attribute) if attribute else previous + 1
    except ValueError:
        raise FileProblem(NOT_A_WORKBOOK) from None
    if not 1 <= number <= EXCEL_MAX_ROW:
        raise FileProblem(NOT_A_WORKBOOK)
    return number


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


class _ShortTexts(TreeBuilder):
    """A tree builder that refuses a text far longer than a cell before it is whole in memory.

    ``characters`` counts the text since ``_elements`` last handed on an element;
    a text that long has no element between its pieces.
    """

    characters = 0

    def data(self, text):
        self.characters += len(text)
        if self.characters > MAX_TEXT_CHARACTERS:
            raise too_long_cell("A cell of the workbook")
        super().data(text)


def _elements(source, keep, limits):
    """``(event, element, open elements)`` of an XML part, holding as little of it as possible.

    The open elements run from the root to ``element`` itself (so their number is
    its depth); the list is the parser's own, to read and not keep. An element of
    the ``keep`` tag is kept whole until it ends (with at most ``MAX_CELL_PARTS``
    elements inside it), so that its end event carries its content; every other
    element is dropped from the tree as soon as it ends. The tree so never holds
    more than the open elements and one kept element.
    """
    stack, kept_at, inside = [], None, 0
    texts = _ShortTexts()
    parser = DefusedXMLParser(target=texts, forbid_dtd=True)
    try:
        for count, (event, element) in enumerate(iterparse(source, events=("start", "end"), parser=parser)):
            texts.characters = 0
            if count % 4096 == 0:
                limits.check_time()
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_DEPTH:
                    raise FileProblem(NOT_A_WORKBOOK)
                if kept_at is not None:
                    inside += 1
                    if inside > MAX_CELL_PARTS:
                        raise FileProblem(f"A cell of the workbook is too complex to read. {NOT_A_WORKBOOK}")
                elif element.tag == keep:
                    kept_at = len(stack)
                yield event, element, stack
                continue
            yield event, element, stack
            depth = len(stack)
            stack.pop()
            if kept_at is not None and depth > kept_at:
                continue  # inside a kept element: read when it ends
            if kept_at == depth:
                kept_at, inside = None, 0
            element.clear()
            if stack:
                stack[-1].remove(element)
    except (SyntaxError, ValueError):  # ParseError is a SyntaxError; defusedxml's refusals are ValueErrors
        raise FileProblem(NOT_A_WORKBOOK) from None
