from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
    PARTY_BOARD = "party_board", _("Ban, cơ quan tham mưu của Thành ủy")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Phòng, ban, đơn vị chuyên môn")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    MASS_ORGANISATION = "mass_organisation", _("Đoàn thể chính trị – xã hội")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")


class OrganisationUnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_on__isnull=True)

    def active_on(self, day):
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(retired_on__isnull=True) | Q(retired_on__gt=day)
        )

    def localities(self):
        return self.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE])


class OrganisationUnit(models.Model):
    """A body that answers for tasks, projects or indicators: the city party committee and
    its boards, the People's Committee and its departments, the Fatherland Front and mass
    organisations, the wards and communes.

    Units are never deleted: a retired unit keeps `retired_on` (and `merged_into` when it
    was merged), so its past reports still point at it.
    """

    code = models.SlugField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    active_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    retired_on = models.DateField(_("ngừng hoạt động từ"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = OrganisationUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(retired_on__isnull=False),
                name="unit_merged_only_when_retired",
                violation_error_message=_("Đơn vị đã sáp nhập phải có ngày ngừng hoạt động."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="unit_not_merged_into_itself",
                violation_error_message=_("Không thể sáp nhập một đơn vị vào chính nó."),
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True) | Q(retired_on__isnull=True) | Q(retired_on__gt=models.F("active_from")),
                name="unit_retired_after_active_from",
                violation_error_message=_("Ngày ngừng hoạt động phải sau ngày bắt đầu hoạt động."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="unit_not_its_own_parent",
                violation_error_message=_("Đơn vị không thể là cấp trên của chính nó."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.retired_on is None or self.retired_on > timezone.localdate()

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
