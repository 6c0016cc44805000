"""The timed walk is kept in whole seconds, as the patient saw it on the clock, instead of
minutes rounded down to a tenth (7:17 was kept as 7.2, shown as 7 minutes and 12 seconds)."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models


def minutes_to_seconds(apps, schema_editor):  # type: ignore[no-untyped-def]
    WalkingTest = apps.get_model("outcomes", "WalkingTest")
    for walk in WalkingTest.objects.all():
        walk.seconds = round(walk.minutes * 60)
        walk.save(update_fields=["seconds"])


def seconds_to_minutes(apps, schema_editor):  # type: ignore[no-untyped-def]
    WalkingTest = apps.get_model("outcomes", "WalkingTest")
    for walk in WalkingTest.objects.all():
        walk.minutes = (Decimal(walk.seconds) / 60).quantize(Decimal("0.1"))
        walk.save(update_fields=["minutes"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="walkingtest",
            name="seconds",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(minutes_to_seconds, seconds_to_minutes),
        migrations.RemoveConstraint(model_name="walkingtest", name="walk_0_to_30_minutes"),
        # A default, so that going back can add the column again to rows that have one.
        migrations.AlterField(
            model_name="walkingtest",
            name="minutes",
            field=models.DecimalField(decimal_places=1, default=Decimal(0), max_digits=4),
        ),
        migrations.RemoveField(model_name="walkingtest", name="minutes"),
        migrations.AlterField(
            model_name="walkingtest",
            name="seconds",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(1800),
                ]
            ),
        ),
        migrations.AddConstraint(
            model_name="walkingtest",
            constraint=models.CheckConstraint(
                condition=models.Q(("seconds__gte", 0), ("seconds__lte", 1800)),
                name="walk_0_to_30_minutes",
            ),
        ),
    ]
