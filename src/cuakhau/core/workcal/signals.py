"""Any write to the calendar tables, by the service, the admin or a shell, drops the cached day sets."""

from django.db.models.signals import post_delete, post_save

from ..models import CalendarDay, CalendarYear
from .calendar import calendar_changed


def _changed(sender, **kwargs):
    calendar_changed()


for _model in (CalendarYear, CalendarDay):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"workcal-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"workcal-delete-{_model.__name__}")
