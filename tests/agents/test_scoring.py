"""The performance score by hand: weights, decay, the minimum number of tasks and the
total order of ranks (the split of a reward pool is in test_reward_split.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.agents.performance_score import (
    DayTally,
    TaskMeasures,
    agent_score,
    decay_weight,
    standings,
    task_score,
    window,
)

T = date(2026, 3, 8)


def tally(agent: str, days_ago: int, tasks: int, mean: float) -> DayTally:
    return DayTally(agent, T - timedelta(days=days_ago), tasks, tasks * mean)


def test_a_task_score_weighs_its_measures_and_rewards_low_cost() -> None:
    measures = TaskMeasures(accuracy=0.9, completeness=0.8, timeliness=1.0, quality=0.7, cost=0.2)
    # 0.30*0.9 + 0.20*0.8 + 0.15*1.0 + 0.25*0.7 + 0.10*(1 - 0.2)
    assert task_score(measures) == pytest.approx(0.27 + 0.16 + 0.15 + 0.175 + 0.08)
    assert task_score(TaskMeasures(1, 1, 1, 1, 0)) == pytest.approx(1.0)
    assert task_score(TaskMeasures(0, 0, 0, 0, 1)) == pytest.approx(0.0)
    cheaper = TaskMeasures(0.9, 0.8, 1.0, 0.7, 0.0)
    assert task_score(cheaper) - task_score(measures) == pytest.approx(0.02)


@pytest.mark.parametrize("field", ["accuracy", "completeness", "timeliness", "quality", "cost"])
def test_measures_outside_zero_to_one_are_refused(field: str) -> None:
    values = dict(accuracy=0.5, completeness=0.5, timeliness=0.5, quality=0.5, cost=0.5)
    with pytest.raises(ValueError, match=field):
        TaskMeasures(**{**values, field: 1.01})


def test_decay_halves_per_half_life() -> None:
    assert decay_weight(0, 7) == 1.0
    assert decay_weight(7, 7) == pytest.approx(0.5)
    assert decay_weight(14, 7) == pytest.approx(0.25)
    assert decay_weight(3, 3) == pytest.approx(0.5)


def test_recent_work_counts_more() -> None:
    # two tasks averaging 0.9 today, two averaging 0.5 a week ago (half-life 7 days):
    # (1 * 1.8 + 0.5 * 1.0) / (1 * 2 + 0.5 * 2) = 2.3 / 3
    score, tasks = agent_score([tally("a", 0, 2, 0.9), tally("a", 7, 2, 0.5)], T, 7)
    assert score == pytest.approx(2.3 / 3)
    assert tasks == 4
    # without decay it would be the plain mean, 0.7
    flat, _ = agent_score([tally("a", 0, 2, 0.9), tally("a", 7, 2, 0.5)], T, 1e9)
    assert flat == pytest.approx(0.7)
    # days after the as-of day are ignored
    later, n = agent_score([tally("a", -1, 5, 0.1), tally("a", 0, 1, 0.8)], T, 7)
    assert (later, n) == (pytest.approx(0.8), 1)


def test_ranks_need_the_minimum_number_of_tasks_and_follow_a_total_order() -> None:
    rows = [
        tally("b", 0, 3, 0.8),
        tally("a", 0, 4, 0.8),  # same score as b, more tasks: ahead of b
        tally("c", 0, 3, 0.8),  # same score and tasks as b: the id decides
        tally("d", 0, 2, 0.99),  # the best score, but too few tasks to be ranked
        tally("e", 1, 3, 0.5),
    ]
    result = standings(rows, T, 7, min_tasks=3)
    assert [(s.agent_id, s.rank) for s in result] == [
        ("a", 1),
        ("b", 2),
        ("c", 3),
        ("e", 4),
        ("d", None),
    ]
    assert result[3].score == pytest.approx(0.5)


def test_window_covers_the_period_ending_on_the_day() -> None:
    assert window(T, "day") == (T, T)
    assert window(T, "week") == (date(2026, 3, 2), T)
    assert window(T, "month") == (date(2026, 2, 7), T)
