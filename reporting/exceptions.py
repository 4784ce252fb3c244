"""Why a workflow step on a unit's report was refused. `str(exc)` is the Vietnamese
message the page shows; nothing was written when one of these is raised."""


class ReportWorkflowError(Exception):
    """The step does not apply to the report in its current state (or input is missing)."""


class ReportPermissionError(ReportWorkflowError):
    """The actor's role or unit does not allow this step."""


class ReportIncompleteError(ReportWorkflowError):
    """The unit still has rows without figures; `missing` names them."""

    def __init__(self, message, missing):
        self.missing = missing
        super().__init__(message)
