"""The main menu, assembled from the apps: an app that has pages in the menu declares
`navigation = [NavItem(...), ...]` on its AppConfig. The shell then needs no edit when
an app is added, and each item says which roles see it."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]  # empty: every signed-in user
    order: int = 100


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if item.roles and user.role not in item.roles:
                continue
            items.append(item)
    items.sort(key=lambda item: (item.order, str(item.label)))
    return [{"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name} for item in items]


def navigation(request):
    """Context processor: the menu for the signed-in user."""
    return {"main_menu": menu_for(request.user)}
