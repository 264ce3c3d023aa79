import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    label = "media_pipeline"
    verbose_name = _("媒体处理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals, task_recovery

        # HLS segments: some systems' mime tables map .ts to a Qt translation format, and the
        # S3 backend sets Content-Type from the name, so players would get the wrong type.
        mimetypes.add_type("video/mp2t", ".ts")
        mimetypes.add_type("application/vnd.apple.mpegurl", ".m3u8")
        signals.connect_signals()
        # A worker holds a lock while it runs a task, so one that died can be told apart.
        task_recovery.connect_signals()
