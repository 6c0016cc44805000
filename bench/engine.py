"""Engine speed: how long build_plan and progress take, and how progress grows with history.

Prints figures; nothing here is asserted. Run with `make bench`.

The simulated patient follows the engine one session a day (two on some days), each session
kept with its day and the version it followed, as the server keeps them. "progress over N
sessions" runs from the starting prescription (nothing to answer: the doses have moved on);
"progress answering session N" runs with the prescription the patient has reached, as the
server does after each upload.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace

from stenosis_coach.programme import (
    ExerciseResult,
    Prescription,
    SessionRecord,
    build_plan,
    load_catalogue,
    progress,
    starting_prescription,
)

FIRST_DAY = dt.date(2026, 1, 5)


def timed(label: str, work: Callable[[], object], repeats: int = 200) -> None:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples) * 1e6
    worst = max(samples) * 1e6
    print(f"{label:<44} median {median:9.1f} µs   max {worst:9.1f} µs   ({repeats} runs)")


def session_at(prescription: Prescription, day: dt.date, rng: random.Random) -> SessionRecord:
    """A session at the doses prescribed, mostly going well."""
    results = tuple(
        ExerciseResult(
            item.exercise_id,
            item.dose,
            completed=True,
            worse=rng.random() < 0.05,
            kept_back_flat=rng.random() < 0.8,
        )
        for item in prescription.active()
    )
    leg = rng.randint(1, 4)
    return SessionRecord(
        results,
        leg_pain_before=leg,
        leg_pain_after=leg,
        day=day,
        prescription_version=prescription.version,
    )


def simulated_patient(sessions: int, seed: int = 1) -> tuple[list[SessionRecord], Prescription]:
    """A patient following the engine for `sessions` sessions: the history and the
    prescription reached. One session a day, and a second one on one day in five."""
    rng = random.Random(seed)
    prescription = replace(starting_prescription(), version=1)
    history: list[SessionRecord] = []
    day = FIRST_DAY
    for _ in range(sessions):
        history.append(session_at(prescription, day, rng))
        outcome = progress(prescription, history)
        if outcome.changed:
            prescription = replace(outcome.prescription, version=(prescription.version or 0) + 1)
        if rng.random() > 0.2:
            day += dt.timedelta(days=1)
    return history, prescription


def main() -> None:
    load_catalogue()
    first = starting_prescription()
    plan = build_plan(first)
    print(f"first session: {len(plan.steps)} steps, {plan.total_ms / 60000:.1f} minutes planned")
    timed("build_plan (first session)", lambda: build_plan(first))
    for size in (10, 100, 365):
        history, _ = simulated_patient(size)
        timed(f"progress over {size} sessions", lambda h=history: progress(first, h), 50)
    for size in (10, 100, 365):
        history, reached = simulated_patient(size - 1)
        assert history[-1].day is not None
        next_day = history[-1].day + dt.timedelta(days=1)
        latest = [*history, session_at(reached, next_day, random.Random(size))]
        timed(
            f"progress answering session {size}",
            lambda h=latest, p=reached: progress(p, h),
            50,
        )
    history, _ = simulated_patient(365)
    tracemalloc.start()
    progress(first, history)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of one progress over 365 sessions: {peak / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
