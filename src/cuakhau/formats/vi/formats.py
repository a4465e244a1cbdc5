"""Vietnamese formats: 5.250 / 27,1 / 05/06/2025, and day-first input (see ../__init__.py for why).

The *_FORMAT strings use Django's date format syntax; the *_INPUT_FORMATS strings use strptime's.
"""

DATE_FORMAT = "d/m/Y"  # 05/06/2025
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "d/m/Y H:i"  # 05/06/2025 14:30
YEAR_MONTH_FORMAT = "m/Y"  # 06/2025
MONTH_DAY_FORMAT = "d/m"  # 05/06
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Thứ Hai

# Day-first only: no month-first form may appear here, or 05/06/2025 could be read as 6 May.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/06/2025, 5/6/2025
    "%d-%m-%Y",  # 05-06-2025
    "%Y-%m-%d",  # 2025-06-05 (ISO; what <input type="date"> sends)
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 14:30
    "%H:%M:%S",  # 14:30:59
    "%H:%M:%S.%f",
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",  # 05/06/2025 14:30
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",  # 05/06/2025 (midnight)
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M",  # ISO, also what <input type="datetime-local"> sends with "T" (Django handles that)
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
