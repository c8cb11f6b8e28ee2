"""Action URLs answer a GET with the page the action belongs to, never a bare 405."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["case_decide", "case_propose", "case_vote", "case_assign"])
def test_a_get_on_a_case_action_goes_to_the_case(client, demo_user, name):
    client.force_login(demo_user("behandelaar-bouw"))
    response = client.get(reverse(f"applications:{name}", args=[7]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[7])


def test_a_get_on_a_draft_action_goes_to_the_application(client, demo_user):
    client.force_login(demo_user("werkgever"))
    response = client.get(reverse("applications:remove_mentor", args=[3, 9]))
    assert response["Location"] == reverse("applications:detail", args=[3])
    response = client.get(reverse("applications:submit", args=[3]))
    assert response["Location"] == reverse("applications:detail", args=[3])


def test_a_post_still_reaches_the_action(client, demo_user):
    client.force_login(demo_user("behandelaar-bouw"))
    response = client.post(reverse("applications:case_decide", args=[999999]))
    assert response.status_code == 404  # the case does not exist: the view itself answered
