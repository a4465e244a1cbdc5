"""Simplified Chinese pages: Django's `zh_Hans` formats (2025年6月5日), with thousands grouped by commas
and day-first input accepted beside the year-first forms.

Names not set here come from django/conf/locale/zh_Hans/formats.py.
"""

from django.conf.locale.zh_Hans import formats as _django

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = [*_django.DATE_INPUT_FORMATS, "%d/%m/%Y", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = [*_django.DATETIME_INPUT_FORMATS, "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"]
