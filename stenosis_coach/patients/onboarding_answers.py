"""What a patient answered at an earlier onboarding step, to fill that step's form again
when they go Back to it (so that pressing Next again keeps their answers)."""

from __future__ import annotations

from typing import Any

from .models import Patient


def given_answers(patient: Patient, step: str) -> dict[str, Any]:
    """The initial data for `step`'s form: the answers saved so far ({} if none)."""
    if step == "diagnosis":
        return {"diagnosis": "yes"} if patient.diagnosis_confirmed else {}
    if step == "pain":
        return {"leg_pain": patient.usual_leg_pain, "back_pain": patient.usual_back_pain}
    if step == "walking":
        return {"minutes": patient.usual_walking_minutes}
    if step == "activities":
        return activity_answers(patient)
    return {}  # the time is the last step: nothing to go back to


def activity_answers(patient: Patient) -> dict[str, Any]:
    """Each activity in its place, with the score it was last given."""
    check = patient.function_checks.order_by("-taken_at", "-pk").first()
    scores = {} if check is None else {s.activity_id: s.score for s in check.scores.all()}
    answers: dict[str, Any] = {}
    for activity in patient.activities.active():
        answers[f"activity_{activity.position}"] = activity.name
        answers[f"score_{activity.position}"] = scores.get(activity.pk)
    return answers
