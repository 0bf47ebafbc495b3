"""A fast path for the plain rows Excel and the usual libraries write, beside expat.

expat calls Python for every tag (about 7 µs a cell). Most rows are plain: `<row r="…">` and
cells `<c r="B2" s="1" t="…">` holding one `<v>` or one inline `<is><t>`, with no entity, no
formula, no control character. Such rows are cut out of the stream and read with two C regex
passes; everything else (the part before `<sheetData>`, any row that is not plain, the end of
the document) still goes to the same expat parser, which therefore sees one well-formed
document with some rows left out: it refuses a DOCTYPE, checks the <dimension>, and reads the
unusual rows as before. A document not in UTF-8, or one whose rows are not cut at `</row>`
within a few MB, is read by expat alone."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, cast
from xml.parsers import expat

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets.limits import (
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    MAX_CELL_CHARS,
    NOT_SPREADSHEET,
    cell_too_long,
)
from thidua.platform.spreadsheets.xmlstream import CHUNK, Refused, feed

FAST = True  # False: expat reads every row (the tests compare both ways)
READ = 1 << 20
# a row not cut within this many bytes goes to expat with the rest of the sheet (a huge cell)
MAX_CARRY = 4 * 1024 * 1024
_HEAD_END = re.compile(rb"<sheetData\s*>")
_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?(?:<\?xml[^>]*?\?>)?\s*<", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# a row cut in the middle of one of these would be misread: the chunk goes to expat whole
_UNSAFE_CHUNK = re.compile(rb"<!\[CDATA\[|<!--|<\?")
_ROW_START = re.compile(r'\s*<row r="(\d{1,7})"[^<>/]*>')
# A value holds no entity and no CR (expat would turn them into something else) and no control
# character (expat would refuse it): a row holding one is not plain.
_TEXT = r"[^<&\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*"
_CELL = (r'<c r="([A-Z]{1,3})\d{1,7}"(?: s="(\d{1,8})")?(?: t="([A-Za-z]{1,9})")?[ \t\n]*'
         rf'(?:/>|>(?:<v>({_TEXT})</v>|<is><t(?: xml:space="preserve")?>({_TEXT})</t></is>)?</c>)')
_CELLS = re.compile(_CELL)
_PLAIN = re.compile(r"(?:[ \t\n]*" + re.sub(r"\((?!\?)", "(?:", _CELL) + r")*[ \t\n]*")
_COLUMNS: dict[str, int] = {}
_NUMBERS_KEPT = 50_000  # distinct numbers and dates remembered (a roster repeats them)


def _column(letters: str) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        if col > EXCEL_COLUMNS:
            raise Refused(ApplicationError(NOT_SPREADSHEET))
        _COLUMNS[letters] = col
    return col


def is_utf8_document(head: bytes) -> bool:
    """Whether the part starts as a UTF-8 (or ASCII) document: the fast path reads bytes."""
    m = _DECLARATION.match(head)
    if m is None:
        return False
    enc = _ENCODING.search(head[:m.end()])
    return enc is None or enc.group(1).lower().replace(b"_", b"-") in {b"utf-8", b"utf8"}


class PlainRows:
    """Reads plain rows into `state` (the expat handlers' `_Sheet`) exactly as expat would."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.numbers: dict[tuple[str, str], Any] = {}

    @staticmethod
    def is_plain(inner: str) -> bool:
        # <v></v> (an empty value) is told apart from no <v> by expat only
        return not inner or ("<v></v>" not in inner and _PLAIN.fullmatch(inner) is not None)

    def row(self, number: str, inner: str) -> None:
        state = self.state
        row_no = int(number)
        if row_no > EXCEL_ROWS:
            raise Refused(ApplicationError(NOT_SPREADSHEET))
        state.row_no = row_no
        if not inner:
            return
        # no cell of a row shorter than the limit can pass it
        if len(inner) > MAX_CELL_CHARS:
            self._check_lengths(inner, row_no)
        cells: dict[int, Any] = {}
        numbers = self.numbers
        for letters, style, kind, v, t in _CELLS.findall(inner):
            col = _COLUMNS.get(letters) or _column(letters)
            if kind == "inlineStr":
                if t and not t.isspace():
                    cells[col] = t
            elif not v:
                continue  # no value (the empty <v></v> never comes here)
            elif not kind:
                value = numbers.get((v, style))
                if value is None:
                    value = state.typed("n", v, col, row_no, int(style) if style else -1)
                    if len(numbers) < _NUMBERS_KEPT:
                        numbers[(v, style)] = value
                cells[col] = value
            else:
                value = state.typed(kind, v, col, row_no, int(style) if style else -1)
                if value.__class__ is str and not value.strip():
                    continue
                cells[col] = value
        state.finish_row(cells)

    @staticmethod
    def _check_lengths(inner: str, row_no: int) -> None:
        for letters, _, _, v, t in _CELLS.findall(inner):
            for text in (v, t):
                if len(text) > MAX_CELL_CHARS:
                    raise Refused(cell_too_long(_column(letters), row_no, len(text)))


def sheet_stream(stream: IO[bytes], parser: Any, plain: PlainRows, not_valid: str, *,
                 budget: int, too_big: Callable[[], ApplicationError],
                 squeeze: Callable[[bytes], bytes]) -> Iterator[None]:
    """Like `xmlstream.feed`, with plain rows read by `plain` instead of expat; yields after
    each chunk (finished rows are in `plain.state.done`)."""
    head = stream.read(CHUNK)
    read = len(head)
    if not FAST or not is_utf8_document(head):
        yield from feed(cast(IO[bytes], _Prefixed(head, stream)), parser, not_valid, budget=budget,
                        too_big=too_big, squeeze=squeeze)
        return
    try:
        # the document up to <sheetData> (the head is small: a dimension, views, columns)
        while (m := _HEAD_END.search(head)) is None:
            more = stream.read(CHUNK)
            if not more or len(head) > MAX_CARRY:
                break
            read += len(more)
            head += more
        if m is None:
            rest = cast(IO[bytes], _Prefixed(head, stream))
            yield from feed(rest, parser, not_valid, budget=budget - read + len(head),
                            too_big=too_big, squeeze=squeeze)
            return
        parser.Parse(head[:m.end()], False)
        carry = head[m.end():]
        while True:
            chunk = stream.read(READ)
            read += len(chunk)
            if read > budget:
                raise too_big()
            data = carry + chunk if carry else chunk
            cut = data.rfind(b"</row>") + 6
            if not chunk:  # the end: the last rows, then the rest of the document to expat
                if cut >= 6:
                    _body(data[:cut], parser, plain, squeeze)
                    data = data[cut:]
                parser.Parse(squeeze(data), True)
                yield
                return
            if cut < 6:
                if len(data) > MAX_CARRY:  # one row of megabytes: expat takes the rest
                    yield from feed(cast(IO[bytes], _Prefixed(data, stream)), parser, not_valid,
                                    budget=budget - read + len(data), too_big=too_big,
                                    squeeze=squeeze)
                    return
                carry = data
                continue
            carry = data[cut:]
            _body(data[:cut], parser, plain, squeeze)
            yield
    except Refused as exc:
        raise exc.error from None
    except ApplicationError:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, ValueError, EOFError, OSError, zlib.error,
            RuntimeError, UnicodeError, RecursionError, IndexError, KeyError, OverflowError):
        raise ApplicationError(not_valid) from None


def _body(body: bytes, parser: Any, plain: PlainRows, squeeze: Callable[[bytes], bytes]) -> None:
    if _UNSAFE_CHUNK.search(body):  # a comment or CDATA could hold "</row>": expat reads it all
        parser.Parse(squeeze(body), False)
    else:
        _rows(body, parser, plain, squeeze)


def _rows(body: bytes, parser: Any, plain: PlainRows, squeeze: Callable[[bytes], bytes]) -> None:
    """The plain rows of `body` (which ends with a `</row>`) read by `plain`; the rows that are
    not plain, and whatever lies between rows, parsed by expat in the order of the file."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        parser.Parse(squeeze(body), False)  # expat words the error
        return
    pending: list[str] = []  # for expat, kept in order
    pieces = text.split("</row>")
    pieces.pop()  # after the last </row>: nothing
    for piece in pieces:
        m = _ROW_START.match(piece)
        inner = piece[m.end():] if m is not None else ""
        if m is None or "<row" in inner or not plain.is_plain(inner):
            pending.append(piece)
            pending.append("</row>")
            continue
        if pending:
            parser.Parse(squeeze("".join(pending).encode("utf-8")), False)
            pending.clear()
        plain.row(m.group(1), inner)
    if pending:
        parser.Parse(squeeze("".join(pending).encode("utf-8")), False)


class _Prefixed:
    """A stream whose first bytes were already read."""

    def __init__(self, first: bytes, stream: IO[bytes]) -> None:
        self.first = first
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.first:
            out, self.first = self.first, b""
            return out
        return self.stream.read(size)

    def tell(self) -> int:
        return int(self.stream.tell())
