"""Date and number formats for Werkplek (``FORMAT_MODULE_PATH = ["werkplek.formats"]``).

Belgian conventions in both languages: dates ``30/11/2026``, date and time ``30/11/2026 14:05``,
decimal comma and thousands point (``1.234.567,5``). Grouping in templates needs
``USE_THOUSAND_SEPARATOR`` (settings) or the ``g`` suffix of ``floatformat``.
"""
