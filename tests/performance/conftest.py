"""The query budgets reuse the data builders of the other test packages: the register's
recognitions (each on a new enterprise and unit), the applications' ready draft, the
recognitions' mentors, the API's clients and tokens. Fixtures are found by their name: these
imports make them known here."""

import pytest

from tests.api.conftest import api, as_handler, bouw, handler, handler_token  # noqa: F401
from tests.applications.conftest import (  # noqa: F401
    construction_unit,
    dakwerker,
    draft,
    ready_draft,
)
from tests.recognitions.conftest import make_mentor  # noqa: F401
from tests.register.conftest import (  # noqa: F401
    fresh_places,
    make_recognition,
    make_unit,
    today,
)


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """The budgets count the queries of rendering a page: the register's pages are not served
    whole from the cache here (a kept page costs one query: tests/register/test_page_cache.py)."""
    settings.WERKPLEK_PAGE_CACHE = False
