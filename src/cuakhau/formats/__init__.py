"""The project's own locale formats (settings.FORMAT_MODULE_PATH = ["cuakhau.formats"]).

Django looks here first for the active language (`vi`, `en`, `zh_Hans`) and falls back to its own
module for any name a file here leaves out. Why each file exists:

* vi: Django's `vi` leaves NUMBER_GROUPING unset (so 5250 shows as 5250, not 5.250) and has no
  DATE_INPUT_FORMATS, so forms fall back to the month-first defaults and read 05/06/2025 as 6 May.
* en: Django's `en` reads 05/06/2025 as 6 May too, and shows short dates month-first. On a Vietnamese
  platform a date typed on the English page must mean the same day as on the Vietnamese page, so input
  is day-first or ISO, and short dates are day-first. Long dates ("June 5, 2025") stay as Django has them.
* zh_Hans: Django shows 645262000000 with no separators at all; Chinese financial writing groups
  thousands with commas (645,262,000,000). Year-first input stays; day-first input is accepted as well,
  since Django's zh list has no month-first form it could be confused with.
"""
