"""Letters get a state and a record of failed attempts; deliveries carry any e-mail of an
application (the letter, the receipt, the notices), so they name their application and purpose.
The data step is last: on PostgreSQL the column becomes required in the next migration, in its
own transaction."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    Delivery = apps.get_model("notices", "Delivery")
    Letter = apps.get_model("notices", "Letter")
    Delivery.objects.filter(application__isnull=True).update(
        application_id=models.Subquery(Letter.objects.filter(pk=models.OuterRef("letter_id"))
                                       .values("application_id")[:1]))
    # A letter already rendered was handed to its deliveries in the same run of its task.
    Letter.objects.exclude(file="").update(state="ready", attempts=1, round_attempts=1)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0006_event_mandate_checked"),
        ("notices", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="delivery",
            options={"ordering": ["pk"], "verbose_name": "delivery",
                     "verbose_name_plural": "deliveries"},
        ),
        migrations.AddField(
            model_name="delivery",
            name="application",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="deliveries", to="applications.application",
                                    verbose_name="application"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="event",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="deliveries",
                                    to="applications.applicationevent", verbose_name="event"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="purpose",
            field=models.CharField(choices=[("letter", "decision letter"), ("receipt", "receipt"),
                                            ("completion_request", "completion request"),
                                            ("lapse", "lapse notice"), ("message", "message")],
                                   default="letter", max_length=20, verbose_name="e-mail"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="letter",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="deliveries", to="notices.letter",
                                    verbose_name="letter"),
        ),
        migrations.AddField(
            model_name="letter",
            name="state",
            field=models.CharField(choices=[("pending", "being prepared"), ("ready", "ready"),
                                            ("failed", "failed")],
                                   default="pending", max_length=10, verbose_name="state"),
        ),
        migrations.AddField(
            model_name="letter",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AddField(
            model_name="letter",
            name="round_attempts",
            field=models.PositiveSmallIntegerField(default=0,
                                                   verbose_name="attempts in this round"),
        ),
        migrations.AddField(
            model_name="letter",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="last error"),
        ),
        migrations.AddField(
            model_name="letter",
            name="retry_requested_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL,
                                    verbose_name="new attempt asked by"),
        ),
        migrations.AddField(
            model_name="letter",
            name="retry_requested_at",
            field=models.DateTimeField(blank=True, null=True,
                                       verbose_name="new attempt asked at"),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["state", "created_at"], name="letter_state_idx"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
