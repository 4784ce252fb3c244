from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backancity.numbers import NumberFormatter
from periods.models import ReportedFigure, ReportedFigureQuerySet


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Càng cao càng tốt")
    LOWER_IS_BETTER = "lower", _("Càng thấp càng tốt")


class ValueType(models.TextChoices):
    NUMBER = "number", _("Số tuyệt đối")
    RATIO = "ratio", _("Tỷ lệ (tử số / mẫu số)")


class IndicatorQuerySet(models.QuerySet):
    def for_unit(self, unit):
        return self.filter(responsible_unit=unit)

    def with_catalogue(self):
        return self.select_related("responsible_unit", "field")


class Indicator(models.Model):
    """A yearly indicator the resolution follows, with its baseline and targets.

    Values are reported per quarter, cumulative from the start of the year (or as at the
    end of the quarter for stocks such as business households): the fourth quarter's
    value is the year's actual.
    """

    code = models.SlugField(_("mã chỉ tiêu"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=400)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    direction = models.CharField(
        _("chiều đánh giá"), max_length=10, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    value_type = models.CharField(_("kiểu giá trị"), max_length=10, choices=ValueType.choices, default=ValueType.NUMBER)
    numerator_label = models.CharField(_("tử số"), max_length=200, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=200, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=0)
    baseline_year = models.PositiveSmallIntegerField(_("năm gốc"), null=True, blank=True)
    baseline_value = models.DecimalField(_("giá trị năm gốc"), max_digits=20, decimal_places=4, null=True, blank=True)
    responsible_unit = models.ForeignKey(
        "units.OrganisationUnit", verbose_name=_("đơn vị chịu trách nhiệm"), on_delete=models.PROTECT, related_name="indicators"
    )
    field = models.ForeignKey(
        "resolutions.Field", verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="indicators"
    )
    resolution = models.ForeignKey(
        "resolutions.Resolution",
        verbose_name=_("nghị quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    description = models.TextField(_("ghi chú"), blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["field__sort_order", "sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | Q(baseline_year__isnull=False, baseline_value__isnull=False),
                name="indicator_baseline_year_and_value_together",
                violation_error_message=_("Năm gốc và giá trị năm gốc phải nhập cùng nhau."),
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__lte=4),
                name="indicator_decimal_places_max_4",
                violation_error_message=_("Tối đa 4 chữ số thập phân."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_ratio(self) -> bool:
        return self.value_type == ValueType.RATIO

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER_IS_BETTER

    @property
    def is_rate(self) -> bool:
        return self.is_ratio or self.unit_of_measure == "%"

    def format_value(self, value, formatter: NumberFormatter | None = None) -> str:
        """4.086 (to the indicator's decimals); rates as 58,37%."""
        if value is None:
            return ""
        formatter = formatter or NumberFormatter()
        if self.is_rate:
            return formatter.percent(value, self.decimal_places or 2)
        return formatter.number(value, self.decimal_places)

    def format_with_unit(self, value, formatter: NumberFormatter | None = None) -> str:
        """4.086 hộ; a rate carries its % already: 58,37%."""
        text = self.format_value(value, formatter)
        if not text or self.is_rate:
            return text
        return f"{text} {self.unit_of_measure}"


class IndicatorTarget(models.Model):
    """The plan (kế hoạch) for a year, e.g. the resolution's 2025 and 2030 targets."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("chỉ tiêu kế hoạch"), max_digits=20, decimal_places=4)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kế hoạch chỉ tiêu")
        verbose_name_plural = _("kế hoạch chỉ tiêu")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="indicator_target_year_in_range",
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}"


class ValueKind(models.TextChoices):
    ESTIMATE = "estimate", _("Ước thực hiện")
    OFFICIAL = "official", _("Số chính thức")


class IndicatorValueQuerySet(ReportedFigureQuerySet):
    def latest_by_indicator(self) -> dict:
        """{indicator id: its most recent value among these (with `is_approved`)}, in one
        query whatever the number of periods: the latest period per indicator is found
        in the database."""
        latest_period = (
            self.filter(indicator=models.OuterRef("indicator")).order_by("-period__year", "-period__quarter").values("period")[:1]
        )
        rows = self.with_approval().filter(period=models.Subquery(latest_period)).select_related("period")
        return {row.indicator_id: row for row in rows}


class IndicatorValue(ReportedFigure):
    """An indicator's value for a period. A ratio is always computed from its numerator
    and denominator; only a published figure whose parts are unknown may carry the ratio
    alone (the article's 58,37%, say)."""

    TRACKED_FIELDS = ("value", "numerator", "denominator", "kind", "note", "source", "comparison_note")

    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True, blank=True)
    kind = models.CharField(_("loại số liệu"), max_length=10, choices=ValueKind.choices, default=ValueKind.ESTIMATE)
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    objects = IndicatorValueQuerySet.as_manager()

    comparison_note = models.CharField(
        _("so sánh theo nguồn"),
        max_length=300,
        blank=True,
        help_text=_(
            "So sánh đúng như nguồn nêu, khi không có số liệu kỳ trước (ví dụ: tăng gần 200 hộ so với cùng kỳ năm 2022)."
        ),
    )

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="indicator_value_unique_per_period"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="indicator_value_ratio_parts_together",
                violation_error_message=_("Tử số và mẫu số phải nhập cùng nhau."),
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="indicator_value_denominator_positive",
                violation_error_message=_("Mẫu số phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="indicator_value_numerator_not_negative",
                violation_error_message=_("Tử số không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} — {self.period}"

    def derive_fields(self):
        if self.numerator is not None and self.denominator:
            self.value = self.ratio_of(self.numerator, self.denominator)

    @staticmethod
    def ratio_of(numerator, denominator) -> Decimal:
        return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    def find_existing(self):
        return IndicatorValue.objects.filter(indicator_id=self.indicator_id, period_id=self.period_id).first()

    def display_value(self) -> str:
        return self.indicator.format_value(self.value)
