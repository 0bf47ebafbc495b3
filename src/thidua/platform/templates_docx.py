"""Word templates an administrator can replace without code: a registry of every template the
apps render, the active replacement of each, and the checks an upload must pass.

Each app registers its templates (`register_template`) with the file it ships and a sample
context — a full example of what its renderer passes. An upload is accepted only when every
placeholder it uses is one the renderer provides, its Jinja parses, and it renders with the
sample; the sample is also what the administration page previews. Renderers ask
`template_source(key)` for the file to use, so a replacement applies to the next document."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError, meta

from thidua.platform.documents import Context, render_docx
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.files import FileRules, open_stored
from thidua.platform.models import DocumentTemplate

log = logging.getLogger(__name__)

RULES = FileRules(folder="templates", kinds=("docx",))
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class RegisteredTemplate:
    key: str
    label: str
    default: Path
    sample: Callable[[], Mapping[str, Any]] = field(compare=False)
    group: str = ""

    @property
    def default_filename(self) -> str:
        return self.default.name


@dataclass(frozen=True)
class TemplateCheck:
    """What an accepted upload uses, and the placeholders of the shipped template it dropped
    (its documents will no longer print them: a warning, not a refusal)."""

    variables: frozenset[str]
    unused: tuple[str, ...]


_REGISTRY: dict[str, RegisteredTemplate] = {}


def register_template(key: str, *, label: str, default: Path,
                      sample: Callable[[], Mapping[str, Any]], group: str = "") -> None:
    """Make the template `key` replaceable on the administration page. Registering the same key
    again (a module imported twice) replaces the entry; two different files under one key is a
    programming error."""
    known = _REGISTRY.get(key)
    if known is not None and known.default != default:
        raise ValueError(f"template key {key!r} already names {known.default}")
    _REGISTRY[key] = RegisteredTemplate(key, label, default, sample, group)


def unregister_template(key: str) -> None:
    """Forget `key` (tests register templates of their own)."""
    _REGISTRY.pop(key, None)


def registered() -> list[RegisteredTemplate]:
    """Every registered template, by group then label."""
    return sorted(_REGISTRY.values(), key=lambda t: (t.group, t.label, t.key))


def get_template(key: str) -> RegisteredTemplate:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise NotFoundError() from None


def active_template(key: str) -> DocumentTemplate | None:
    """The replacement in use for `key`, None while the shipped file is in use."""
    return DocumentTemplate.objects.filter(key=key, active=True).select_related(
        "uploaded_by").first()


def template_history(key: str) -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.filter(key=key).select_related("uploaded_by").order_by(
        "-uploaded_at", "-pk")


def template_source(key: str) -> bytes | Path:
    """The file a renderer fills for `key`: the active replacement's bytes, else the shipped
    file. A replacement missing from the storage falls back to the shipped file (logged), so a
    lost file never stops the unions' paperwork."""
    entry = get_template(key)
    current = active_template(key)
    if current is None:
        return entry.default
    try:
        with open_stored(current.file) as handle:
            return bytes(handle.read())
    except (FileNotFoundError, OSError):
        log.warning("template %s: stored file %s is missing; using the default", key,
                    current.file)
        return entry.default


def render_template(key: str, context: Context) -> bytes:
    return render_docx(template_source(key), context)


def render_sample(key: str, source: bytes | Path | None = None) -> bytes:
    """`source` (the template in use when None) rendered with the key's sample context."""
    entry = get_template(key)
    return render_docx(template_source(key) if source is None else source, entry.sample())


def _open(source: bytes | Path) -> Any:
    """python-docx's document of `source`; a refusal when it is not a Word file inside."""
    try:
        return Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ApplicationError("Không đọc được tệp Word này; hãy mở lại bằng Word, lưu dưới "
                               "dạng .docx rồi tải lên.", field="file") from exc
    except Exception as exc:  # malformed XML inside a zip that looked like a .docx
        raise ApplicationError("Tệp Word bị hỏng, không đọc được nội dung.", field="file") from exc


def _template_xml(source: bytes | Path) -> str:
    """The Jinja source docxtpl builds (body, then headers and footers), one Word paragraph a
    line so that a syntax error's line points at the paragraph to fix."""
    doc = _open(source)
    try:
        tpl = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else str(source))
        parts = [tpl.patch_xml(tpl.xml_to_string(doc._element.body))]
        for rel in doc.part.rels.values():
            if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
                parts.append(tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob))))
    except Exception as exc:  # a part that is XML but not what Word writes (found by fuzzing)
        raise ApplicationError("Tệp Word bị hỏng, không đọc được nội dung.", field="file") from exc
    return "\n".join(p.replace("</w:p>", "</w:p>\n") for p in parts)


def _paragraph_text(xml_line: str) -> str:
    text = " ".join(_TAG.sub("", xml_line).split())
    return text if len(text) <= 120 else text[:117] + "…"


def template_variables(source: bytes | Path) -> frozenset[str]:
    """The top-level names the template uses (loop variables it declares itself are not)."""
    xml = _template_xml(source)
    try:
        return frozenset(meta.find_undeclared_variables(Environment().parse(xml)))
    except TemplateSyntaxError as exc:  # an unknown filter or test too (TemplateAssertionError)
        lines = xml.split("\n")
        where = ""
        if exc.lineno and 0 < exc.lineno <= len(lines):
            text = _paragraph_text(lines[exc.lineno - 1])
            where = f" ở đoạn văn thứ {exc.lineno}" + (f" («{text}»)" if text else "")
        raise ApplicationError(
            f"Mẫu có lỗi cú pháp{where}: hãy kiểm tra các cặp ngoặc {{{{ … }}}} và {{% … %}} "
            f"(chi tiết kỹ thuật: {exc.message}).", field="file") from exc


def check_template(key: str, source: bytes) -> TemplateCheck:
    """Refuse `source` as a replacement of `key` unless each placeholder it uses is one the
    renderer provides and it renders with the sample context."""
    entry = get_template(key)
    sample = entry.sample()
    used = template_variables(source)
    unknown = sorted(used - set(sample))
    if unknown:
        names = ", ".join(f"«{{{{ {n} }}}}»" for n in unknown)
        noun = "Trường" if len(unknown) == 1 else "Các trường"
        raise ApplicationError(
            f"{noun} {names} không có trong dữ liệu của «{entry.label}»; hãy dùng đúng tên "
            "các trường của mẫu mặc định.", field="file")
    try:
        rendered = render_docx(source, sample)
        _open(rendered)
    except ApplicationError:
        raise
    except Exception as exc:
        raise ApplicationError(
            f"Mẫu không tạo được văn bản với dữ liệu mẫu ({type(exc).__name__}: {exc}); hãy "
            "kiểm tra các vòng lặp và điều kiện trong mẫu.", field="file") from exc
    shipped = template_variables(entry.default) & set(sample)
    return TemplateCheck(used, tuple(sorted(shipped - used)))
