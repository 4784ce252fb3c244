from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEventType
from audit.services import audit_record

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__kind"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong cổng"), {"fields": ["role", "unit", "position"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò trong cổng"), {"fields": ["role", "unit", "position"]}),
    ]

    def user_change_password(self, request, id, form_url=""):
        """Django's page for setting another user's password, with a row in the audit
        log when the password was in fact set (or password log-in turned off)."""
        before = self.get_object(request, unquote(id))
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and before is not None:
            after = self.get_object(request, unquote(id))
            if after.password != before.password:
                audit_record(AuditEventType.PASSWORD_SET_BY_ADMIN, request=request, target=after.get_username(), user=after.pk)
        return response
