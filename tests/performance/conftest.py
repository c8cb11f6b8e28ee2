"""The query budgets reuse the data builders of the other test packages: the register's
recognitions (each on a new enterprise and unit), the applications' ready draft, the
recognitions' mentors, the API's clients and tokens. Fixtures are found by their name: these
imports make them known here."""

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
