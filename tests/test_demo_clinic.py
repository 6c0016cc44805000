"""`stenosis-coach demo --clinic`: a demo clinic made through the real actions, whose
patients between them raise every alert rule. The command runs once (it makes ~30
patients); one test reads everything it made."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from base64 import b32decode
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from stenosis_coach.clinic.demo import free_clinic_name
from stenosis_coach.clinic.models import Alert, Invitation, Message, StaffMember
from stenosis_coach.clinic.rules import RULES
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import current_prescription

LINE = re.compile(r"^(admin|therapist|patient) (\S+@\S+) (\S+) ([A-Z2-7]+=*)$")


def run_demo() -> list[tuple[str, str, str, str]]:
    out = StringIO()
    call_command("demo", "--clinic", stdout=out)
    lines = out.getvalue().splitlines()
    accounts = []
    for line in lines:
        match = LINE.match(line)
        assert match, f"not ROLE EMAIL PASSWORD TOTP_SECRET: {line!r}"
        accounts.append((match[1], match[2], match[3], match[4]))
    return accounts


def leg_pain_down(patient: Patient) -> float:
    """How much lower the median leg pain before sessions is in the last week than in the
    first week."""
    before = PainCheckIn.objects.filter(patient=patient, moment=PainCheckIn.Moment.BEFORE)
    times = sorted(before.values_list("recorded_at", "leg_pain"))
    first = [leg for at, leg in times if at < times[0][0] + dt.timedelta(days=7)]
    last = [leg for at, leg in times if at > times[-1][0] - dt.timedelta(days=7)]
    return statistics.median(first) - statistics.median(last)


@pytest.mark.django_db
def test_the_demo_clinic() -> None:
    accounts = run_demo()
    roles = [role for role, *_rest in accounts]
    assert roles.count("admin") == 1
    assert roles.count("therapist") == 2
    assert 25 <= roles.count("patient") <= 35
    assert roles[:3] == ["admin", "therapist", "therapist"]

    # Every password is generated, readable, long enough, and logs in; every account has
    # its own authenticator-app secret, whose codes pass the second step.
    passwords = [password for _role, _email, password, _secret in accounts]
    assert len(set(passwords)) == len(passwords)
    assert len({secret for *_rest, secret in accounts}) == len(accounts)
    for _role, email, password, _secret in accounts:
        assert len(password) >= 12
        login = Client().post("/login/", {"username": email, "password": password})
        assert login.status_code == 302, email
    _role, email, password, secret = accounts[1]  # a therapist
    therapist = Client()
    therapist.post("/login/", {"username": email, "password": password})
    code = totp(b32decode(secret))
    assert therapist.post("/clinic/two-step/", {"code": f"{code:06d}"}).status_code == 302
    assert therapist.get("/clinic/").status_code == 200

    clinic = Clinic.objects.get(name="Demo Clinic")
    admin_email = accounts[0][1]
    assert StaffMember.objects.get(user__email=admin_email, clinic=clinic).is_admin
    therapists = {email for role, email, *_ in accounts if role == "therapist"}
    assert (
        set(
            StaffMember.objects.filter(clinic=clinic, role=StaffMember.THERAPIST).values_list(
                "user__email", flat=True
            )
        )
        == therapists
    )

    # Every patient joined through a therapist's invitation code, and shares.
    patients = list(
        Patient.objects.filter(user__email__in=[e for r, e, *_ in accounts if r == "patient"])
    )
    assert len(patients) == roles.count("patient")
    used = Invitation.objects.filter(clinic=clinic, used_by__in=patients)
    assert used.count() == len(patients)
    for patient in patients:
        assert patient.clinic == clinic
        assert patient.sharing_since is not None
        assert patient.therapist.staff.clinic == clinic
        assert patient.onboarded_at < timezone.now() - dt.timedelta(days=2)

    # Varied histories over the last ~8 weeks.
    now = timezone.now()
    oldest = min(p.sessions.order_by("started_at").first().started_at for p in patients)
    assert now - oldest > dt.timedelta(days=49)
    inactive = [
        p
        for p in patients
        if p.sessions.order_by("-started_at").first().started_at < now - dt.timedelta(days=13)
    ]
    assert len(inactive) >= 2
    schedules = [current_prescription(p).weekdays for p in patients]
    assert [0, 2, 4] in schedules
    doing_well = [p for p in patients if leg_pain_down(p) >= 2]
    assert len(doing_well) >= 4
    assert {p.therapist.email for p in patients} >= therapists

    # Between them, the histories raise every kind of alert, in this clinic.
    alerts = Alert.objects.filter(patient__clinic=clinic)
    raised = set(alerts.values_list("rule", flat=True))
    missing = set(RULES) - raised
    assert not missing, f"no demo patient raises {sorted(missing)}"
    assert not Alert.objects.exclude(patient__clinic=clinic).exists()
    # And the patients doing well raise none.
    assert not alerts.filter(patient__in=doing_well).exclude(rule="no_sessions").exists()
    # Every patient has e-mail and calendar reminders on.
    for patient in patients:
        assert patient.reminders.by_email, patient.pk
        assert patient.reminders.calendar_token, patient.pk
    # Some have a message from their therapist on Today.
    assert Message.objects.filter(patient__clinic=clinic, to_patient=True).count() >= 5


def test_a_second_demo_clinic_gets_a_new_name(db: None) -> None:
    assert free_clinic_name() == "Demo Clinic"
    Clinic.objects.create(name="Demo Clinic")
    assert free_clinic_name() == "Demo Clinic 2"
    Clinic.objects.create(name="Demo Clinic 2")
    assert free_clinic_name() == "Demo Clinic 3"


def test_the_clinic_demo_makes_its_own_passwords(db: None) -> None:
    with pytest.raises(CommandError, match="--password"):
        call_command("demo", "--clinic", "--password", "given-pass-42", stdout=StringIO())
    assert not User.objects.exists()
