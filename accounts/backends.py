from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UnitAwareModelBackend(ModelBackend):
    """Django's model backend, loading the user's unit with the user: every page shows
    it, and most permission checks read it."""

    def get_user(self, user_id):
        user = get_user_model().objects.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
