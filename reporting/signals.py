"""On sign-in, an officer whose unit has not sent the current report is reminded on the
first page they see (through the layout's messages), wherever they land."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import reminder_for


@receiver(user_logged_in, dispatch_uid="reporting_reminder_on_login")
def remind_on_login(sender, request, user, **kwargs):
    if request is None or not getattr(user, "is_officer", False) or user.unit_id is None:
        return
    reminder = reminder_for(user.unit, timezone.localdate())
    if reminder is None:
        return
    values = {"period": reminder.period.label, "due": reminder.due_date.strftime("%d/%m/%Y"), "days": abs(reminder.days_left)}
    if reminder.overdue:
        text = _("Báo cáo %(period)s của đơn vị đã quá hạn %(days)s ngày (hạn %(due)s). Vào “Báo cáo của đơn vị” để gửi.")
    else:
        text = _("Báo cáo %(period)s của đơn vị chưa gửi; hạn gửi ngày %(due)s (còn %(days)s ngày).")
    # fail_silently: test clients and API logins have no message storage.
    messages.warning(request, text % values, fail_silently=True)
