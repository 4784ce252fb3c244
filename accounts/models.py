from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ đơn vị")
    LEADER = "leader", _("Lãnh đạo")
    SECRETARIAT = "secretariat", _("Văn phòng / quản trị")


class User(AbstractUser):
    """A portal user. An officer belongs to one unit and reports for it; leaders see
    everything and approve; the secretariat manages the catalogue, imports and reports."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        "units.OrganisationUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICER) | Q(unit__isnull=False),
                name="officer_has_unit",
                violation_error_message=_("Cán bộ đơn vị phải thuộc một đơn vị."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT

    @property
    def sees_all_units(self) -> bool:
        """Leaders and the secretariat read every unit's figures; officers only their own."""
        return self.role in (Role.LEADER, Role.SECRETARIAT)

    def can_read_unit(self, unit_id: int | None) -> bool:
        return self.sees_all_units or (unit_id is not None and unit_id == self.unit_id)

    def can_write_unit(self, unit_id: int | None) -> bool:
        """Only the unit's own officers type its figures; leaders review, not enter."""
        return self.is_officer and unit_id is not None and unit_id == self.unit_id
