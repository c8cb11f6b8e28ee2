import pytest
from django.urls import reverse

from werkplek.catalog import models

pytestmark = pytest.mark.django_db

MODELS = [
    models.Province, models.Municipality, models.PostalCode, models.Sector,
    models.JointCommittee, models.Partnership, models.ExtraDocumentRequirement, models.Programme,
    models.TrainingProvider, models.RoutingRule, models.ContactPoint,
]


@pytest.fixture
def staff_client(admin_client, settings):
    settings.STAFF_TWO_FACTOR = False
    return admin_client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_list_search_and_change_pages(staff_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "a"}).status_code == 200
    obj = model.objects.order_by("pk").first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert staff_client.get(change).status_code == 200


def test_partnership_admin_says_the_rules_are_illustrative(staff_client):
    bouw = models.Partnership.objects.get(code="bouw")
    url = reverse("admin:catalog_partnership_change", args=[bouw.pk])
    content = staff_client.get(url).content.decode()
    assert "extra_documents" in content  # the inline
    assert "not official" in content or "niet officieel" in content
