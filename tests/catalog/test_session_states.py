"""A model session's states move only forward, end once, and keep the times they happened."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from driftline_server.catalog.session_states import (
    SessionState as S,
    StateMoveRefused,
    Timeline,
    allowed_moves,
    move,
)

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_session_keeps_its_start_end_and_total_time():
    timeline = Timeline(S.QUEUED)
    assert timeline.total_seconds is None
    timeline = move(timeline, S.BUILDING_MODELS, at(10))
    assert (timeline.start_time, timeline.end_time) == (at(10), None)
    timeline = move(timeline, S.GENERATING_CANDIDATES, at(70))
    assert timeline.start_time == at(10)
    timeline = move(timeline, S.COMPLETE, at(100))
    assert (timeline.end_time, timeline.total_seconds) == (at(100), 90.0)


def test_states_can_be_skipped_forward_and_error_ends_any_running_session():
    assert move(Timeline(S.BUILDING_MODELS, at(0)), S.COMPLETE, at(5)).total_seconds == 5.0
    failed = move(Timeline(S.QUEUED), S.ERROR, at(3))
    assert failed.start_time == failed.end_time == at(3) and failed.total_seconds == 0.0


def test_moving_to_the_same_state_changes_nothing():
    timeline = Timeline(S.BUILDING_MODELS, at(1))
    assert move(timeline, S.BUILDING_MODELS, at(50)) == timeline


@pytest.mark.parametrize("state, to, said", [
    (S.GENERATING_CANDIDATES, S.BUILDING_MODELS, "cannot go back"),
    (S.BUILDING_MODELS, S.QUEUED, "cannot go back"),
    (S.COMPLETE, S.ERROR, "has ended"),
    (S.ERROR, S.BUILDING_MODELS, "has ended"),
])
def test_going_back_or_moving_an_ended_session_is_refused_saying_why(state, to, said):
    with pytest.raises(StateMoveRefused, match=said):
        move(Timeline(state, at(0), at(1) if state in (S.COMPLETE, S.ERROR) else None), to,
             at(2))


def test_the_allowed_moves_are_listed():
    assert allowed_moves(S.QUEUED) == [S.BUILDING_MODELS, S.GENERATING_CANDIDATES, S.COMPLETE,
                                       S.ERROR]
    assert allowed_moves(S.COMPLETE) == []


def test_a_refused_move_names_what_is_moving():
    with pytest.raises(StateMoveRefused, match="a model cannot go back from BUILDING_MODELS"):
        move(Timeline(S.BUILDING_MODELS, at(0)), S.QUEUED, at(1), subject="model")
    with pytest.raises(StateMoveRefused, match="the model has ended"):
        move(Timeline(S.ERROR, at(0), at(1)), S.COMPLETE, at(2), subject="model")
