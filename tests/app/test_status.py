"""The status bar's derived figures: tick rate and clock."""

from __future__ import annotations

from hkdesk.app.status import TickRate, clock_text
from hkdesk.domain.sessions import hk_now


def test_tick_rate_is_measured_over_a_second_or_more():
    now = [100.0]
    rate = TickRate(clock=lambda: now[0])
    now[0] += 0.5
    assert rate.update(400) == 0.0  # not a second yet
    now[0] += 0.5
    assert rate.update(1_000) == 1_000.0
    now[0] += 2.0
    assert rate.update(2_000) == 500.0
    now[0] += 1.0
    assert rate.update(10) == 0.0  # a new pipeline counts from zero again


def test_clock_shows_the_simulated_session_only_for_the_simulator():
    sim_ts = 1_764_207_000_000  # 09:30 HKT
    text, hk = clock_text(True, sim_ts)
    assert text.startswith("SIM 09:30:00 · HKT ") and (hk.hour, hk.minute) == (9, 30)
    text, hk = clock_text(False, sim_ts)
    assert text.startswith("HKT ") and abs((hk - hk_now()).total_seconds()) < 5
