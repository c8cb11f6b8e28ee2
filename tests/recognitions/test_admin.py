"""The admin shows recognitions but never changes them: only the decision services do."""

from django.urls import reverse


def test_the_admin_lists_recognitions_read_only(client, demo_user):
    client.force_login(demo_user("beheer"))
    assert client.get(reverse("admin:recognitions_recognition_changelist")).status_code == 200
    assert client.get(reverse("admin:recognitions_recognition_add")).status_code == 403
