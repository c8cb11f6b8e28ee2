"""Every delivery names its application; the receipt and each notice reach an address once; a
delivery's purpose matches what it carries."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notices", "0002_letter_state_delivery_purpose"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="application",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="deliveries", to="applications.application",
                                    verbose_name="application"),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(condition=models.Q(("purpose", "receipt")),
                                               fields=("application", "email"),
                                               name="one_receipt_per_address"),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(condition=models.Q(("event__isnull", False)),
                                               fields=("event", "email"),
                                               name="one_notice_per_address"),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("event__isnull", True), ("letter__isnull", False),
                             ("purpose", "letter")),
                    models.Q(("event__isnull", True), ("letter__isnull", True),
                             ("purpose", "receipt")),
                    models.Q(("event__isnull", False), ("letter__isnull", True),
                             ("purpose__in", ["completion_request", "lapse", "message"])),
                    _connector="OR"),
                name="delivery_purpose_matches_subject"),
        ),
    ]
