"""The hidden staff gesture, timed with a fake clock."""

from __future__ import annotations

from kiosk.content.clock import FakeClock
from kiosk.content.staff_gesture import CornerTapDetector

W, H = 1920, 1080


def detector(clock):
    return CornerTapDetector(clock, taps=5, window_s=3.0, corner_fraction=0.08, min_corner_px=60)


def test_five_taps_in_the_corner_within_3s_complete_the_gesture():
    clock = FakeClock()
    gesture = detector(clock)
    results = []
    for _ in range(5):
        results.append(gesture.tap(10, 10, W, H))
        clock.advance(0.7)  # 5 taps span 2.8 s
    assert results == [False, False, False, False, True]
    # The count starts again after a completed gesture.
    assert not gesture.tap(10, 10, W, H)


def test_too_slow_does_not_count():
    clock = FakeClock()
    gesture = detector(clock)
    results = []
    for _ in range(5):
        results.append(gesture.tap(10, 10, W, H))
        clock.advance(0.76)  # first and fifth tap 3.04 s apart
    assert results == [False] * 5
    # Steadily too slow never completes: any five consecutive taps span 3.04 s.
    assert not gesture.tap(10, 10, W, H)
    # Taps older than 3 s are forgotten, so four quick taps now are not enough...
    clock.advance(3.1)
    assert [gesture.tap(10, 10, W, H) for _ in range(4)] == [False] * 4
    # ...and the fifth is.
    assert gesture.tap(10, 10, W, H)


def test_a_tap_outside_the_corner_resets_the_count():
    clock = FakeClock()
    gesture = detector(clock)
    for _ in range(4):
        assert not gesture.tap(5, 5, W, H)
    assert not gesture.tap(W / 2, H / 2, W, H)
    assert not gesture.tap(5, 5, W, H)  # only the first of a new series


def test_corner_size_scales_with_the_screen_and_has_a_minimum():
    gesture = detector(FakeClock())
    assert gesture.corner_size(1920, 1080) == 0.08 * 1080
    assert gesture.corner_size(3840, 2160) == 0.08 * 2160
    assert gesture.corner_size(400, 300) == 60
    # Just inside and just outside the corner of a 1080p screen (86.4 px).
    assert gesture.tap(86, 86, W, H) is False and gesture._times
    assert gesture.tap(87, 0, W, H) is False and not gesture._times


def test_other_corners_do_not_count():
    clock = FakeClock()
    gesture = detector(clock)
    for x, y in [(W - 5, 5), (5, H - 5), (W - 5, H - 5)] * 2:
        assert not gesture.tap(x, y, W, H)
