"""The second step's devices (django-otp): one authenticator app (TOTP) per account, and
10 one-time recovery codes."""

from __future__ import annotations

import re
from base64 import b32encode
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


def app_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def new_app_device(user: User) -> TOTPDevice:
    """The one app device waiting to be confirmed (made once, so a reload shows the same
    secret)."""
    device = app_device(user, confirmed=False)
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def set_up_for_demo(user: User) -> str:
    """A confirmed app device for a demo account; its secret (base32), to type into an app."""
    device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=True)
    return base32_secret(device)


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


@transaction.atomic
def make_recovery_codes(user: User) -> list[str]:
    """10 new one-time codes (the old ones stop working)."""
    device, _made = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def device_for_code(user: User, code: str) -> Any:
    """The device the code is right for (an app code, or a recovery code, used up), or None."""
    for device in [app_device(user), StaticDevice.objects.filter(user=user).first()]:
        if device is not None and device.verify_token(code):
            return device
    return None


def remove_devices(user: User) -> int:
    """Remove the account's app (set up or half set up) and its recovery codes; the next
    log-in has no second step until a new app is set up. Returns how many devices went."""
    apps, _kinds = TOTPDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.filter(user=user)
    how_many = apps + recovery.count()
    recovery.delete()  # and its codes with it
    return how_many


CODE_SHAPES = (re.compile(r"[0-9]{6}"), re.compile(r"[a-z2-7]{8}"))


def password_or_code_is_right(user: User, typed: str) -> bool:
    """The account's password, or a right code from the app or a recovery code (used up).
    Only something shaped like a code is tried as one, so a wrong password never counts
    as a wrong code (django-otp makes the app wait longer after each wrong code)."""
    if typed and user.check_password(typed):
        return True
    code = "".join(typed.split()).lower()
    if not any(shape.fullmatch(code) for shape in CODE_SHAPES):
        return False
    return device_for_code(user, code) is not None
