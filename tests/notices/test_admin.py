"""The admin shows letters and deliveries, and changes none of them."""

import pytest
from django.urls import reverse

from werkplek.notices.models import Delivery, Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(admin_client, settings):
    settings.STAFF_TWO_FACTOR = False
    return admin_client


@pytest.mark.parametrize("model", [Letter, Delivery], ids=lambda m: m.__name__)
def test_list_search_and_read_only_detail(staff_client, approved, prepared, model):
    prepared(approved)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": approved.reference}).status_code == 200
    obj = model.objects.order_by("pk").first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = staff_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # nothing to save: read only
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert staff_client.get(add).status_code == 403
