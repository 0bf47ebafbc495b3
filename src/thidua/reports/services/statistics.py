"""Saving, changing and removing a unit's statistics reports: an officer of the unit, the
parameters checked (`reports.statistics.params_problems`), one audit entry per change."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces
from thidua.reports import permissions
from thidua.reports.models import StatisticsReport
from thidua.reports.statistics import Params, check_params, issuer_units


def _snapshot(r: StatisticsReport) -> dict[str, Any]:
    return {"unit": r.unit_id, "name": r.name, "subtree": r.subtree_id,
            "year_from": r.year_from, "year_to": r.year_to, "issuer_levels": r.issuer_levels,
            "issuer": r.issuer_id, "forms": r.forms, "family": r.family,
            "recipients": r.recipients, "rows": r.rows, "columns": r.columns,
            "values": r.values}


def _check(unit: Unit, name: str, p: Params) -> str:
    name = clean_spaces(name)
    if not name:
        raise ApplicationError("Hãy đặt tên cho báo cáo.", field="name")
    if len(name) > 150:
        raise ApplicationError("Tên báo cáo dài tối đa 150 ký tự.", field="name")
    if not p.subtree.path.startswith(unit.path):
        raise ApplicationError(f"Chỉ thống kê được «{unit.name}» hoặc một đơn vị trực thuộc.",
                               field="subtree")
    if p.issuer is not None and not issuer_units(unit).filter(pk=p.issuer.pk).exists():
        raise ApplicationError("Đơn vị khen thưởng phải là cấp trên (hoặc đơn vị được giao "
                               "khen thưởng) của đơn vị, hoặc một đơn vị trực thuộc.",
                               field="issuer")
    check_params(p)
    return name


def _apply(report: StatisticsReport, name: str, p: Params) -> None:
    report.name = name
    report.subtree = p.subtree
    report.year_from, report.year_to = p.year_from, p.year_to
    report.issuer_levels = list(dict.fromkeys(p.issuer_levels))
    report.issuer = p.issuer
    report.forms = list(dict.fromkeys(p.forms))
    report.family = p.family
    report.recipients = p.recipients
    report.rows, report.columns = p.rows, p.columns
    report.values = list(dict.fromkeys(p.values))


def _save(report: StatisticsReport) -> None:
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ApplicationError(f"Đơn vị đã có báo cáo tên «{report.name}»; hãy đặt tên khác.",
                               field="name") from None


@transaction.atomic
def statistics_report_create(*, actor: Actor, unit: Unit, name: str, params: Params
                             ) -> StatisticsReport:
    """Save a new statistics report of `unit`."""
    permissions.require_manage(actor, unit)
    clean = _check(unit, name, params)
    report = StatisticsReport(unit=unit, created_by=actor)
    _apply(report, clean, params)
    _save(report)
    audit_record(actor=actor, action="statistics_report.create",
                 object_type="reports_statisticsreport", object_id=report.pk, unit_id=unit.pk,
                 after=_snapshot(report))
    return report


@transaction.atomic
def statistics_report_update(*, actor: Actor, report: StatisticsReport, name: str,
                             params: Params) -> StatisticsReport:
    """Change a saved report's name and parameters."""
    permissions.require_manage(actor, report.unit)
    report = StatisticsReport.objects.select_for_update().get(pk=report.pk)
    clean = _check(report.unit, name, params)
    before = _snapshot(report)
    _apply(report, clean, params)
    _save(report)
    audit_record(actor=actor, action="statistics_report.update",
                 object_type="reports_statisticsreport", object_id=report.pk,
                 unit_id=report.unit_id, before=before, after=_snapshot(report))
    return report


@transaction.atomic
def statistics_report_delete(*, actor: Actor, report: StatisticsReport) -> None:
    """Remove a saved report (the awards it counted are untouched)."""
    permissions.require_manage(actor, report.unit)
    before = _snapshot(report)
    pk = report.pk
    report.delete()
    audit_record(actor=actor, action="statistics_report.delete",
                 object_type="reports_statisticsreport", object_id=pk, unit_id=before["unit"],
                 before=before)
