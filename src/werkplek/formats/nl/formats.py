"""Dutch (Belgium) formats. The English module imports these: Belgian conventions in both."""

DATE_FORMAT = "d/m/Y"  # 30/11/2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "d/m/Y H:i"  # 30/11/2026 14:05
YEAR_MONTH_FORMAT = "F Y"  # november 2026
MONTH_DAY_FORMAT = "j F"  # 30 november
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Parsing: the first format is the one shown in inputs.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 30/11/2026
    "%d-%m-%Y",  # 30-11-2026
    "%d.%m.%Y",  # 30.11.2026
    "%d/%m/%y",  # 30/11/26
    "%Y-%m-%d",  # 2026-11-30 (ISO, from the API and browsers)
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 14:05
    "%H:%M:%S",  # 14:05:30
    "%H.%M",  # 14.05
    "%Hu%M",  # 14u05
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
