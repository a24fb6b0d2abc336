"""Two replicas on one PostgreSQL: a WatchDetectionEvents stream on one replica sees at once
(LISTEN/NOTIFY, not the feed's poll) the detection events of batches uploaded through the other,
each once and in order. PostgreSQL leg only."""

from __future__ import annotations

import time

from jobs_helpers import Collector
from monitoring_helpers import make_flow
from replica_helpers import clients_fixture, needs_postgres, replicas_fixture  # noqa: F401

pytestmark = needs_postgres


def test_a_watcher_on_one_replica_sees_the_drift_found_through_the_other(clients):
    owner_a, owner_b, project_id = clients
    flow = make_flow(owner_a, project_id)
    lags = []

    def received():
        for response in owner_b.watch_detection_events(task_id=flow.task.task_id):
            lags.append(time.time() - response.event.insert_datetime.timestamp())
            yield response.event

    watcher = Collector(received, stop_when=lambda event: event.specification == "age")
    watcher.start()
    flow.production("calm")
    flow.production("shift", age_shift=15.0)
    watcher.join(60)
    assert watcher.error is None, watcher.error
    assert watcher.events, "the other replica's watch saw no detection event"
    age = watcher.events[-1]
    listed = {event.event_id: event
              for event in owner_a.get_detection_events(flow.task.task_id)}
    assert age.event_id in listed and age.sequence == listed[age.event_id].sequence
    assert [e.sequence for e in watcher.events] == sorted({e.sequence for e in watcher.events})
    # The feed polls every few seconds on PostgreSQL: events arriving this fast were notified.
    assert max(lags) < 2.0, lags
