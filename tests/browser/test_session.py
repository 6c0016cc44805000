"""The patient's whole path in a real browser: sign up, get started, do a session."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord

from .player import (
    EMAIL,
    TEXTS,
    answer_pain,
    finish,
    play_whole_session,
    sign_up_and_get_started,
    stop_the_clock,
    tap_ready,
)

NOT_A_CURE = "These exercises may not take the leg pain away."


def test_sign_up_get_started_and_do_a_whole_session(page: Page, live_server: Any) -> None:
    sign_up_and_get_started(page)
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    stop_the_clock(page)
    answer_pain(page, leg=4, back=3)
    # The first session starts with a briefing, which says what the exercises can and
    # cannot do, then how to get down onto the mat.
    expect(page.locator("#ready-title")).to_have_text("Before your first session")
    expect(page.locator("#ready-points")).to_contain_text(NOT_A_CURE)
    tap_ready(page)
    expect(page.locator("#ready-title")).to_have_text("Get down onto the mat")
    tap_ready(page)
    expect(page.locator("#ready-title")).to_have_text("Knees to chest")
    play_whole_session(page, exercises=4)
    expect(page.locator("#ready-title")).to_have_text("Get up slowly")
    finish(page, leg=3, back=2)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    # Every exercise, the locked march too: it says what opens it.
    expect(page.locator("#next-time li")).to_have_count(5)
    expect(page.locator("#next-time")).to_contain_text("This one opens when the pelvic tilt")

    patient = Patient.objects.get(user__username=EMAIL)
    record = SessionRecord.objects.get(patient=patient)
    results = {r.exercise_id: r for r in record.results.all()}
    # All the exercises on the back together, child's pose (on hands and knees) last.
    assert list(results) == ["back-flexion", "pelvic-tilt", "curl-up", "childs-pose"]
    assert all(r.completed and not r.worse for r in results.values())
    assert (results["back-flexion"].sets_done, results["back-flexion"].reps_done) == (1, 4)
    assert (results["pelvic-tilt"].sets_done, results["pelvic-tilt"].reps_done) == (1, 8)
    pain = {c.moment: (c.leg_pain, c.back_pain) for c in record.pain_checkins.all()}
    assert pain == {"before": (4, 3), "after": (3, 2)}
    assert record.new_leg_symptoms is False
