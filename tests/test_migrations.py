"""The migrations match the models, and the demo loader refuses production."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_demo_data_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo_data")
