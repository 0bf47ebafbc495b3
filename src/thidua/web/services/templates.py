"""Replacing the Word templates the apps render, and going back to the shipped ones.

The templates serve the whole installation, so only an administrator of the whole tree (a
superuser, or the holder of the administrator role on every root unit) changes them; the
administrator of a branch sees the page and its downloads but cannot change what every other
branch prints. Each change is one transaction with one audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from thidua.accounts.permissions import ALL, admin_paths, covers
from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import PermissionDeniedError
from thidua.platform.files import open_stored, remove_stored, store_upload
from thidua.platform.models import DocumentTemplate
from thidua.platform.templates_docx import RULES, check_template, get_template

REFUSED = ("Mẫu văn bản dùng chung cho mọi đơn vị của hệ thống: chỉ quản trị viên toàn hệ thống "
           "mới thay hoặc khôi phục được.")


@dataclass(frozen=True)
class Replaced:
    template: DocumentTemplate
    unused: tuple[str, ...]  # placeholders of the shipped template the upload no longer prints


def may_change_templates(actor: Actor) -> bool:
    paths = admin_paths(actor)
    if paths == ALL:
        return True
    roots = list(Unit.objects.filter(depth=1).values_list("path", flat=True))
    return bool(paths) and bool(roots) and all(covers(paths, r) for r in roots)


def _require(actor: Actor) -> None:
    if not may_change_templates(actor):
        raise PermissionDeniedError(REFUSED)


def _row(t: DocumentTemplate | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {"id": t.pk, "original_name": t.original_name, "sha256": t.sha256, "file": t.file}


def document_template_replace(*, actor: Actor, key: str, upload: Any) -> Replaced:
    """Use `upload` (a .docx) for `key` from now on. Refused, with nothing stored, when it is not
    a Word file, uses a placeholder the renderer does not provide, or does not render."""
    entry = get_template(key)
    _require(actor)
    stored = store_upload(upload, RULES)
    try:
        with open_stored(stored.name) as handle:
            data = bytes(handle.read())
        check = check_template(entry.key, data)
        with transaction.atomic():
            before = (DocumentTemplate.objects.select_for_update()
                      .filter(key=key, active=True).first())
            if before is not None:
                before.active = False
                before.save(update_fields=["active"])
            row = DocumentTemplate.objects.create(
                key=key, file=stored.name, original_name=stored.original_name,
                sha256=stored.sha256, uploaded_by=actor, active=True)
            audit_record(actor=actor, action="document_template.replace",
                         object_type="document_template", object_id=key,
                         before=_row(before), after=_row(row))
    except BaseException:
        remove_stored(stored.name)
        raise
    return Replaced(row, check.unused)


def document_template_restore_default(*, actor: Actor, key: str) -> bool:
    """Go back to the shipped file for `key`; False when it was already in use. The uploads stay
    in the history (and the storage)."""
    get_template(key)
    _require(actor)
    with transaction.atomic():
        before = DocumentTemplate.objects.select_for_update().filter(key=key, active=True).first()
        if before is None:
            return False
        before.active = False
        before.save(update_fields=["active"])
        audit_record(actor=actor, action="document_template.restore_default",
                     object_type="document_template", object_id=key, before=_row(before),
                     after=None)
    return True
