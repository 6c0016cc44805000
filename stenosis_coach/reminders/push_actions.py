"""Writes the push endpoints make: a device subscribed or forgotten, with the patient's
reminder plan kept in step (push reminders are on while a device is subscribed). Each runs
in one transaction, so the plan never says "on" for a device that was not saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stenosis_coach.patients.models import Patient

from .models import PushSubscription, ReminderPlan
from .push import forget_subscription, save_subscription, turn_push_off_without_devices


@transaction.atomic
def do_subscribe(patient: Patient, data: Any, device: str = "") -> PushSubscription:
    """Save this device's subscription and turn push reminders on (BadSubscription, and
    nothing changed, when the browser's data cannot be used)."""
    subscription = save_subscription(patient, data, device)
    plan, _created = ReminderPlan.objects.get_or_create(patient=patient)
    if not plan.by_push:
        plan.by_push = True
        plan.save(update_fields=["by_push", "updated_at"])
    return subscription


@transaction.atomic
def do_unsubscribe(patient: Patient, endpoint: str) -> bool:
    """Forget this device; with no device left, push reminders are off. True when the
    device was known."""
    forgotten = forget_subscription(patient, endpoint)
    turn_push_off_without_devices(patient)
    return forgotten
