"""An issuer's settings for the rules (registration as a condition, the exclusions, the
council's share for CSTĐ cơ sở before 2024…): what each rule set leaves to each body, with the
rule set's default labelled as local practice. Set by the officers of the unit whose body
decides; read by `overrides_for` (the nearest setting on the unit's path wins) and handed to
the pure rules engine as overrides (ADR 0012)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.evaluation.issuer_settings import overrides_for as overrides_for
from thidua.evaluation.models import EvaluationSetting
from thidua.evaluation.permissions import require_entry
from thidua.evaluation.services.common import by, check_eval_year
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, fold
from thidua.rules.facts import DISCIPLINE_FORMS, RATINGS
from thidua.rules.ruleset import RuleSetError, rulesets_for_year


@dataclass(frozen=True)
class SettingKind:
    label: str
    kind: str  # bool | int | choice | text
    choices: tuple[tuple[str, str], ...] = ()
    low: int = 0
    high: int = 0


#: The settings a page may offer, by rule-set parameter name.
KINDS: dict[str, SettingKind] = {
    "registration_required": SettingKind("Đăng ký thi đua là điều kiện xét", "bool"),
    "min_service_months": SettingKind("Không xét người công tác dưới (tháng)", "int", low=0,
                                      high=12),
    "absence_limit_days": SettingKind("Không xét người nghỉ từ (ngày làm việc)", "int", low=1,
                                      high=366),
    "maternity_counts_as_work": SettingKind("Nghỉ thai sản tính là thời gian làm việc", "bool"),
    "discipline_excludes_from": SettingKind("Không xét người bị kỷ luật từ hình thức", "choice",
                                            tuple(DISCIPLINE_FORMS.items())),
    "vote_percent_CSTDCS": SettingKind("Tỷ lệ phiếu đồng ý CSTĐ cơ sở (%)", "int", low=1,
                                       high=100),
    "vote_strict_CSTDCS": SettingKind("Tỷ lệ CSTĐ cơ sở phải lớn hơn (không tính bằng)", "bool"),
    "hold_pending_matters": SettingKind(
        "Tạm hoãn xét người đang bị xem xét kỷ luật, thanh tra, kiểm tra, khiếu nại", "bool"),
    "priority_women_percent": SettingKind(
        "Ưu tiên tập thể có từ … % nữ khi thành tích như nhau (0: không ưu tiên)", "int", low=0,
        high=100),
    "gvndvn_family_criteria": SettingKind("Tiêu chí «đảm việc nhà» (Giỏi việc nước, đảm việc "
                                          "nhà)", "text"),
    "dvxs_min_rating": SettingKind("Đoàn viên CĐ xuất sắc: xếp loại tối thiểu", "choice",
                                   tuple(RATINGS.items())),
}


def defaults_for(year: int) -> list[dict[str, Any]]:
    """The settings the rule sets judging `year` offer, with their defaults and sources."""
    try:
        sets = rulesets_for_year(year)
    except RuleSetError:
        return []
    out: dict[str, dict[str, Any]] = {}
    for rs in sets:
        for name, p in rs.settings().items():
            if name in KINDS and name not in out:
                out[name] = {"key": name, "label": KINDS[name].label, "value": p.value,
                             "source": p.source, "confidence": p.confidence, "note": p.note,
                             "rule_set": rs.title}
    return list(out.values())


def parse_value(key: str, raw: Any) -> Any:
    kind = KINDS.get(key)
    if kind is None:
        raise ApplicationError("Cài đặt không có trong danh mục.", field="key")
    text = str(raw if raw is not None else "").strip()
    if kind.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in ("1", "true", "co", "có", "on"):
            return True
        if text.lower() in ("0", "false", "khong", "không", "off", ""):
            return False
        raise ApplicationError("Giá trị phải là có hoặc không.", field="value")
    if kind.kind == "int":
        try:
            value = int(text)
        except ValueError:
            raise ApplicationError("Giá trị phải là số nguyên.", field="value") from None
        if not kind.low <= value <= kind.high:
            raise ApplicationError(f"Giá trị phải từ {kind.low} đến {kind.high}.", field="value")
        return value
    if kind.kind == "text":
        text = clean_spaces(text)
        if not 3 <= len(text) <= 255:
            raise ApplicationError("Hãy ghi tiêu chí (3 đến 255 ký tự).", field="value")
        return text
    choices = dict(kind.choices)
    if text in choices:
        return text
    # the officer may type the label as the page shows it ("Khiển trách"), with or without marks
    by_label = {fold(label): code for code, label in kind.choices}
    if fold(text) in by_label:
        return by_label[fold(text)]
    raise ApplicationError("Giá trị phải là một trong: " + "; ".join(choices.values()) + ".",
                           field="value")


def display_value(key: str, value: Any) -> str:
    """A setting's value as the page shows it: "Có"/"Không", a choice's label, else as is."""
    kind = KINDS.get(key)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if kind is not None and kind.kind == "choice":
        label = dict(kind.choices).get(str(value), str(value))
        return label[:1].upper() + label[1:]
    return str(value)


def accepted_values(key: str) -> str:
    """What the value box takes for `key`, said to the officer."""
    kind = KINDS[key]
    if kind.kind == "bool":
        return "có hoặc không"
    if kind.kind == "int":
        return f"số nguyên từ {kind.low} đến {kind.high}"
    if kind.kind == "choice":
        return "một trong: " + "; ".join(label for _, label in kind.choices)
    return "nội dung tự do"


@transaction.atomic
def setting_set(*, actor: Actor, unit: Unit, key: str, year_from: int, year_to: int | None,
                value: Any, source: str, note: str = "") -> EvaluationSetting:
    """The unit's own value for `key` from `year_from` (to `year_to`, or open)."""
    require_entry(actor, unit)
    check_eval_year(year_from)
    if year_to is not None:
        check_eval_year(year_to)
        if year_to < year_from:
            raise ApplicationError("Năm kết thúc phải từ năm bắt đầu trở đi.", field="year_to")
    parsed = parse_value(key, value)
    source = clean_spaces(source)
    if len(source) < 5:
        raise ApplicationError("Hãy ghi căn cứ (văn bản của đơn vị quy định mức này).",
                               field="source")
    row = EvaluationSetting.objects.filter(unit=unit, key=key, year_from=year_from).first()
    before = None if row is None else {"value": row.value, "year_to": row.year_to,
                                       "source": row.source}
    if row is None:
        row = EvaluationSetting(unit=unit, key=key, year_from=year_from)
    row.year_to, row.value, row.source = year_to, parsed, source
    row.note, row.updated_by = clean_spaces(note), by(actor)
    row.save()
    audit_record(actor=actor, action="evaluation.setting_set", object_type="evaluation_setting",
                 object_id=row.pk, unit_id=unit.pk, before=before,
                 after={"key": key, "year_from": year_from, "year_to": year_to,
                        "value": parsed, "source": source})
    return row


@transaction.atomic
def setting_delete(*, actor: Actor, unit: Unit, setting_id: int) -> None:
    row = EvaluationSetting.objects.filter(unit=unit, pk=setting_id).first()
    require_entry(actor, unit)
    if row is None:
        raise ApplicationError("Không tìm thấy cài đặt.")
    audit_record(actor=actor, action="evaluation.setting_delete",
                 object_type="evaluation_setting", object_id=row.pk, unit_id=unit.pk,
                 before={"key": row.key, "year_from": row.year_from, "value": row.value})
    row.delete()
