"""Trade statistics: exchange rates, imported statistics kept as named series, the rollups that make
ten years of figures fast, and the turnover computed from declarations (a separate source).

Two sources, never mixed:
(a) computed: declared values of goods lines converted to USD by the rate table (ComputedTurnover,
    rebuilt from the traffic app's selectors by `services.computed_refresh`);
(b) imported: customs statistics and published figures, one `Series` each (StatRow, StatRollup).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions


class SeriesKind(models.TextChoices):
    TURNOVER = "turnover", _("Kim ngạch")
    METRIC = "metric", _("Chỉ tiêu khác")


class Granularity(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")
    PERIOD = "period", _("Kỳ khác (lũy kế)")


class StatUnit(models.TextChoices):
    USD = "usd", "USD"
    THOUSAND_USD = "thousand_usd", _("nghìn USD")
    MILLION_USD = "million_usd", _("triệu USD")
    VND = "vnd", _("đồng")
    MILLION_VND = "million_vnd", _("triệu đồng")
    BILLION_VND = "billion_vnd", _("tỷ đồng")
    COUNT = "count", _("số lượng")


# unit -> (base unit, factor): amounts are stored in USD, VND or a count, so that rows given in
# different units add up.
UNIT_BASE: dict[str, tuple[str, int]] = {
    StatUnit.USD: ("usd", 1),
    StatUnit.THOUSAND_USD: ("usd", 1_000),
    StatUnit.MILLION_USD: ("usd", 1_000_000),
    StatUnit.VND: ("vnd", 1),
    StatUnit.MILLION_VND: ("vnd", 1_000_000),
    StatUnit.BILLION_VND: ("vnd", 1_000_000_000),
    StatUnit.COUNT: ("count", 1),
}


class Metric(models.TextChoices):
    TURNOVER_TOTAL = "turnover_total", _("Tổng kim ngạch")
    TURNOVER_EXPORT = "turnover_export", _("Kim ngạch xuất khẩu")
    TURNOVER_IMPORT = "turnover_import", _("Kim ngạch nhập khẩu")
    FEE_REVENUE = "infrastructure_fee_revenue", _("Thu phí hạ tầng cửa khẩu")
    KEY_TASKS_TOTAL = "key_tasks_total", _("Nhiệm vụ trọng tâm")
    KEY_TASKS_CLEAR = "key_tasks_clear_result", _("Hoàn thành, có kết quả rõ nét")
    KEY_TASKS_UNCLEAR = "key_tasks_completed_unclear", _("Hoàn thành, chưa rõ nét")
    KEY_TASKS_NOT_DONE = "key_tasks_not_completed", _("Chưa hoàn thành")
    PLANNED_TASKS = "planned_tasks_and_solutions", _("Nhiệm vụ, giải pháp năm sau")


DIRECTION_METRICS = {"export": Metric.TURNOVER_EXPORT, "import": Metric.TURNOVER_IMPORT}


class GoodsFlow(models.TextChoices):
    """The goods flows, with the same codes as the declarations and the fee engine."""

    EXPORT = "export", _("Xuất khẩu")
    IMPORT = "import", _("Nhập khẩu")
    TEMP_IMPORT_REEXPORT = "temp_import_reexport", _("Tạm nhập tái xuất")
    TEMP_EXPORT_REIMPORT = "temp_export_reimport", _("Tạm xuất tái nhập")
    BONDED = "bonded", _("Hàng gửi kho ngoại quan")
    TRANSIT = "transit", _("Quá cảnh")
    TRANSSHIPMENT = "transshipment", _("Chuyển tải tại bãi")
    BORDER_RESIDENT = "border_resident", _("Mua bán, trao đổi cư dân biên giới")


class SeriesQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.series_scope(user, action)


class Series(models.Model):
    """A named statistics series. 'all_through_gates' and 'declared_at_langson_customs' count
    different things (2023: 51,990.563 vs 4,975 million USD) and are never added together."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=SeriesKind.choices, default=SeriesKind.TURNOVER)
    description = models.TextField(_("mô tả"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuỗi số liệu")
        verbose_name_plural = _("chuỗi số liệu")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class RateQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.rate_scope(user, action)


class ExchangeRate(models.Model):
    """The State Bank's central rate: how many đồng one unit of `currency` is worth on `day`.
    A day without a rate uses the latest earlier one."""

    day = models.DateField(_("ngày"))
    currency = models.CharField(_("tiền tệ"), max_length=3)
    vnd_per_unit = models.DecimalField(_("số đồng cho một đơn vị"), max_digits=18, decimal_places=4)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    objects = RateQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỷ giá")
        verbose_name_plural = _("tỷ giá")
        ordering = ["-day", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["day", "currency"], name="trade_rate_day_currency"),
            models.CheckConstraint(condition=Q(vnd_per_unit__gt=0), name="trade_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.day:%d/%m/%Y}: {self.vnd_per_unit}"


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã nhập")
    REFUSED = "refused", _("Bị từ chối")


class ImportBatchQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.batch_scope(user, action)


class ImportBatch(models.Model):
    """One import of a statistics file into a series. All or nothing: a refused batch has errors and
    no rows."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="batches")
    filename = models.CharField(_("tệp"), max_length=255)
    # The uploader's language, in which the file's numbers are read (5.250,5 in "vi", 5,250.5 in
    # "en"/"zh"), whoever's request or worker checks the next chunk.
    number_language = models.CharField(_("ngôn ngữ viết số"), max_length=8, default="vi")
    upload = models.FileField(_("tệp tải lên"), upload_to="trade/imports/%Y/%m/", blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=BatchStatus.choices, default="pending")
    total_lines = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_lines = models.PositiveIntegerField(_("đã xử lý"), default=0)
    row_count = models.PositiveIntegerField(_("số dòng đã nhập"), default=0)
    replaced_count = models.PositiveIntegerField(_("số dòng cũ được thay"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập số liệu")
        verbose_name_plural = _("lần nhập số liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.series.code}: {self.filename}"

    @property
    def percent(self) -> int:
        if not self.total_lines:
            return 100 if self.status in (BatchStatus.DONE, BatchStatus.REFUSED) else 0
        return min(100, round(100 * self.processed_lines / self.total_lines))


class StatRowQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.stat_scope(user, action)


class StatRow(models.Model):
    """One imported figure: a series' metric for a period, optionally broken down by gate, goods flow
    and HS chapter ('' means not broken down). Month rows are the detail the statistics pages add up;
    quarter, year and other-period rows are headline figures as published (`derived` marks the ones
    computed from a published figure, e.g. 2016 = 2017 / growth)."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="rows")
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="rows"
    )
    metric = models.CharField(_("chỉ tiêu"), max_length=40, choices=Metric.choices)
    granularity = models.CharField(_("kỳ"), max_length=8, choices=Granularity.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    gate_code = models.CharField(_("cửa khẩu"), max_length=40, blank=True)
    flow = models.CharField(_("loại hình"), max_length=32, blank=True)
    hs_chapter = models.CharField(_("chương HS"), max_length=2, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("đơn vị"), max_length=16, choices=StatUnit.choices)
    amount = models.DecimalField(_("giá trị quy đổi (USD, đồng, số lượng)"), max_digits=26, decimal_places=4)
    yoy_percent = models.DecimalField(
        _("tăng so với cùng kỳ (%) công bố"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    derived = models.BooleanField(_("số suy ra"), default=False)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)

    objects = StatRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("dòng số liệu thống kê")
        verbose_name_plural = _("dòng số liệu thống kê")
        ordering = ["series", "period_start", "metric", "gate_code", "flow", "hs_chapter"]
        indexes = [
            models.Index(fields=["series", "granularity", "period_start"], name="trade_row_series_period")
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.metric} {self.period_start}: {self.value} {self.unit}"


ALL = "*"  # a rollup key meaning "every value of this dimension"


class StatRollup(models.Model):
    """Month totals of the month rows of a series, per grouping: all ('*' everywhere), by gate, by
    flow, by HS chapter, by gate and flow, by gate and chapter. Rebuilt for the months an import
    touches, inside the import's transaction, so a year of ten years' data is 12-ish index reads."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=40)
    month = models.DateField()
    gate_code = models.CharField(max_length=40)
    flow = models.CharField(max_length=32)
    hs_chapter = models.CharField(max_length=2)
    amount = models.DecimalField(max_digits=28, decimal_places=4)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "metric", "gate_code", "flow", "hs_chapter", "month"],
                name="trade_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.metric} {self.month} {self.gate_code}/{self.flow}/{self.hs_chapter}"


class ComputedTurnover(models.Model):
    """Source (a): declared values of goods lines, converted to USD at the rate of the day the goods
    crossed, summed per month, gate, direction, flow and HS chapter (`by_enterprise` false: the rollup
    the Board's pages and reports read, a few hundred rows a month at any traffic), the same per
    enterprise (`by_enterprise` true: enterprise users' pages), and each enterprise's month total
    (`by_enterprise` true, gate, flow and chapter '*': the table by enterprise). Rebuilt
    from the traffic app's selectors by `services.computed_refresh`."""

    month = models.DateField()
    gate_code = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=8)  # export | import
    flow = models.CharField(max_length=32, blank=True)
    hs_chapter = models.CharField(max_length=2, blank=True)
    by_enterprise = models.BooleanField(default=False)
    enterprise_id = models.BigIntegerField(null=True, blank=True)
    enterprise_name = models.CharField(max_length=255, blank=True)
    usd = models.DecimalField(max_digits=26, decimal_places=4)
    unconverted = models.PositiveIntegerField(default=0)  # lines without a rate for their currency
    line_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["by_enterprise", "month", "gate_code"], name="trade_computed_grain_month"),
            models.Index(fields=["enterprise_id", "month"], name="trade_computed_ent"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.gate_code} {self.direction}: {self.usd} USD"


class StagedRow(models.Model):
    """A checked row of a web import still in progress. Moved into StatRow in one transaction when
    the whole file has been checked without error; deleted when the import is refused."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="staged")
    line = models.PositiveIntegerField()
    metric = models.CharField(max_length=40)
    granularity = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    gate_code = models.CharField(max_length=40, blank=True)
    flow = models.CharField(max_length=32, blank=True)
    hs_chapter = models.CharField(max_length=2, blank=True)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    unit = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=26, decimal_places=4)
    yoy_percent = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    derived = models.BooleanField(default=False)
    source = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"
