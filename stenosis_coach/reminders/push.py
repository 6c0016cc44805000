"""Push notifications: the app's VAPID key pair, the devices' subscriptions, and sending.

A push is sent encrypted (aes128gcm) through the browser's push service with pywebpush. It
says only that it is time to exercise: no health detail goes in a payload or a log line.
The push service answers 404 or 410 once a subscription has gone; that device is then
forgotten. Any other failure keeps it, so a push service that is down for a while loses
nothing.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import re
from email.utils import parseaddr
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush

from stenosis_coach.patients.models import Patient

from .models import PushSubscription, ReminderPlan, VapidKey

logger = logging.getLogger(__name__)

# A reminder that comes late is no use: the push service drops it after 30 minutes.
PUSH_TTL_SECONDS = 30 * 60
PUSH_URGENCY = "high"
# Seconds to wait for a push service: the sweep runs every minute.
PUSH_TIMEOUT = 10.0
GONE = {404, 410}  # the push service's "this subscription no longer exists"
# What every reminder says. Nothing more: a phone's lock screen is seen by others.
REMINDER_TEXT = _("Time to do your exercises")
REMINDER_TAG = "exercise-reminder"  # a new reminder replaces one not yet seen
TEST_BODY = _("This is how your reminders will look.")

# The browser's keys, base64url: an uncompressed P-256 point, and the auth secret.
P256DH_BYTES = 65
AUTH_BYTES = 16
BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
MAX_ENDPOINT_LENGTH = 1000  # PushSubscription.endpoint
MAX_DEVICE_LENGTH = 100  # PushSubscription.device
NOT_A_SUBSCRIPTION = _("This phone did not send what we need for reminders.")


class VapidKeys(NamedTuple):
    private_key: str  # PEM, or the raw key base64url (as `vapid --gen` tools print it)
    public_key: str  # the uncompressed point, base64url, for applicationServerKey


class BadSubscription(ValueError):
    """A subscription from a browser that cannot be used; `message` is for the patient."""

    def __init__(self, message: Promise, problem: str) -> None:
        super().__init__(problem)
        self.message = message


# --- The VAPID key pair -------------------------------------------------------------------


def vapid_keys() -> VapidKeys:
    """The app's key pair: from VAPID_PRIVATE_KEY (and VAPID_PUBLIC_KEY) when set, else the
    one VapidKey row, made on first use."""
    private = settings.VAPID_PRIVATE_KEY.strip().replace("\\n", "\n")
    if private:
        public = public_key_of(vapid_from(private))
        given = settings.VAPID_PUBLIC_KEY.strip().rstrip("=")
        if given and given != public:
            raise ImproperlyConfigured(
                "VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY. Leave it out "
                "(it is worked out from the private key) or give the matching one."
            )
        return VapidKeys(private, public)
    if settings.VAPID_PUBLIC_KEY.strip():
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY is set without VAPID_PRIVATE_KEY.")
    row = stored_vapid_key()
    return VapidKeys(row.private_key, row.public_key)


def stored_vapid_key() -> VapidKey:
    """The one VapidKey row. Two processes making it at once both insert; the unique
    singleton lets one win, and the other reads the winner's key."""
    row = VapidKey.objects.filter(singleton=True).first()
    if row is not None:
        return row
    vapid = Vapid02()
    vapid.generate_keys()
    try:
        with transaction.atomic():
            return VapidKey.objects.create(
                singleton=True,
                private_key=vapid.private_pem().decode("ascii"),
                public_key=public_key_of(vapid),
            )
    except IntegrityError:
        return VapidKey.objects.get(singleton=True)


def vapid_from(private_key: str) -> Vapid02:
    try:
        if "-----BEGIN" in private_key:
            return Vapid02.from_pem(private_key.encode("ascii"))
        return Vapid02.from_string(private_key)
    except Exception as error:  # py_vapid raises whatever its parser meets
        raise ImproperlyConfigured("VAPID_PRIVATE_KEY is not a P-256 private key.") from error


def public_key_of(vapid: Vapid02) -> str:
    point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return str(b64urlencode(point))


def vapid_subject() -> str:
    """Who the push services may contact about our pushes: the sender address when it is a
    real one, else the site's https address, else the sender address as it is (a local
    server: the push services accept mailto:...@localhost, and never http://)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "coach@localhost"
    if "." in address.rpartition("@")[2] or not settings.SITE_URL.startswith("https://"):
        return f"mailto:{address}"
    return settings.SITE_URL


# --- Subscriptions ------------------------------------------------------------------------


def save_subscription(patient: Patient, data: Any, device: str = "") -> PushSubscription:
    """Keep a browser's PushSubscription (its toJSON()) for `patient`. An endpoint saved
    before for another account moves to this one: the same phone, a new account."""
    endpoint, p256dh, auth = checked_subscription(data)
    fields = {
        "patient": patient,
        "p256dh": p256dh,
        "auth": auth,
        "device": device[:MAX_DEVICE_LENGTH],
    }
    try:
        with transaction.atomic():
            subscription, _created = PushSubscription.objects.update_or_create(
                endpoint=endpoint, defaults=fields
            )
    except IntegrityError:  # the same endpoint saved at the same moment: it is there now
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults=fields
        )
    return subscription


def forget_subscription(patient: Patient, endpoint: str) -> bool:
    """Forget this patient's device with `endpoint` (another account's is left alone).
    True when there was one."""
    deleted, _kinds = PushSubscription.objects.filter(patient=patient, endpoint=endpoint).delete()
    return deleted > 0


def checked_subscription(data: Any) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from a PushSubscription's JSON, or BadSubscription."""
    if not isinstance(data, dict):
        raise BadSubscription(_("This phone sent something we cannot read."), "not an object")
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    endpoint = checked_endpoint(data.get("endpoint"))
    p256dh = checked_key(keys.get("p256dh"), P256DH_BYTES, "p256dh")
    if not base64url_bytes(p256dh).startswith(b"\x04"):
        raise BadSubscription(NOT_A_SUBSCRIPTION, "p256dh is not an uncompressed point")
    auth = checked_key(keys.get("auth"), AUTH_BYTES, "auth")
    return endpoint, p256dh, auth


def checked_endpoint(endpoint: Any) -> str:
    """An https address of a push service. In DEBUG, http://127.0.0.1 too (a test's own
    push service). Never another local address: we send to it from our server."""
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT_LENGTH:
        raise BadSubscription(NOT_A_SUBSCRIPTION, "endpoint missing or too long")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        _port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise BadSubscription(NOT_A_SUBSCRIPTION, "endpoint is not an address") from None
    if settings.DEBUG and parts.scheme == "http" and host == "127.0.0.1":
        return endpoint
    if parts.scheme != "https" or not host or is_local_host(host):
        raise BadSubscription(NOT_A_SUBSCRIPTION, "endpoint is not an https push service")
    return endpoint


def is_local_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def checked_key(value: Any, length: int, name: str) -> str:
    if not isinstance(value, str) or not BASE64URL.fullmatch(value):
        raise BadSubscription(NOT_A_SUBSCRIPTION, f"{name} is not base64url")
    try:
        decoded = base64url_bytes(value)
    except (binascii.Error, ValueError):
        raise BadSubscription(NOT_A_SUBSCRIPTION, f"{name} is not base64url") from None
    if len(decoded) != length:
        raise BadSubscription(NOT_A_SUBSCRIPTION, f"{name} is not {length} bytes")
    return value


def base64url_bytes(value: str) -> bytes:
    value = value.rstrip("=")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


# --- Sending ------------------------------------------------------------------------------


def push_to_patient(
    patient: Patient,
    *,
    title: str | Promise,
    body: str | Promise,
    url: str,
    tag: str = REMINDER_TAG,
) -> int:
    """Send one notification to each of the patient's devices; the number that the push
    services took. Lazy texts are put in the patient's language. Devices answered 404 or
    410 are forgotten; on any other failure the device is kept and a line logged."""
    with translation.override(patient.language):
        payload = json.dumps({"title": str(title), "body": str(body), "url": url, "tag": tag})
    subscriptions = list(PushSubscription.objects.filter(patient=patient))
    if not subscriptions:
        return 0
    keys = vapid_keys()
    signer = vapid_from(keys.private_key)
    delivered: list[int] = []
    gone: list[int] = []
    for subscription in subscriptions:
        outcome = send_one(subscription, payload, signer)
        if outcome == "delivered":
            delivered.append(subscription.pk)
        elif outcome == "gone":
            gone.append(subscription.pk)
    if delivered:
        PushSubscription.objects.filter(pk__in=delivered).update(last_sent_at=timezone.now())
    if gone:
        forget_gone_devices(patient, gone)
    return len(delivered)


@transaction.atomic
def forget_gone_devices(patient: Patient, subscription_ids: list[int]) -> None:
    """Delete the devices the push service no longer knows. With none left, push reminders
    show as off in Settings, which is true: no phone gets them."""
    PushSubscription.objects.filter(patient=patient, pk__in=subscription_ids).delete()
    turn_push_off_without_devices(patient)


def turn_push_off_without_devices(patient: Patient) -> None:
    if not PushSubscription.objects.filter(patient=patient).exists():
        ReminderPlan.objects.filter(patient=patient).update(by_push=False)


def send_reminder(patient: Patient) -> int:
    """The reminder push as the sweep sends it: "Time to do your exercises" and nothing more,
    opening Today (where the session starts, after the weekly safety check when due)."""
    return push_to_patient(patient, title=REMINDER_TEXT, body="", url=reverse("today"))


def send_test_push(patient: Patient) -> int:
    """What a reminder looks like, sent when the patient asks: the same title, and a line
    saying it is a test."""
    return push_to_patient(
        patient, title=REMINDER_TEXT, body=TEST_BODY, url=reverse("today"), tag="test-push"
    )


def send_one(subscription: PushSubscription, payload: str, signer: Vapid02) -> str:
    """ "delivered", "gone" or "failed". Logs only the push service's host and the status."""
    host = urlsplit(subscription.endpoint).hostname
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        webpush(
            info,
            data=payload,
            vapid_private_key=signer,
            vapid_claims={"sub": vapid_subject()},  # a new dict: webpush adds aud and exp
            ttl=PUSH_TTL_SECONDS,
            headers={"Urgency": PUSH_URGENCY},
            timeout=PUSH_TIMEOUT,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            logger.info("Push subscription %s gone (%s from %s)", subscription.pk, status, host)
            return "gone"
        logger.warning("Push to %s failed: %s", host, status or "no answer")
        return "failed"
    except (requests.RequestException, ValueError, TypeError) as error:
        logger.warning("Push to %s failed: %s", host, type(error).__name__)
        return "failed"
    return "delivered"
