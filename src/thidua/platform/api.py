"""Helpers of the JSON API: the authenticated caller, lazily built pages of rows, bounded
inputs (ids, pages, years), the error shapes and Vietnamese validation messages, and JSON
errors for everything under /api/ (Django's 400/403/404/500 handlers and ninja's 405)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, model_validator

from thidua.platform.years import first_year, is_valid_year, last_year


def caller(request: HttpRequest) -> Any:
    """The authenticated user (session or bearer token), as set by ninja's auth."""
    return request.auth  # type: ignore[attr-defined]


class RowPage:
    """A queryset seen through a row builder: the paginator slices it (one query for the page,
    plus the prefetches) and counts it (one COUNT query, none when the caller knows the count:
    `known_count`, not `count`, which Django's and ninja's paginators would take for the
    queryset's method)."""

    def __init__(self, qs: QuerySet[Any], to_rows: Callable[[list[Any]], list[dict[str, Any]]],
                 known_count: int | None = None):
        self.qs = qs
        self.to_rows = to_rows
        self.known_count = known_count

    def __len__(self) -> int:
        return self.qs.count() if self.known_count is None else self.known_count

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        return self.to_rows(list(self.qs[part]))


# --- bounded inputs -----------------------------------------------------------------------------

#: Row ids are 64-bit (BigAutoField); a larger number can name no row and would overflow the
#: database driver, so it is refused as bad input (422) before any query.
MAX_ID = 2**63 - 1
#: No listing has this many pages; the bound keeps OFFSET within 64 bits.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 200

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _year_in_range(value: int) -> int:
    if not is_valid_year(value):
        raise ValueError(f"Năm phải từ {first_year()} đến {last_year()}.")
    return value


class _YearBounds:
    """The accepted range in the OpenAPI document, read from the settings when the document is
    built (next year moves on 1 January)."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        schema.update(minimum=first_year(), maximum=last_year())
        return schema


#: A year of the app (THIDUA_FIRST_YEAR to next year); other values are a 422 in Vietnamese.
Year = Annotated[int, AfterValidator(_year_in_range), _YearBounds()]


class Pages(PageNumberPagination):
    """ninja's page-number pagination with bounded numbers (`page` beyond any listing, or beyond
    64 bits, is a 422 instead of an overflow in the database)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, từ 1")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE,
                                      description="Số dòng mỗi trang")


class InSchema(Schema):
    """A request body (or an object inside one): a JSON object only. ninja's Schema reads
    attributes of anything it is given, so the JSON string `""` or `"x"` would pass as an object
    whose `title` is `str.title`."""

    @model_validator(mode="wrap")
    @classmethod
    def _json_object_only(cls, values: Any, handler: Any) -> Any:
        if not isinstance(values, dict | Schema):
            raise ValueError("Nội dung gửi lên phải là một đối tượng JSON ({…}).")
        return handler(values)


# --- errors -------------------------------------------------------------------------------------

class ErrorOut(Schema):
    detail: str = Field(description="Thông báo bằng tiếng Việt")
    field: str | None = Field(None, description="Trường gây lỗi (nếu có)")


class NotFoundOut(Schema):
    detail: str = Field(description="Cùng một câu trả lời cho bản ghi không có và bản ghi ngoài "
                                    "phạm vi được xem")


class UnauthorizedOut(Schema):
    detail: str = Field(description="Cần đăng nhập hoặc mã truy cập Bearer")


class ValidationItem(Schema):
    loc: list[str | int] = Field(description="Vị trí: query, path, body và tên trường")
    msg: str = Field(description="Lỗi, bằng tiếng Việt")
    type: str = Field(description="Mã lỗi (pydantic)")


class ValidationOut(Schema):
    detail: str = Field(description="Tóm tắt bằng tiếng Việt")
    errors: list[ValidationItem] = Field(description="Từng trường sai kiểu, thiếu, ngoài giới hạn")


#: What the project's exception handlers may answer, by status (see thidua.api).
ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: UnauthorizedOut, 403: ErrorOut, 404: NotFoundOut, 405: ErrorOut,
    409: ErrorOut, 413: ErrorOut, 422: ValidationOut, 429: ErrorOut, 500: ErrorOut,
    503: ErrorOut,
}

_MESSAGES = {
    "missing": "bắt buộc phải có",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "float_type": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "string_type": "phải là chuỗi ký tự",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "datetime_parsing": "phải là thời điểm dạng ISO 8601",
    "datetime_type": "phải là thời điểm dạng ISO 8601",
    "list_type": "phải là danh sách",
    "dict_type": "phải là đối tượng JSON",
    "model_type": "phải là đối tượng JSON",
    "model_attributes_type": "phải là đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
    "extra_forbidden": "không được phép",
    "string_too_short": "quá ngắn",
    "too_short": "quá ít phần tử",
    "too_long": "quá nhiều phần tử",
}


_BOUNDS = {
    "greater_than_equal": ("ge", "phải lớn hơn hoặc bằng"),
    "greater_than": ("gt", "phải lớn hơn"),
    "less_than_equal": ("le", "phải nhỏ hơn hoặc bằng"),
    "less_than": ("lt", "phải nhỏ hơn"),
}


def _vn_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":  # our own validators raise ValueError with a Vietnamese message
        return str(ctx.get("error", error.get("msg", "giá trị không hợp lệ")))
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{words} {ctx.get(key)}"
    if kind in ("literal_error", "enum"):
        return f"phải là một trong: {ctx.get('expected', '')}"
    if kind == "string_too_long":
        return f"dài quá {ctx.get('max_length')} ký tự"
    return _MESSAGES.get(kind, "giá trị không hợp lệ")


def _place(loc: list[Any]) -> str:
    """`query.page`, `body.payload.year` → `page`, `year`: the field a caller typed."""
    names = [str(p) for p in loc if p not in ("query", "path", "body", "payload")]
    return ".".join(names) or "dữ liệu"


def validation_payload(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's 422 in Vietnamese: one summary line and each error with its place."""
    items: list[dict[str, Any]] = [{"loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
              "msg": _vn_message(e), "type": str(e.get("type", ""))} for e in errors]
    parts = [f"{_place(i['loc'])}: {i['msg']}" for i in items[:5]]
    more = f" (và {len(items) - 5} lỗi khác)" if len(items) > 5 else ""
    return {"detail": "Dữ liệu gửi lên không hợp lệ — " + "; ".join(parts).rstrip(".") + more + ".",
            "errors": items}


# --- JSON errors for the whole /api/ prefix (Django's own handlers answer HTML pages) ------------

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)  # without a deployment's script prefix


def json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return json_error(413, too_big_message())
        return json_error(400, "Yêu cầu không hợp lệ.")
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return json_error(403, "Bạn không có quyền thực hiện thao tác này.")
    return defaults.permission_denied(request, exception)  # type: ignore[arg-type]


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return json_error(404, "Không có địa chỉ này trong API (xem /api/docs).")
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return json_error(500, "Lỗi hệ thống; đã ghi lại để quản trị viên xử lý. Hãy thử lại sau.")
    return defaults.server_error(request)


def too_big_message() -> str:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    return f"Dữ liệu gửi lên quá lớn (tối đa {limit // (1024 * 1024)} MB)."


NUL_REFUSED = "Dữ liệu gửi lên không được chứa ký tự NUL (\\u0000)."


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _nul_in_request(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    """PostgreSQL stores no NUL character in text (the driver raises, the request would be a
    500): refuse it in the path, the query string or a JSON body before any view runs."""
    if _has_nul(kwargs) or any(_has_nul(k) or _has_nul(v) for k, v in request.GET.lists()):
        return True
    if not (request.content_type or "").startswith("application/json"):
        return False
    body = request.body
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body.lower():
        return False
    try:
        return _has_nul(json.loads(body))
    except ValueError:
        return False  # not JSON: ninja answers that


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around every view of the API: a NUL character is a 422 (not a database error), and
    ninja's plain-text 405 for a method the path does not have is answered in JSON."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _nul_in_request(request, kwargs):
            return JsonResponse({"detail": NUL_REFUSED, "errors": [
                {"loc": ["request"], "msg": NUL_REFUSED, "type": "nul_character"}]},
                status=422, json_dumps_params={"ensure_ascii": False})
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"):
            allowed = response.get("Allow", "")
            out = json_error(405, f"Phương thức {request.method} không dùng được ở địa chỉ này "
                                  f"(dùng: {allowed}).")
            out["Allow"] = allowed
            return out
        return response

    return wrapped
