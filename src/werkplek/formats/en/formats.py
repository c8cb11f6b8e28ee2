"""English formats: the Belgian conventions of the Dutch module (30/11/2026, 1.234.567,5)."""

from werkplek.formats.nl.formats import *  # noqa: F403

TIME_INPUT_FORMATS = [
    "%H:%M",  # 14:05
    "%H:%M:%S",  # 14:05:30
    "%H.%M",  # 14.05
]
