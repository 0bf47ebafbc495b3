"""Rows kept in a temporary file between the passes of a bulk import, so that its memory does
not grow with the number of rows: appended one at a time, pickled a batch at a time, read back
as often as needed, batch by batch."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Generic, TypeVar

T = TypeVar("T")

BATCH = 1000


class Spool(Generic[T]):
    """A list on disk: `append`, `len`, iteration (again and again), `batches`. At most `batch`
    items wait in memory to be written. Not to be appended to while it is being read."""

    def __init__(self, batch: int | None = None) -> None:
        self.batch = batch or BATCH
        self.written = 0  # batches written to the file
        self._file: IO[bytes] | None = None
        self._pending: list[T] = []
        self._count = 0
        self._closed = False

    def __enter__(self) -> Spool[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def append(self, item: T) -> None:
        self._pending.append(item)
        self._count += 1
        if len(self._pending) >= self.batch:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._file is None:
            # kept open across calls, closed by `close`
            self._file = tempfile.TemporaryFile(prefix="thidua-spool-")  # noqa: SIM115
        self._file.seek(0, 2)
        pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.written += 1
        self._pending = []

    def batches(self) -> Iterator[list[T]]:
        """The items in the order appended, in the lists they were written in."""
        if self._closed:
            raise ValueError("spool closed")
        if self._file is not None:
            self._file.flush()
            offset = 0
            for _ in range(self.written):
                self._file.seek(offset)  # another reader may have moved the position
                items: list[T] = pickle.load(self._file)  # noqa: S301 (our own file)
                offset = self._file.tell()
                yield items
        if self._pending:
            yield list(self._pending)

    def __iter__(self) -> Iterator[T]:
        for items in self.batches():
            yield from items

    def close(self) -> None:
        """Drop the file; the length stays known."""
        self._closed = True
        if self._file is not None:
            self._file.close()
            self._file = None
        self._pending = []
        self.written = 0


def regroup(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), read lazily."""
    out: list[T] = []
    for item in items:
        out.append(item)
        if len(out) >= size:
            yield out
            out = []
    if out:
        yield out
