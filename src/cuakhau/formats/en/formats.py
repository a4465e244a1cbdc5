"""English pages of a Vietnamese platform: Django's `en` formats, except that dates are never month-first.

Names not set here come from django/conf/locale/en/formats.py (5,250.5; "June 5, 2025").
"""

from cuakhau.formats.vi.formats import DATE_INPUT_FORMATS as _VI_DATE_INPUT
from cuakhau.formats.vi.formats import DATETIME_INPUT_FORMATS as _VI_DATETIME_INPUT

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = list(_VI_DATE_INPUT)
DATETIME_INPUT_FORMATS = list(_VI_DATETIME_INPUT)
