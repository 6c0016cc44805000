"""The programme engine: the exercise catalogue, doses, session plans, safe progression and
safety rules. Pure Python with no Django import, so it can be tested and reused on its own."""

from .catalogue import (
    Catalogue,
    CatalogueError,
    Exercise,
    Kind,
    dose_label,
    exercise_to_dict,
    load_catalogue,
)
from .dose import Dose, DoseError
from .plan import SessionPlan, Step, StepKind, build_plan
from .prescription import (
    PrescribedExercise,
    Prescription,
    PrescriptionError,
    Schedule,
    starting_prescription,
)
from .progression import Action, Progression, ProgressionDecision, explain, progress
from .records import ExerciseResult, Light, Rating, SessionRecord, StopReason, rate_sessions
from .safety import (
    Outcome,
    ScreeningError,
    ScreeningResult,
    Urgency,
    evaluate_screening,
    gentle_session_advised,
    red_flag_questions,
)

__all__ = [
    "Action",
    "Catalogue",
    "CatalogueError",
    "Dose",
    "DoseError",
    "Exercise",
    "ExerciseResult",
    "Kind",
    "Light",
    "Outcome",
    "PrescribedExercise",
    "Prescription",
    "PrescriptionError",
    "Progression",
    "ProgressionDecision",
    "Rating",
    "Schedule",
    "ScreeningError",
    "ScreeningResult",
    "SessionPlan",
    "SessionRecord",
    "Step",
    "StepKind",
    "StopReason",
    "Urgency",
    "build_plan",
    "dose_label",
    "evaluate_screening",
    "exercise_to_dict",
    "explain",
    "gentle_session_advised",
    "load_catalogue",
    "progress",
    "rate_sessions",
    "red_flag_questions",
    "starting_prescription",
]
