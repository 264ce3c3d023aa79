"""Why processing stops: a user-facing reason, or a newer attempt that took over."""


class ProcessingError(Exception):
    """Processing cannot succeed; the message is the Chinese reason shown to editors."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = str(reason)


class Superseded(Exception):
    """Another attempt took over this asset (its file changed, or a stale run was resumed)."""
