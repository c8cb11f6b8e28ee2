import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Dutch catalogue is checked separately."""
    with translation.override("en"):
        yield
