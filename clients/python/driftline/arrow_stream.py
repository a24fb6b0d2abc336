"""Reading an Arrow IPC stream that arrives in pieces (the ``arrow_ipc`` bytes of DataService's
ReadBatch and ReadSamples messages): pieces need not end on message boundaries, and only one is
held at a time. Used by the client and by Driftline's own jobs that read samples."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import pyarrow as pa


class ByteStreamReader(io.RawIOBase):
    """A read-only file over an iterator of byte pieces (e.g. the ``arrow_ipc`` of a server
    stream's messages), so that ``pa.ipc.open_stream`` reads record batches as the pieces
    arrive, without first joining them. A read returns exactly the bytes asked for, unless the
    pieces end first.

    Example:
        >>> reader = ByteStreamReader(iter([b"ab", b"cde"]))
        >>> reader.read(3), reader.read()
        (b'abc', b'de')
    """

    def __init__(self, pieces: Iterator[bytes]):
        self._pieces = pieces
        self._current = memoryview(b"")
        self._ended = False

    def readable(self) -> bool:
        return True

    def _next_piece(self) -> bool:
        while not self._ended:
            try:
                piece = next(self._pieces)
            except StopIteration:
                self._ended = True
                return False
            if piece:
                self._current = memoryview(piece)
                return True
        return False

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        if len(self._current) >= size:  # the common case: one piece holds the whole read
            out, self._current = self._current[:size], self._current[size:]
            return out.tobytes() if len(out) != len(out.obj) else out.obj
        gathered, missing = [], size
        while missing:
            if not self._current and not self._next_piece():
                break
            taken = self._current[:missing]
            self._current = self._current[len(taken):]
            gathered.append(taken)
            missing -= len(taken)
        return b"".join(gathered)

    def readall(self) -> bytes:
        gathered = [self._current]
        self._current = memoryview(b"")
        while self._next_piece():
            gathered.append(self._current)
            self._current = memoryview(b"")
        return b"".join(gathered)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_arrow_stream(pieces: Iterable[bytes]) -> pa.Table:
    """The table of an Arrow IPC stream given as pieces; no pieces at all is an empty table.

    Example:
        >>> table = pa.table({"x": [1.0, 2.0]})
        >>> sink = pa.BufferOutputStream()
        >>> with pa.ipc.new_stream(sink, table.schema) as writer:
        ...     writer.write_table(table)
        >>> stream = sink.getvalue().to_pybytes()
        >>> read_arrow_stream(stream[i:i + 10] for i in range(0, len(stream), 10)).equals(table)
        True
    """
    reader = ByteStreamReader(iter(pieces))
    if not reader._next_piece():
        return pa.table({})
    return pa.ipc.open_stream(reader).read_all()
