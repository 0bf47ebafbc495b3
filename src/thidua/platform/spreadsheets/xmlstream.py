"""Streaming XML for the workbook readers: expat fed in chunks, a document type declaration
refused (no entity expansion of any kind), every parse failure an ApplicationError.

Handlers are called as the bytes arrive; a reader collects finished rows in a list and yields
them after each chunk, so memory is one chunk plus the rows it holds, whatever the file size."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from thidua.platform.errors import ApplicationError

CHUNK = 1 << 16
StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]
TextHandler = Callable[[str], None]


class Refused(Exception):
    """Raised inside a handler to stop the parse with an ApplicationError's message."""

    def __init__(self, error: ApplicationError) -> None:
        super().__init__(error.message)
        self.error = error


LOCAL_NAMES: dict[str, str] = {}  # the cache of `local`: hot handlers look here first


def local(name: str) -> str:
    """The element or attribute name without its prefix ("x:row" -> "row"). Names are not
    resolved to namespaces: that costs a third of the parse, and the parts read here are
    told apart by where they sit in the package, not by their namespace."""
    found = LOCAL_NAMES.get(name)
    if found is None:
        found = name.rpartition(":")[2]
        if len(LOCAL_NAMES) < 2000:  # a hostile file may invent names without end
            LOCAL_NAMES[name] = found
    return found


def make_parser(start: StartHandler, end: EndHandler | None, text: TextHandler | None,
                not_valid: str) -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.ordered_attributes = False

    def no_doctype(*_: object) -> None:
        # a workbook part never declares a DTD: refusing it rules out entity expansion
        raise Refused(ApplicationError(not_valid))

    def no_external(*_: object) -> int:
        raise Refused(ApplicationError(not_valid))

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.ExternalEntityRefHandler = no_external
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def feed(stream: IO[bytes], parser: Any, not_valid: str, *, budget: int | None = None,
         too_big: Callable[[], ApplicationError] | None = None,
         squeeze: Callable[[bytes], bytes] | None = None) -> Iterator[None]:
    """Parse `stream` chunk by chunk, yielding after each one. More than `budget` bytes
    unpacked raises `too_big()`; malformed XML or a broken archive member raises `not_valid`.
    `squeeze` rewrites whole tags (chunks are cut after a ">") before expat sees them."""
    read = 0
    carry = b""
    try:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if budget is not None and read > budget and too_big is not None:
                raise too_big()
            if squeeze is not None:
                chunk = carry + chunk
                cut = chunk.rfind(b">") + 1
                if cut or len(chunk) > 4 * CHUNK:
                    chunk, carry = (squeeze(chunk[:cut]), chunk[cut:]) if cut else (chunk, b"")
                else:
                    chunk, carry = b"", chunk
            parser.Parse(chunk, False)
            yield
        parser.Parse(carry, True)
        yield
    except Refused as exc:
        raise exc.error from None
    except ApplicationError:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, ValueError, EOFError, OSError, zlib.error,
            RuntimeError, UnicodeError, RecursionError, IndexError, KeyError, OverflowError):
        raise ApplicationError(not_valid) from None


def parse_small(stream: IO[bytes], start: StartHandler, not_valid: str,
                end: EndHandler | None = None, text: TextHandler | None = None,
                budget: int = 16 * 1024 * 1024) -> None:
    """Parse a small part (workbook, relationships, styles) through to its end."""
    parser = make_parser(start, end, text, not_valid)
    for _ in feed(stream, parser, not_valid, budget=budget,
                  too_big=lambda: ApplicationError(not_valid)):
        pass
