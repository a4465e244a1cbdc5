"""Read-only back-office views: every change goes through the services and their audit events."""

from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import Auction, Bid, DepositEntry, Registration, RulePack


@admin.register(RulePack)
class RulePackAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "effective_from"]


@admin.register(Auction)
class AuctionAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "status", "session_start", "winning_price"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["auction", "label", "enterprise", "status"]


@admin.register(DepositEntry)
class DepositEntryAdmin(ReadOnlyAdmin):
    list_display = ["registration", "kind", "amount", "at", "due_on", "on_time", "reason"]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ["auction", "seq", "kind", "registration", "amount", "placed_at"]
