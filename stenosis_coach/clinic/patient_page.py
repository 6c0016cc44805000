"""What the therapist's page of one patient shows, read in few queries: a summary (open
alerts, a red-flag hold, the last session, today's doses), the outcome charts (the patient's
own Progress charts, reused), sessions with what was done against the dose, every screening,
alerts, the prescription and each of its versions with who and why, the clinic's other
changes, the patient's notes and the messages sent to them.

Reads only: the caller has fetched the patient through patient_for_staff (audited).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.outcomes.progress import ProgressView, progress_for
from stenosis_coach.patients.models import Patient, RedFlagScreening
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.history import NEWEST_FIRST, done_counts, with_details
from stenosis_coach.practice.models import (
    ExerciseResult,
    PrescriptionItem,
    PrescriptionVersion,
    SessionRecord,
)
from stenosis_coach.programme import (
    Light,
    Outcome,
    StopReason,
    dose_label,
    load_catalogue,
    red_flag_questions,
)

from .models import Alert, AuditEntry, Message, PrescriptionTemplate
from .prescribing import (
    BUILT_IN,
    FIELD_WORDS,
    WEEKDAY_NAMES,
    dose_fields,
    field_bounds,
    form_key,
)
from .rules import RULES, describe_alert

SESSIONS_PER_PAGE = 20
CHANGES_SHOWN = 20
NOTES_SHOWN = 20
MESSAGES_SHOWN = 5
SEVERITY_ORDER = [severity.value for severity in Alert.Severity]  # critical first

LIGHT_WORDS: dict[str, Promise] = {
    Light.GREEN.value: gettext_lazy("green"),
    Light.AMBER.value: gettext_lazy("amber"),
    Light.RED.value: gettext_lazy("red"),
}
STOP_WORDS: dict[str, Promise] = {
    StopReason.LEG_PAIN.value: gettext_lazy("stopped: leg pain worse"),
    StopReason.BACK_PAIN.value: gettext_lazy("stopped: back pain worse"),
    StopReason.OTHER_PAIN.value: gettext_lazy("stopped: hurt in another way"),
    StopReason.SKIPPED.value: gettext_lazy("skipped"),
}
OUTCOME_WORDS: dict[str, Promise] = {
    Outcome.CLEAR.value: gettext_lazy("clear"),
    Outcome.SAME_DAY.value: gettext_lazy("see a doctor the same day"),
    Outcome.EMERGENCY.value: gettext_lazy("emergency"),
}
SOURCE_WORDS: dict[str, Promise] = {
    PrescriptionVersion.Source.START.value: gettext_lazy("starting prescription"),
    PrescriptionVersion.Source.ENGINE.value: gettext_lazy("automatic progression"),
    PrescriptionVersion.Source.THERAPIST.value: gettext_lazy("therapist"),
}


def person_name(user: AbstractBaseUser | None) -> str:
    """How a person is named on the clinic's pages: full name, else e-mail, else user name."""
    if user is None:
        return _("a former account")
    full = getattr(user, "get_full_name", lambda: "")()
    return full or getattr(user, "email", "") or user.get_username()


@dataclass(frozen=True)
class ItemRow:
    exercise_id: str
    name: str
    state: str  # the dose in words, or off / locked / paused
    active: bool
    enabled: bool
    locked: bool
    paused: bool
    fields: list[FieldRow]


@dataclass(frozen=True)
class FieldRow:
    key: str  # the posted name
    label: str
    value: str
    low: int
    high: int
    optional: bool


@dataclass(frozen=True)
class ResultRow:
    name: str
    dose: str
    reps: str  # "3 of 8"; "" for timed work
    sets: str  # "1 of 1"
    completed: bool
    outcome: str  # done, or how it stopped
    light: str
    light_word: str


@dataclass(frozen=True)
class SessionRow:
    session: SessionRecord
    leg: str  # "5 → 3"
    back: str
    results: list[ResultRow]
    notes: list[Message]


@dataclass(frozen=True)
class ScreeningRow:
    screening: RedFlagScreening
    outcome: str
    questions: list[str]  # the questions answered yes
    holds: bool  # this screening is the patient's red-flag hold now
    cleared_by: str  # who cleared it, in words ("" when not cleared)


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    title: str
    severity: str
    words: str
    acknowledged_by: str


@dataclass(frozen=True)
class VersionRow:
    version: PrescriptionVersion
    source: str
    by: str
    changes: list[str]  # what changed from the version before, with the engine's reasons


@dataclass(frozen=True)
class TemplateChoice:
    key: str  # "built-in:<key>" or "saved:<pk>"
    name: str
    description: str


@dataclass(frozen=True)
class PatientPage:
    patient: Patient
    name: str
    therapist: str
    version: PrescriptionVersion
    items: list[ItemRow]
    schedule_days: list[tuple[int, str, bool]]  # (number, name, chosen)
    open_alerts: list[AlertRow]
    past_alerts: list[AlertRow]
    hold: ScreeningRow | None
    last_session: SessionRecord | None
    progress: ProgressView
    sessions: Page
    screenings: list[ScreeningRow]
    versions: list[VersionRow]
    clinic_changes: list[AuditEntry]
    notes: list[Message]
    messages_sent: list[Message]
    templates: list[TemplateChoice]


def patient_page(
    patient: Patient,
    locale: str,
    *,
    sessions_page: str | None = None,
    posted: Mapping[str, str] | None = None,
) -> PatientPage:
    """Everything the page shows. `posted`: a form sent with a mistake, whose values are
    shown again instead of the current ones."""
    version = current_prescription(patient)
    screenings = screening_rows(patient, locale)
    alerts = [alert_row(alert) for alert in patient.alerts.select_related("acknowledged_by")]
    open_alerts = sorted(
        (row for row in alerts if row.alert.is_open),
        key=lambda row: (SEVERITY_ORDER.index(row.severity), -row.alert.raised_at.timestamp()),
    )
    weekdays = set(version.weekdays)
    therapist = patient.therapist
    return PatientPage(
        patient=patient,
        name=person_name(patient.user),
        therapist=person_name(therapist) if therapist else "",
        version=version,
        items=item_rows(version, locale, posted or {}),
        schedule_days=[(n, str(name), n in weekdays) for n, name in enumerate(WEEKDAY_NAMES)],
        open_alerts=open_alerts,
        past_alerts=[row for row in alerts if not row.alert.is_open],
        hold=next((row for row in screenings if row.holds), None),
        last_session=patient.sessions.order_by(*NEWEST_FIRST).first(),
        progress=progress_for(patient),
        sessions=session_page(patient, locale, sessions_page),
        screenings=screenings,
        versions=version_rows(patient, locale),
        clinic_changes=list(
            patient.audit_entries.filter(action=AuditEntry.CHANGE).order_by("-at", "-pk")[
                :CHANGES_SHOWN
            ]
        ),
        notes=list(
            patient.messages.filter(to_patient=False).select_related("session")[:NOTES_SHOWN]
        ),
        messages_sent=list(
            patient.messages.filter(to_patient=True).select_related("author")[:MESSAGES_SHOWN]
        ),
        templates=template_choices(patient),
    )


def item_rows(
    version: PrescriptionVersion, locale: str, posted: Mapping[str, str]
) -> list[ItemRow]:
    catalogue = load_catalogue()
    rows = []
    for item in version.items.all():
        exercise = catalogue.get(item.exercise_id)
        fields = []
        for part in dose_fields(exercise):
            key = form_key(item.exercise_id, part)
            current = getattr(item, part)
            low, high = field_bounds(exercise, part)
            fields.append(
                FieldRow(
                    key=key,
                    label=str(FIELD_WORDS[part]),
                    value=posted.get(key, "" if current is None else str(current)),
                    low=low,
                    high=high,
                    optional=part == "last_set_reps",
                )
            )
        rows.append(
            ItemRow(
                exercise_id=item.exercise_id,
                name=exercise.text(locale).name,
                state=item_state(item, locale),
                active=item.to_engine().active,
                enabled=item.enabled,
                locked=item.locked,
                paused=item.paused,
                fields=fields,
            )
        )
    return rows


def item_state(item: PrescriptionItem, locale: str) -> str:
    dose = dose_label(item.dose, load_catalogue(), locale)
    if not item.enabled:
        return _("off (%(dose)s)") % {"dose": dose}
    if item.locked:
        return _("locked (%(dose)s)") % {"dose": dose}
    if item.paused:
        return _("paused after two red sessions (%(dose)s)") % {"dose": dose}
    return dose


def alert_row(alert: Alert) -> AlertRow:
    rule = RULES.get(alert.rule)
    return AlertRow(
        alert=alert,
        title=str(rule.title) if rule else alert.rule,
        severity=str(rule.severity if rule else alert.severity),
        words=describe_alert(alert),
        acknowledged_by=person_name(alert.acknowledged_by) if alert.acknowledged_at else "",
    )


def screening_rows(patient: Patient, locale: str) -> list[ScreeningRow]:
    """Every screening, newest first, with the questions answered yes in words."""
    questions = {question.id: question.text(locale) for question in red_flag_questions()}
    hold = patient.red_flag_hold()
    rows = []
    for screening in patient.screenings.select_related("cleared_by_user").order_by(
        "-taken_at", "-pk"
    ):
        rows.append(
            ScreeningRow(
                screening=screening,
                outcome=str(OUTCOME_WORDS.get(screening.outcome, screening.outcome)),
                questions=[questions.get(flag, flag) for flag in screening.flagged],
                holds=hold is not None and hold.pk == screening.pk,
                cleared_by=cleared_by_words(screening),
            )
        )
    return rows


def cleared_by_words(screening: RedFlagScreening) -> str:
    if screening.cleared_at is None:
        return ""
    if screening.cleared_by == "therapist":
        return _("therapist %(name)s") % {"name": person_name(screening.cleared_by_user)}
    return _("the patient, after a doctor's check")


def session_page(patient: Patient, locale: str, number: str | None) -> Page:
    """The latest sessions first, SESSIONS_PER_PAGE a page, each with its results, pain and
    the patient's notes (a constant number of queries per page)."""
    notes = Prefetch("notes", queryset=Message.objects.filter(to_patient=False))
    sessions = with_details(patient.sessions.order_by(*NEWEST_FIRST)).prefetch_related(notes)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(number)
    page.object_list = [session_row(session, locale) for session in page.object_list]
    return page


def session_row(session: SessionRecord, locale: str) -> SessionRow:
    pain = {checkin.moment: checkin for checkin in session.pain_checkins.all()}
    before = pain.get(PainCheckIn.Moment.BEFORE)
    after = pain.get(PainCheckIn.Moment.AFTER)
    return SessionRow(
        session=session,
        leg=pain_change(before.leg_pain if before else None, after.leg_pain if after else None),
        back=pain_change(before.back_pain if before else None, after.back_pain if after else None),
        results=[result_row(result, locale) for result in session.results.all()],
        notes=list(session.notes.all()),
    )


def pain_change(before: int | None, after: int | None) -> str:
    if before is None:
        return "–"  # noqa: RUF001 (a dash for "no score", as in the tables)
    return f"{before} → {after}" if after is not None else str(before)


def result_row(result: ExerciseResult, locale: str) -> ResultRow:
    catalogue = load_catalogue()
    dose = result.dose
    reps, sets = done_counts(result)
    if result.completed:
        outcome = _("done, but it hurt") if result.worse else _("done")
    else:
        outcome = str(STOP_WORDS.get(result.stop_reason, _("not finished")))
    return ResultRow(
        name=catalogue.get(result.exercise_id).text(locale).name,
        dose=dose_label(dose, catalogue, locale),
        reps=""
        if dose.is_timed
        else _("%(done)s of %(planned)s") % {"done": reps, "planned": dose.total_reps},
        sets=_("%(done)s of %(planned)s") % {"done": sets, "planned": dose.sets},
        completed=result.completed,
        outcome=outcome,
        light=result.light,
        light_word=str(LIGHT_WORDS.get(result.light, _("not rated yet"))),
    )


def version_rows(patient: Patient, locale: str) -> list[VersionRow]:
    """Every version, newest first, with what changed from the one before it."""
    versions = list(
        patient.prescriptions.select_related("created_by")
        .prefetch_related("items")
        .order_by("number")
    )
    rows = []
    previous: PrescriptionVersion | None = None
    for version in versions:
        rows.append(
            VersionRow(
                version=version,
                source=str(SOURCE_WORDS.get(version.source, version.source)),
                by=person_name(version.created_by) if version.created_by_id else "",
                changes=version_changes(previous, version, locale),
            )
        )
        previous = version
    return rows[::-1]


def version_changes(
    previous: PrescriptionVersion | None, version: PrescriptionVersion, locale: str
) -> list[str]:
    if previous is None:
        return [_("first version")]
    catalogue = load_catalogue()
    before = {item.exercise_id: item for item in previous.items.all()}
    changes = []
    for item in version.items.all():
        old = before.get(item.exercise_id)
        if old is not None and item_key(old) == item_key(item):
            continue
        name = catalogue.get(item.exercise_id).text(locale).name
        was = item_state(old, locale) if old is not None else _("not in the programme")
        line = _("%(name)s: %(was)s → %(now)s") % {
            "name": name,
            "was": was,
            "now": item_state(item, locale),
        }
        if reason := item.reason_in(locale):
            line = f"{line}. {reason}"
        changes.append(line)
    if (previous.sessions_per_day, previous.weekdays) != (
        version.sessions_per_day,
        version.weekdays,
    ):
        changes.append(
            _("Schedule: %(before)s → %(after)s")
            % {"before": schedule_words(previous), "after": schedule_words(version)}
        )
    return changes


def item_key(item: PrescriptionItem) -> tuple[object, ...]:
    return (item.dose, item.enabled, item.locked, item.paused)


def schedule_words(version: PrescriptionVersion) -> str:
    days = sorted(version.weekdays)
    every = len(days) == 7
    per_day = _("%(count)s a day") % {"count": version.sessions_per_day}
    if every:
        return _("%(per_day)s, every day") % {"per_day": per_day}
    names = ", ".join(str(WEEKDAY_NAMES[day]) for day in days)
    return f"{per_day}: {names}"


def template_choices(patient: Patient) -> list[TemplateChoice]:
    built_in = [
        TemplateChoice(f"built-in:{t.key}", str(t.name), str(t.description))
        for t in BUILT_IN.values()
    ]
    saved = [
        TemplateChoice(f"saved:{t.pk}", t.name, _("Saved by the clinic"))
        for t in PrescriptionTemplate.objects.filter(clinic_id=patient.clinic_id)
    ]
    return built_in + saved
