"""Back-office views of plans, directives and feedback. Read-only: every change goes through the
services (and their audit events)."""

from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import Action, Directive, Feedback, Notification, Plan, Task


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "status", "evaluation_reference"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["plan", "kind", "number", "title", "lead_unit", "deadline", "status", "evaluation"]
    list_filter = ["kind", "status", "evaluation"]


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = ["given_on", "leader", "meeting", "reference"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["directive", "number", "title", "owner_unit", "due_date", "status"]
    list_filter = ["status"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "message", "created_at", "read_at"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["submitted_at", "unit", "staff", "subject_type", "rating"]
    exclude = ["sender_hash"]
