"""Why a reported figure could not be written. Every path that writes a figure (forms,
admin, import) raises these, and every path shows their Vietnamese message."""

from django.utils.translation import gettext as _


class FigureWriteError(Exception):
    """Base class: the figure was not written and nothing else was either."""


class StaleFigureError(FigureWriteError):
    """Someone else saved this figure after the form (or file) was loaded."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _("Số liệu này vừa được %(who)s cập nhật lúc %(when)s; giá trị hiện tại: %(value)s. Vui lòng xem lại trước khi lưu.")
            % current.stale_message_parts()
        )


class PeriodLockedError(FigureWriteError):
    """The unit's report for the period is approved (locked) or awaiting review."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.lock_message())
