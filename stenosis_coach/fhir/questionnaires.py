"""The two-weekly function check as a Questionnaire and one QuestionnaireResponse per
check: each hard activity scored 0-10 (the patient-specific functional scale), and from the
second check on, the global impression of change (1 very much better to 7 very much worse).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from stenosis_coach.outcomes.models import FunctionCheck

from . import codes
from .entries import Entry, entry, instant, new_resource
from .people import Subject


def impression_options() -> list[dict[str, Any]]:
    with translation.override("en"):  # the code system's displays are English
        choices = [(value, str(label)) for value, label in FunctionCheck.Impression.choices]
    return [{"valueCoding": codes.coding(codes.impression_code(v, d))} for v, d in choices]


def questionnaire_entry() -> Entry:
    """The same form for every patient: the activities are answers, not questions."""
    resource = new_resource(
        "Questionnaire",
        ("function-check",),
        url=codes.FUNCTION_CHECK_QUESTIONNAIRE,
        version="1",
        name="FunctionCheck",
        title="Function check: hard activities and change since starting",
        status="active",
        subjectType=["Patient"],
        item=[
            {
                "linkId": "activity",
                "text": "An activity that is hard because of the leg pain",
                "type": "group",
                "repeats": True,
                "item": [
                    {"linkId": "activity.name", "text": "Activity", "type": "string"},
                    {
                        "linkId": "activity.score",
                        "text": "How well can you do it? 0: not at all, 10: as before",
                        "type": "integer",
                    },
                ],
            },
            {
                "linkId": "impression",
                "text": "Since you started, how is your problem?",
                "type": "choice",
                "answerOption": impression_options(),
            },
        ],
    )
    return entry(resource)


def function_checks(subject: Subject) -> list[Entry]:
    checks = list(subject.patient.function_checks.prefetch_related("scores__activity"))
    if not checks:
        return []
    return [questionnaire_entry(), *(response_entry(subject, check) for check in checks)]


def response_entry(subject: Subject, check: FunctionCheck) -> Entry:
    items: list[dict[str, Any]] = [
        {
            "linkId": "activity",
            "item": [
                {"linkId": "activity.name", "answer": [{"valueString": score.activity.name}]},
                {"linkId": "activity.score", "answer": [{"valueInteger": score.score}]},
            ],
        }
        for score in check.scores.all()
    ]
    if check.impression is not None:
        with translation.override("en"):
            display = str(FunctionCheck.Impression(check.impression).label)
        answer = {"valueCoding": codes.coding(codes.impression_code(check.impression, display))}
        items.append({"linkId": "impression", "answer": [answer]})
    resource = new_resource(
        "QuestionnaireResponse",
        ("function-check", check.pk),
        questionnaire=codes.FUNCTION_CHECK_QUESTIONNAIRE + "|1",
        status="completed",
        subject=subject.patient_ref,
        authored=instant(check.taken_at),
        author=subject.patient_ref,
        source=subject.patient_ref,
        item=items,
    )
    if not items:
        del resource["item"]
    return entry(resource, check.taken_at)
