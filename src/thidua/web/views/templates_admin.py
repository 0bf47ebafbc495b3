"""The Word templates page of the administrators: every template the apps render, the one in
use, downloads (in use, shipped, a sample filled with example data), replacing it with an upload
checked before it is accepted, and going back to the shipped file.

Any administrator opens the page (others get the 404 of every administration page); changes are
refused (403 with the reason) below the administrator of the whole tree, see
`thidua.web.services.templates`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thidua.platform import uploads
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.documents import DOCX_CONTENT_TYPE
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.files import max_bytes, open_stored, size_text
from thidua.platform.forms import VNForm
from thidua.platform.templates_docx import (
    RULES,
    RegisteredTemplate,
    active_template,
    get_template,
    registered,
    render_sample,
    template_history,
)
from thidua.platform.web import refused, run_action
from thidua.web.admin_common import administered_paths, person_name
from thidua.web.services import templates as services

HISTORY = 5


class TemplateUploadForm(VNForm):
    file = forms.FileField(label="Tệp mẫu mới (.docx)",
                           widget=forms.ClearableFileInput(attrs={"accept": RULES.accept}))

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{anchor(key)}_%s")
        super().__init__(*args, **kwargs)
        f = self.fields["file"]
        f.help_text = f"Word (.docx), tối đa {size_text(max_bytes())}."
        f.error_messages.update({"required": "Hãy chọn tệp mẫu (.docx).",
                                 "empty": "Tệp đã chọn không có nội dung.",
                                 "invalid": "Không nhận được tệp; hãy chọn lại.",
                                 "missing": "Không nhận được tệp; hãy chọn lại."})


def anchor(key: str) -> str:
    return "mau-" + key.replace(".", "-").replace("_", "-")


def _too_big(request: HttpRequest) -> HttpResponse:
    return render(request, "people/refused.html", {
        "message": f"Tệp quá lớn: mẫu văn bản tối đa {size_text(max_bytes())}."}, status=413)


limited_upload = uploads.limited_upload(max_bytes, _too_big)


def _rows(request: AuthenticatedHttpRequest, forms_by_key: dict[str, TemplateUploadForm]
          ) -> list[dict[str, Any]]:
    rows = []
    for t in registered():
        current = active_template(t.key)
        history = [{"row": h, "by": person_name(h.uploaded_by)}
                   for h in template_history(t.key)[:HISTORY]]
        rows.append({
            "t": t, "anchor": anchor(t.key), "current": current,
            "by": person_name(current.uploaded_by) if current else "",
            "history": history,
            "form": forms_by_key.get(t.key) or TemplateUploadForm(key=t.key),
        })
    return rows


def _page(request: AuthenticatedHttpRequest, *, status: int = 200,
          forms_by_key: dict[str, TemplateUploadForm] | None = None) -> HttpResponse:
    return render(request, "web/templates_admin.html", {
        "rows": _rows(request, forms_by_key or {}),
        "may_change": services.may_change_templates(request.user),
    }, status=status)


def _back(key: str) -> str:
    return reverse("doc_templates:list") + "#" + anchor(key)


@login_required
@require_GET
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    administered_paths(request.user)
    return _page(request)


def _docx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def template_current(request: AuthenticatedHttpRequest, key: str) -> FileResponse:
    administered_paths(request.user)
    entry = get_template(key)
    current = active_template(key)
    if current is None:
        return _default_response(entry)
    try:
        handle = open_stored(current.file)
    except (FileNotFoundError, OSError):
        raise Http404("Tệp mẫu không còn trên máy chủ.") from None
    return FileResponse(handle, as_attachment=True, filename=current.original_name,
                        content_type=DOCX_CONTENT_TYPE)


def _default_response(entry: RegisteredTemplate) -> FileResponse:
    return FileResponse(entry.default.open("rb"), as_attachment=True,
                        filename=entry.default_filename, content_type=DOCX_CONTENT_TYPE)


@login_required
@require_GET
def template_default(request: AuthenticatedHttpRequest, key: str) -> FileResponse:
    administered_paths(request.user)
    return _default_response(get_template(key))


@login_required
@require_GET
def template_sample(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    administered_paths(request.user)
    entry = get_template(key)
    return _docx(render_sample(key), f"ban-mau-{entry.default.stem.replace('_', '-')}.docx")


@limited_upload
@login_required
@require_POST
def template_upload(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    administered_paths(request.user)
    entry = get_template(key)
    if uploads.upload_too_big(request):
        return _too_big(request)
    if not services.may_change_templates(request.user):  # the page shows them no form
        return refused(request, PermissionDeniedError(services.REFUSED))
    form = TemplateUploadForm(request.POST, request.FILES, key=key)
    if form.is_valid():
        try:
            replaced = services.document_template_replace(
                actor=request.user, key=key, upload=form.cleaned_data["file"])
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except ApplicationError as exc:
            form.apply_error(exc)
        else:
            messages.success(request, f"Đã thay mẫu «{entry.label}»: văn bản tạo từ nay dùng "
                                      "mẫu mới.")
            if replaced.unused:
                names = ", ".join(f"{{{{ {n} }}}}" for n in replaced.unused)
                messages.warning(request, f"Mẫu mới không dùng {names} của mẫu mặc định: văn "
                                          "bản tạo ra sẽ không có các thông tin này.")
            return redirect(_back(key))
    return _page(request, status=400, forms_by_key={key: form})


@login_required
@require_POST
def template_restore(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    administered_paths(request.user)
    entry = get_template(key)

    def act() -> str:
        if services.document_template_restore_default(actor=request.user, key=key):
            return f"Đã dùng lại mẫu mặc định cho «{entry.label}»."
        return f"«{entry.label}» đang dùng mẫu mặc định."

    return run_action(request, act, success_url=_back(key))
