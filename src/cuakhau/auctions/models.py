"""Online auctions of the right to lease the Board's assets (Law on Property Auction 01/2016/QH14 as
amended; Law on Management and Use of Public Assets 15/2017/QH14 art. 57).

* `RulePack`: the law's numbers as versioned data with effective dates and citations. An auction is
  checked against the pack in force on its decision date, fixed at approval; an amendment is a new pack.
* `Auction`: one session for one asset, through its lifecycle (`Status`).
* `Registration`: an enterprise registered to bid, known to other bidders only by its `label`.
* `DepositEntry`: the ledger of each bidder's deposit: received, then refunded, converted to the
  contract deposit, or forfeited with its legal reason.
* `Bid`: append-only and hash-chained per auction (`chain.py`); withdrawals and drawn lots are entries
  of the same chain, so the published head covers everything that decided the result.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions


class RulePack(models.Model):
    code = models.SlugField(_("mã bộ quy tắc"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    sources = models.TextField(_("văn bản căn cứ"))
    rules = models.JSONField(_("quy tắc"), help_text=_("khóa → {value, citation, verified, note}"))
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bộ quy tắc đấu giá")
        verbose_name_plural = _("bộ quy tắc đấu giá")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.effective_from:%d/%m/%Y})"

    def value(self, key: str):
        return self.rules[key]["value"]

    def cite(self, key: str) -> str:
        return self.rules[key]["citation"]


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")
    POSTED = "posted", _("Đã niêm yết, thông báo")
    REGISTRATION_OPEN = "registration_open", _("Đang nhận đăng ký")
    REGISTRATION_CLOSED = "registration_closed", _("Hết hạn đăng ký")
    DEPOSITS_CHECKED = "deposits_checked", _("Đã kiểm tra tiền đặt trước")
    BIDDERS_FIXED = "bidders_fixed", _("Đã chốt người đủ điều kiện")
    LIVE = "live", _("Đang trả giá")
    SUSPENDED = "suspended", _("Tạm dừng do sự cố kỹ thuật")
    CLOSED = "closed", _("Kết thúc trả giá")
    RECORD_SIGNED = "record_signed", _("Đã ký biên bản")
    RESULTS_SENT = "results_sent", _("Đã gửi kết quả")
    CONTRACTED = "contracted", _("Đã ký hợp đồng thuê")
    UNSUCCESSFUL = "unsuccessful", _("Đấu giá không thành")
    CANCELLED = "cancelled", _("Đã hủy")


TERMINAL = frozenset({Status.CONTRACTED, Status.UNSUCCESSFUL, Status.CANCELLED})
# States the public notices and results pages show.
PUBLIC = frozenset(
    {
        Status.POSTED,
        Status.REGISTRATION_OPEN,
        Status.REGISTRATION_CLOSED,
        Status.DEPOSITS_CHECKED,
        Status.BIDDERS_FIXED,
        Status.LIVE,
        Status.SUSPENDED,
        Status.CLOSED,
        Status.RECORD_SIGNED,
        Status.RESULTS_SENT,
        Status.CONTRACTED,
        Status.UNSUCCESSFUL,
        Status.CANCELLED,
    }
)


class AuctionQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.auction_scope(user, action)


class Auction(models.Model):
    code = models.SlugField(_("mã cuộc đấu giá"), max_length=40, unique=True)
    title = models.CharField(_("tên cuộc đấu giá"), max_length=255)
    asset = models.ForeignKey(
        "assets.Asset", verbose_name=_("tài sản"), on_delete=models.PROTECT, related_name="auctions"
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("đấu giá lại của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reauctions",
    )
    expiring_lease = models.ForeignKey(
        "assets.Lease",
        verbose_name=_("thay hợp đồng sắp hết hạn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_auctions",
    )
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    form = models.CharField(_("hình thức"), max_length=16, default="online")
    method = models.CharField(_("phương thức"), max_length=16, default="ascending")
    starting_price = models.PositiveBigIntegerField(_("giá khởi điểm (đồng/tháng)"))
    step = models.PositiveBigIntegerField(_("bước giá (đồng)"))
    deposit = models.PositiveBigIntegerField(_("tiền đặt trước (đồng)"))
    dossier_fee = models.PositiveBigIntegerField(_("tiền hồ sơ (đồng)"), default=0)
    lease_months = models.PositiveSmallIntegerField(_("thời hạn thuê (tháng)"), default=60)
    session_start = models.DateTimeField(_("thời gian mở phiên"))
    session_minutes = models.PositiveSmallIntegerField(_("thời gian trả giá (phút)"), default=30)
    registration_closes_at = models.DateTimeField(_("hết hạn đăng ký lúc"))
    notice_1_on = models.DateField(_("thông báo công khai lần 1"))
    notice_2_on = models.DateField(_("thông báo công khai lần 2"))
    viewing_from = models.DateField(_("xem tài sản từ ngày"))
    viewing_to = models.DateField(_("xem tài sản đến ngày"))
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    rule_pack = models.ForeignKey(
        RulePack, verbose_name=_("bộ quy tắc áp dụng"), null=True, blank=True, on_delete=models.PROTECT
    )
    approved_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    registration_opened_at = models.DateTimeField(null=True, blank=True)
    registration_closed_at = models.DateTimeField(null=True, blank=True)
    deposits_checked_at = models.DateTimeField(null=True, blank=True)
    bidders_fixed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu trả giá"), null=True, blank=True)
    ends_at = models.DateTimeField(_("kết thúc trả giá"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    tie_round = models.PositiveSmallIntegerField(_("vòng trả giá thêm"), default=0)
    tie_registrations = models.JSONField(default=list, blank=True)
    best_amount = models.PositiveBigIntegerField(null=True, blank=True)
    best_registration = models.ForeignKey(
        "Registration", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bid_count = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(_("mã băm cuối chuỗi"), max_length=64, blank=True)
    chain_published_at = models.DateTimeField(_("công bố mã băm lúc"), null=True, blank=True)
    winner = models.ForeignKey(
        "Registration",
        verbose_name=_("người trúng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    winning_price = models.PositiveBigIntegerField(_("giá trúng (đồng/tháng)"), null=True, blank=True)
    refused_price = models.PositiveBigIntegerField(null=True, blank=True)
    runner_up_offered = models.ForeignKey(
        "Registration", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refunds_due_on = models.DateField(_("hạn trả lại tiền đặt trước"), null=True, blank=True)
    record_number = models.CharField(_("số biên bản"), max_length=64, blank=True)
    record_signed_at = models.DateTimeField(null=True, blank=True)
    results_sent_at = models.DateTimeField(null=True, blank=True)
    lease = models.ForeignKey(
        "assets.Lease",
        verbose_name=_("hợp đồng thuê"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="from_auction",
    )
    outcome_reason = models.CharField(_("lý do"), max_length=500, blank=True)
    outcome_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    created_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc đấu giá")
        verbose_name_plural = _("cuộc đấu giá")
        ordering = ["-session_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(starting_price__gt=0), name="auction_start_price_positive"),
            models.CheckConstraint(condition=Q(step__gt=0), name="auction_step_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC

    def next_minimum(self) -> int:
        return self.starting_price if self.best_amount is None else self.best_amount + self.step


class RegStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    ELIGIBLE = "eligible", _("Đủ điều kiện")
    INELIGIBLE = "ineligible", _("Không đủ điều kiện")
    DISQUALIFIED = "disqualified", _("Bị truất quyền / rút giá")


class RegistrationQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.registration_scope(user, action)


class Registration(models.Model):
    auction = models.ForeignKey(Auction, on_delete=models.PROTECT, related_name="registrations")
    enterprise = models.ForeignKey(
        "parties.Enterprise", on_delete=models.PROTECT, related_name="auction_registrations"
    )
    label = models.CharField(_("mã ẩn danh"), max_length=12)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RegStatus.choices, default=RegStatus.SUBMITTED
    )
    representative = models.CharField(_("người đại diện"), max_length=150)
    deposit_reference = models.CharField(_("mã nộp tiền"), max_length=16, unique=True)
    dossier_fee_paid_at = models.DateTimeField(_("đã nộp tiền hồ sơ lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ghi chú xét điều kiện"), max_length=500, blank=True)
    joined_at = models.DateTimeField(_("vào phiên lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("người đăng ký đấu giá")
        verbose_name_plural = _("người đăng ký đấu giá")
        ordering = ["auction", "label"]
        constraints = [
            models.UniqueConstraint(fields=["auction", "enterprise"], name="registration_once_per_auction"),
            models.UniqueConstraint(fields=["auction", "label"], name="registration_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label  # never the enterprise: this string reaches the audit log and other bidders


class RegistrationDocument(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("tên giấy tờ"), max_length=255)
    file = models.FileField(upload_to="auctions/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class DepositKind(models.TextChoices):
    RECEIVED = "received", _("Đã nhận")
    REFUNDED = "refunded", _("Đã trả lại")
    CONVERTED = "converted", _("Chuyển thành tiền đặt cọc hợp đồng")
    FORFEITED = "forfeited", _("Không được nhận lại")


SETTLING_KINDS = (DepositKind.REFUNDED, DepositKind.CONVERTED, DepositKind.FORFEITED)


class ForfeitReason(models.TextChoices):
    NO_SHOW = "no_show", _("Không tham gia phiên mà không vì sự kiện bất khả kháng")
    DISQUALIFIED = "disqualified", _("Bị truất quyền do vi phạm")
    REFUSED_RECORD = "refused_record", _("Từ chối ký biên bản đấu giá")
    WITHDREW = "withdrew", _("Rút lại giá đã trả")
    REFUSED_WIN = "refused_win", _("Từ chối kết quả trúng đấu giá")


class DepositEntryQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.deposit_scope(user, action)


class DepositEntry(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="deposit_entries")
    kind = models.CharField(_("loại"), max_length=16, choices=DepositKind.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    due_on = models.DateField(_("hạn trả lại"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True)
    reason = models.CharField(_("lý do"), max_length=32, blank=True, choices=ForfeitReason.choices)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    reference = models.CharField(_("chứng từ"), max_length=64, blank=True)
    recorded_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")

    objects = DepositEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán tiền đặt trước")
        verbose_name_plural = _("sổ tiền đặt trước")
        ordering = ["registration", "at", "id"]
        constraints = [
            # One settlement per registration: refunded, converted or forfeited, never two of them.
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(kind__in=["refunded", "converted", "forfeited"]),
                name="deposit_settled_once",
            ),
            models.UniqueConstraint(
                fields=["registration"], condition=Q(kind="received"), name="deposit_received_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.kind} {self.amount}"


class BidKind(models.TextChoices):
    BID = "bid", _("Trả giá")
    WITHDRAWAL = "withdrawal", _("Rút lại giá")
    LOT = "lot", _("Bốc thăm")


class AppendOnly(Exception):
    pass


class Bid(models.Model):
    """One entry of an auction's bid chain. Never updated or deleted (save and delete refuse)."""

    auction = models.ForeignKey(Auction, on_delete=models.PROTECT, related_name="bids")
    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại"), max_length=16, choices=BidKind.choices, default=BidKind.BID)
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="bids")
    amount = models.PositiveBigIntegerField(_("giá trả (đồng)"))
    round = models.PositiveSmallIntegerField(_("vòng"), default=0)
    withdraws_seq = models.PositiveIntegerField(null=True, blank=True)
    placed_at = models.DateTimeField(_("thời điểm máy chủ"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("lượt trả giá")
        verbose_name_plural = _("lượt trả giá")
        ordering = ["auction", "seq"]
        constraints = [models.UniqueConstraint(fields=["auction", "seq"], name="bid_seq_unique")]

    def __str__(self) -> str:
        return f"{self.auction.code} #{self.seq}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("bids are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("bids are append-only")
