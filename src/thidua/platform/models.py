"""Records of the platform's shared mechanisms (no domain data)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TransitionEvent(models.Model):
    """One step a workflow took (`platform.workflow`), for records whose app keeps no log of
    its own: which object, from which state to which, by whom, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    workflow = models.CharField(max_length=40)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bước quy trình"
        verbose_name_plural = "bước quy trình"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"],
                                name="transitionevent_object")]

    def __str__(self) -> str:
        return f"{self.workflow} {self.object_id}: {self.from_state} → {self.to_state}"


class DocumentTemplate(models.Model):
    """A Word template an administrator uploaded in place of the one an app ships
    (`platform.templates_docx`). Rows are never deleted: a replacement or a return to the
    shipped file leaves the previous upload inactive, so the history stays."""

    key = models.CharField(max_length=80)
    file = models.CharField(max_length=255)  # name in the storage, e.g. "templates/3f2a….docx"
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "mẫu văn bản thay thế"
        verbose_name_plural = "mẫu văn bản thay thế"
        ordering = ["key", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["key", "active"], name="documenttemplate_key")]
        constraints = [models.UniqueConstraint(fields=["key"], condition=models.Q(active=True),
                                               name="documenttemplate_one_active")]

    def __str__(self) -> str:
        return f"{self.key}: {self.original_name}"


class WorkerBeat(models.Model):
    """A running background worker (`thidua manage worker`) and when it last said it was alive:
    a task left RUNNING by a worker that stopped beating, or whose process is gone, is failed
    (`platform.worker.tasks_reap_lost`)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "tiến trình nền"
        verbose_name_plural = "tiến trình nền"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.host}:{self.pid}"
