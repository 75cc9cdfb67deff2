"""The bot's own state: deliveries answered once, old ones forgotten, thread plans kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.parse import parse
from bot.state import KEEP_DELIVERIES, State, deliveries
from tests.conftest import TODAY


def test_delivery_is_first_once_and_old_ones_are_forgotten(tmp_path):
    state = State(f"sqlite:///{tmp_path / 'state.db'}")
    assert state.first_delivery("message:C1:1.1")
    assert not state.first_delivery("message:C1:1.1")
    assert state.first_delivery("message:C1:2.2")
    long_ago = dt.datetime.now(dt.UTC) - KEEP_DELIVERIES - dt.timedelta(hours=1)
    with state.engine.begin() as connection:
        connection.execute(
            update(deliveries).where(deliveries.c.key == "message:C1:1.1").values(seen_at=long_ago)
        )
    state.forget_old_deliveries()
    assert state.first_delivery("message:C1:1.1")  # forgotten, so new again
    assert not state.first_delivery("message:C1:2.2")  # recent, still remembered


def test_thread_plan_survives_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    plan = parse("charge rate harassment Thames Valley year to September 2023", TODAY)
    State(url).save_thread_plan("C1", "1.1", plan)
    assert State(url).thread_plan("C1", "1.1") == plan
    assert State(url).thread_plan("C1", "9.9") is None
