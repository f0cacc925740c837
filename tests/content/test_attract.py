"""The attract ↔ explore state machine, driven by a fake clock (no waits, no Qt)."""

from __future__ import annotations

import logging
import random

import pytest

from kiosk.content.attract import Action, AttractMachine, State
from kiosk.content.clock import FakeClock


@pytest.fixture
def clock():
    return FakeClock(1000.0)


@pytest.fixture
def machine():
    return AttractMachine(idle_timeout_s=60, countdown_s=10)


def states(changes):
    return [(c.old, c.new) for c in changes]


def test_starts_in_attract_and_ticks_do_nothing_there(machine, clock):
    assert machine.state is State.ATTRACT
    assert not machine.active
    for _ in range(10):
        assert machine.tick(clock.advance(3600)) == []
    assert machine.state is State.ATTRACT


def test_touch_in_attract_opens_explore(machine, clock):
    changes = machine.touch(clock.now())
    assert states(changes) == [(State.ATTRACT, State.EXPLORE)]
    assert changes[0].action is Action.OPEN_EXPLORE
    assert changes[0].at == clock.now()
    assert machine.state is State.EXPLORE and machine.active


def test_more_touches_in_explore_change_nothing_but_restart_the_idle_timer(machine, clock):
    machine.touch(clock.now())
    clock.advance(59)
    assert machine.touch(clock.now()) == []
    clock.advance(59)
    assert machine.tick(clock.now()) == []  # 118 s after the first touch, 59 s idle
    assert machine.state is State.EXPLORE
    assert machine.idle_for(clock.now()) == pytest.approx(59)


def test_idle_timeout_starts_the_countdown_exactly_at_the_timeout(machine, clock):
    machine.touch(clock.now())
    assert machine.tick(clock.advance(59.9)) == []
    changes = machine.tick(clock.advance(0.1))
    assert states(changes) == [(State.EXPLORE, State.COUNTDOWN)]
    assert changes[0].action is Action.SHOW_COUNTDOWN
    assert machine.seconds_left(clock.now()) == 10


def test_touch_during_countdown_returns_to_explore_and_restarts_the_timeout(machine, clock):
    machine.touch(clock.now())
    machine.tick(clock.advance(60))
    clock.advance(9)
    changes = machine.touch(clock.now())
    assert states(changes) == [(State.COUNTDOWN, State.EXPLORE)]
    assert changes[0].action is Action.CANCEL_COUNTDOWN
    # The full idle timeout runs again from this touch.
    assert machine.tick(clock.advance(59)) == []
    assert states(machine.tick(clock.advance(1))) == [(State.EXPLORE, State.COUNTDOWN)]


def test_countdown_elapsed_returns_to_attract(machine, clock):
    machine.touch(clock.now())
    machine.tick(clock.advance(60))
    assert machine.tick(clock.advance(9.5)) == []
    changes = machine.tick(clock.advance(0.5))
    assert states(changes) == [(State.COUNTDOWN, State.ATTRACT)]
    assert changes[0].action is Action.RETURN_TO_ATTRACT
    assert machine.state is State.ATTRACT and not machine.active
    assert machine.idle_for(clock.now()) == 0.0


def test_seconds_left_counts_down_in_whole_seconds(machine, clock):
    machine.touch(clock.now())
    machine.tick(clock.advance(60))
    seen = []
    for _ in range(40):
        clock.advance(0.25)
        seen.append(machine.seconds_left(clock.now()))
        if machine.tick(clock.now()):
            break
    assert seen[0] == 10 and seen[3] == 9  # 0.25 s in still reads 10; 1.0 s in reads 9
    assert seen == sorted(seen, reverse=True)
    assert machine.state is State.ATTRACT
    assert machine.seconds_left(clock.now()) == 0


def test_a_late_tick_does_both_steps_and_the_countdown_is_not_stretched(machine, clock):
    machine.touch(clock.now())
    # The timer was starved for 65 s: the countdown started at 60 s, 5 s are gone.
    changes = machine.tick(clock.advance(65))
    assert states(changes) == [(State.EXPLORE, State.COUNTDOWN)]
    assert machine.seconds_left(clock.now()) == 5
    # Suspended for an hour: both steps in one tick, in order.
    machine.touch(clock.now())
    changes = machine.tick(clock.advance(3600))
    assert states(changes) == [(State.EXPLORE, State.COUNTDOWN), (State.COUNTDOWN, State.ATTRACT)]
    assert [c.action for c in changes] == [Action.SHOW_COUNTDOWN, Action.RETURN_TO_ATTRACT]


def test_zero_countdown_goes_straight_back(clock):
    machine = AttractMachine(idle_timeout_s=5, countdown_s=0)
    machine.touch(clock.now())
    changes = machine.tick(clock.advance(5))
    assert states(changes) == [(State.EXPLORE, State.COUNTDOWN), (State.COUNTDOWN, State.ATTRACT)]


def test_each_state_change_is_one_log_line(machine, clock, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.visitor")
    machine.touch(clock.now())
    machine.touch(clock.advance(1))  # no change, no line
    machine.tick(clock.advance(60))
    machine.touch(clock.advance(2))
    machine.tick(clock.advance(60))
    machine.tick(clock.advance(10))
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.visitor"]
    assert lines == [
        "state attract -> explore",
        "state explore -> countdown",
        "state countdown -> explore",
        "state explore -> countdown",
        "state countdown -> attract",
    ]
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "kiosk.visitor")


@pytest.mark.parametrize(
    ("idle", "countdown"), [(0, 10), (-1, 10), (float("nan"), 10), (60, -1), (60, float("inf"))]
)
def test_bad_timings_are_refused_with_a_clear_message(idle, countdown):
    with pytest.raises(ValueError, match="must be"):
        AttractMachine(idle_timeout_s=idle, countdown_s=countdown)


def test_random_touches_and_ticks_keep_the_invariants(clock):
    # A model check: after any sequence, the state is what the timings say it must be.
    rng = random.Random(4)
    machine = AttractMachine(idle_timeout_s=7, countdown_s=3)
    for _ in range(5000):
        clock.advance(rng.choice([0, 0.1, 0.5, 1, 2, 5, 9, 20]))
        if rng.random() < 0.3:
            before = machine.state
            changes = machine.touch(clock.now())
            assert machine.state is State.EXPLORE
            assert len(changes) == (0 if before is State.EXPLORE else 1)
        else:
            machine.tick(clock.now())
            if machine.state is not State.ATTRACT:
                idle = clock.now() - machine.last_touch
                expected = State.EXPLORE if idle < 7 else State.COUNTDOWN
                assert machine.state is expected
                assert idle < 10  # past timeout + countdown we must be in attract
    # Walking away always ends in attract.
    machine.tick(clock.advance(10))
    assert machine.state is State.ATTRACT
