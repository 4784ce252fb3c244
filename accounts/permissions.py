"""View decorators that check the signed-in user's role.

Unit-level checks (is this figure the user's own unit's?) live next to the objects, in
each app's `get_…_for_user` helpers; these decorators only gate whole pages by role.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated or request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


leader_required = role_required(Role.LEADER, Role.SECRETARIAT)
secretariat_required = role_required(Role.SECRETARIAT)
officer_required = role_required(Role.OFFICER)
