"""Engine speed: how long build_plan and progress take, and how progress grows with history.

Prints figures; nothing here is asserted. Run with `make bench`.
"""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

from stenosis_coach.programme import (
    ExerciseResult,
    SessionRecord,
    build_plan,
    load_catalogue,
    progress,
    starting_prescription,
)


def timed(label: str, work: Callable[[], object], repeats: int = 200) -> None:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples) * 1e6
    worst = max(samples) * 1e6
    print(f"{label:<44} median {median:9.1f} µs   max {worst:9.1f} µs   ({repeats} runs)")


def simulated_history(sessions: int, seed: int = 1) -> list[SessionRecord]:
    """A patient following the engine for `sessions` sessions, mostly going well."""
    rng = random.Random(seed)
    prescription = starting_prescription()
    history: list[SessionRecord] = []
    for _ in range(sessions):
        results = tuple(
            ExerciseResult(item.exercise_id, item.dose, completed=True, worse=rng.random() < 0.05)
            for item in prescription.active()
        )
        leg = rng.randint(1, 4)
        history.append(SessionRecord(results, leg_pain_before=leg, leg_pain_after=leg))
        prescription = progress(prescription, history).prescription
    return history


def main() -> None:
    load_catalogue()
    first = starting_prescription()
    plan = build_plan(first)
    print(f"first session: {len(plan.steps)} steps, {plan.total_ms / 60000:.1f} minutes planned")
    timed("build_plan (first session)", lambda: build_plan(first))
    for size in (10, 100, 365):
        history = simulated_history(size)
        timed(f"progress over {size} sessions", lambda h=history: progress(first, h), 50)
    history = simulated_history(365)
    tracemalloc.start()
    progress(first, history)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of one progress over 365 sessions: {peak / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
