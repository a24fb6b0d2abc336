"""Resumable Watch streams: every event carries a sequence number, and a watcher reconnects
after a dropped connection and resumes after the last sequence it saw (heartbeats included), so
no event is lost or repeated."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator

from google.protobuf import duration_pb2

from driftline.errors import AbortedError, CancelledError, DriftlineError, UnavailableError

# A stream that ends with one of these (a restarting server, a proxy closing an idle stream)
# is opened again, resuming after the last event seen.
RECONNECT = (UnavailableError, CancelledError, AbortedError)


class Reconnector:
    """Backoff between reconnections; gives up after ``patience`` seconds without a stream."""

    def __init__(self, patience: float):
        self.patience = patience
        self._failing_since: float | None = None
        self._delay = 0.1

    def succeeded(self) -> None:
        self._failing_since, self._delay = None, 0.1

    def wait_or_raise(self, error: DriftlineError, deadline: float | None) -> None:
        time.sleep(self._pause_or_raise(error, deadline))

    def _pause_or_raise(self, error: DriftlineError, deadline: float | None) -> float:
        """How long to wait before the next reconnection; raises ``error`` once patience has
        run out."""
        now = time.monotonic()
        self._failing_since = self._failing_since or now
        if now - self._failing_since > self.patience:
            raise error
        pause = self._delay * random.uniform(0.5, 1.0)
        if deadline is not None:
            pause = min(pause, max(0.0, deadline - now))
        self._delay = min(self._delay * 2, 2.0)
        return pause


def duration(seconds: float | None) -> duration_pb2.Duration | None:
    """Seconds as a google.protobuf.Duration (None stays unset)."""
    if seconds is None:
        return None
    value = duration_pb2.Duration()
    value.FromNanoseconds(int(seconds * 1e9))
    return value


def resuming(open_stream: Callable[[int], Iterable], position: Callable[[object], tuple[int, bool]],
             after_sequence: int, patience: float, *, ended: Callable[[], bool] | None = None,
             deadline: float | None = None) -> Iterator[tuple[object, bool]]:
    """Every response of a Watch stream after ``after_sequence``, as (response, is_heartbeat),
    opening the stream again (``open_stream(cursor)``) after a dropped connection. ``position``
    tells a response's sequence and whether it is a heartbeat. Gives up after ``patience``
    seconds without a stream. A stream of something that ends (a session) ends with it: when
    the server closes it, ``ended()`` tells whether that thing has ended (done) or the stream
    was cut short (opened again). ``deadline`` (time.monotonic) bounds the pauses between
    reconnections; ``open_stream`` gives its calls the time that is left."""
    reconnector = Reconnector(patience)
    cursor = Cursor(after_sequence, position)
    while True:
        try:
            for response in open_stream(cursor.sequence):
                reconnector.succeeded()
                heartbeat = cursor.advance(response)
                if heartbeat is not None:
                    yield response, heartbeat
            if ended is not None:
                if ended():
                    return
                raise stream_ended()
        except RECONNECT as error:
            reconnector.wait_or_raise(error, deadline)


class Cursor:
    """The last sequence a watcher saw (heartbeats included), shared by the blocking and the
    asyncio ``resuming``."""

    def __init__(self, after_sequence: int, position: Callable[[object], tuple[int, bool]]):
        self.sequence = after_sequence
        self._position = position

    def advance(self, response) -> bool | None:
        """Whether ``response`` is a heartbeat (True) or an event (False), or None when it was
        seen before a reconnection and is not to be yielded again."""
        sequence, heartbeat = self._position(response)
        if heartbeat:
            self.sequence = max(self.sequence, sequence)
            return True
        if sequence <= self.sequence:
            return None
        self.sequence = sequence
        return False


def stream_ended() -> UnavailableError:
    return UnavailableError("STREAM_ENDED", "the stream ended before what it watches")
