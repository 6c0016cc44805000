"""`stenosis-coach audit`: one line per read or change of a patient's data by someone else."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.models import AuditEntry
from stenosis_coach.patients.models import Patient


def audit(*args: str) -> list[str]:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue().splitlines()


def logged(who: User, patient: Patient | None, what: str, days_ago: int = 0) -> AuditEntry:
    entry = record_access(who, patient, AuditEntry.READ, what)
    entry.at -= dt.timedelta(days=days_ago)
    entry.save(update_fields=["at"])
    return entry


def test_each_entry_is_one_line_oldest_first(alice: Patient, bob: User, dave: Patient) -> None:
    logged(bob, alice, "/clinic/patients/1/", days_ago=2)
    logged(bob, None, "/clinic/", days_ago=1)
    lines = audit()
    assert len(lines) == 2
    moment, who, action, what = lines[0].split(" ")
    assert dt.datetime.fromisoformat(moment) < dt.datetime.fromisoformat(lines[1].split()[0])
    assert (who, action, what) == ("bob@riverside.example", "read", "/clinic/patients/1/")
    assert lines[1].endswith("bob@riverside.example read /clinic/")


def test_one_patients_entries_from_a_day_on(alice: Patient, bob: User, dave: Patient) -> None:
    alice.user.email = "alice@example.org"
    alice.user.save()
    logged(bob, alice, "old", days_ago=10)
    logged(bob, alice, "new")
    logged(bob, dave, "someone else")
    since = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    lines = audit("--patient", "ALICE@example.org", "--since", since)
    assert [line.split(" ")[-1] for line in lines] == ["new"]
    assert [line.split(" ")[-1] for line in audit("--patient", "alice@example.org")] == [
        "old",
        "new",
    ]


def test_an_unknown_patient_or_a_bad_date_is_a_clear_error(alice: Patient) -> None:
    with pytest.raises(CommandError, match="no patient with the e-mail nobody@example"):
        audit("--patient", "nobody@example.org")
    with pytest.raises(CommandError, match="--since needs a date like"):
        audit("--since", "last week")
