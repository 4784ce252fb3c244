from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The web shell: layout, sign-in, home page, navigation and display filters."""

    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self):
        from backancity.text import normalise_instance_text

        for model in apps.get_models():
            if model._meta.app_label in settings.PROJECT_APPS:
                pre_save.connect(normalise_instance_text, sender=model, dispatch_uid=f"normalise-text-{model._meta.label_lower}")
