"""Two replicas on one PostgreSQL: a WatchModelSession stream on one replica sees at once
(LISTEN/NOTIFY, not the feed's poll) the state changes made through the other, each once and in
order, and sessions changed through both replicas at the same time keep one history each.
PostgreSQL leg only."""

from __future__ import annotations

import threading
import time

from jobs_helpers import Collector
from replica_helpers import clients_fixture, needs_postgres, replicas_fixture  # noqa: F401

pytestmark = needs_postgres

STATES = ["BUILDING_MODELS", "GENERATING_CANDIDATES", "COMPLETE"]


def test_a_watcher_on_one_replica_sees_the_changes_made_through_the_other(clients):
    owner_a, owner_b, project_id = clients
    session = owner_a.create_model_session(project_id, "replicated", "d")
    lags = []

    def received():
        for event in owner_b.watch_model_session(session.model_session_id, timeout=60):
            lags.append(time.time() - event.event_datetime.timestamp())
            yield event

    watcher = Collector(received)
    watcher.start()
    time.sleep(0.5)
    for state in STATES:
        owner_a.set_model_session_state(session.model_session_id, state)
        time.sleep(0.3)
    watcher.join(60)
    assert watcher.error is None and not watcher.is_alive(), watcher.error
    assert [e.state.name for e in watcher.events] == ["QUEUED", *STATES]
    assert watcher.events == list(owner_a.watch_model_session(session.model_session_id, timeout=10))
    # The feed polls every few seconds on PostgreSQL: changes arriving this fast were notified.
    assert max(lags[1:]) < 2.0, lags


def test_sessions_changed_through_both_replicas_keep_one_ordered_history_each(clients):
    owner_a, owner_b, project_id = clients
    sessions = [owner_a.create_model_session(project_id, f"busy-{i}", "d").model_session_id
                for i in range(6)]
    errors = []

    def drive(client, session_ids):
        try:
            for state in STATES:
                for session_id in session_ids:
                    client.set_model_session_state(session_id, state)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=drive, args=(owner_a, sessions[::2])),
               threading.Thread(target=drive, args=(owner_b, sessions[1::2]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    everything = []
    for session_id in sessions:
        history = list(owner_b.watch_model_session(session_id, timeout=10))
        assert [e.state.name for e in history] == ["QUEUED", *STATES]
        everything += [e.sequence for e in history]
    assert len(set(everything)) == len(everything)  # one sequence number per change
