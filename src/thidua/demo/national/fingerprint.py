"""A digest of the generated content by natural keys (codes, CCCD, decision numbers), not by
surrogate ids: two runs with the same seed give the same digest in any empty database."""

from __future__ import annotations

import hashlib

from django.db import connection

QUERIES = [
    "SELECT code, path, depth, numchild, type, name, valid_from, valid_to FROM org_unit "
    "ORDER BY code",
    "SELECT u.code, p.code, v.path, v.name, v.valid_from, v.valid_to FROM org_unitversion v "
    "JOIN org_unit u ON u.id = v.unit_id LEFT JOIN org_unit p ON p.id = v.parent_id "
    "ORDER BY u.code, v.valid_from",
    "SELECT cccd, full_name, birth_date, gender, member_code, position FROM people_person "
    "ORDER BY cccd",
    "SELECT p.cccd, u.code, e.valid_from, e.valid_to FROM people_employment e "
    "JOIN people_person p ON p.id = e.person_id JOIN org_unit u ON u.id = e.unit_id "
    "ORDER BY p.cccd, e.valid_from",
    "SELECT p.cccd, u.code, m.status, m.opened_by, m.closed_by, m.valid_from, m.valid_to "
    "FROM people_membership m JOIN people_person p ON p.id = m.person_id "
    "JOIN org_unit u ON u.id = m.unit_id ORDER BY p.cccd, m.valid_from",
    "SELECT p.cccd, r.year, u.code, r.code FROM evaluation_rating r "
    "JOIN people_person p ON p.id = r.person_id JOIN org_unit u ON u.id = r.unit_id "
    "ORDER BY p.cccd, r.year",
    "SELECT p.cccd, s.code, t.year, t.title, u.code FROM evaluation_titleresult t "
    "LEFT JOIN people_person p ON p.id = t.person_id LEFT JOIN org_unit s ON s.id = "
    "t.subject_unit_id JOIN org_unit u ON u.id = t.unit_id "
    "ORDER BY p.cccd, s.code, t.year, t.title",
    "SELECT i.code, d.number, d.year, d.date, a.form, p.cccd, s.code, a.golden_book_no "
    "FROM honours_award a JOIN honours_decision d ON d.id = a.decision_id "
    "JOIN org_unit i ON i.id = a.issuer_id LEFT JOIN people_person p ON p.id = a.person_id "
    "LEFT JOIN org_unit s ON s.id = a.subject_unit_id ORDER BY i.code, a.golden_book_no",
    # the proposals the awards answered, each award by its candidate
    "SELECT s.code, r.code, p.year, p.form, p.status, p.submitted_on, c.\"order\", "
    "c.display_name, pp.cccd, su.code, i.code, a.golden_book_no FROM honours_candidate c "
    "JOIN honours_proposal p ON p.id = c.proposal_id JOIN org_unit s ON s.id = p.unit_id "
    "JOIN org_unit r ON r.id = p.recipient_id LEFT JOIN people_person pp ON pp.id = c.person_id "
    "LEFT JOIN org_unit su ON su.id = c.subject_unit_id "
    "LEFT JOIN honours_award a ON a.candidate_id = c.id LEFT JOIN org_unit i ON i.id = a.issuer_id "
    "ORDER BY s.code, r.code, p.year, p.form, c.\"order\"",
    "SELECT u.code, i.year, i.title, i.status, p.cccd FROM initiatives_initiative i "
    "JOIN org_unit u ON u.id = i.unit_id JOIN initiatives_author a ON a.initiative_id = i.id "
    "JOIN people_person p ON p.id = a.person_id ORDER BY u.code, i.year, i.title",
    # the yearly records of the CĐCS; times and amounts as numbers the same on every database
    "SELECT u.code, t.year, t.name, t.scale, t.source, g.year, g.label, "
    "CAST(g.total * 2 AS INTEGER), g.rule_set FROM evaluation_grading g "
    "JOIN org_unit u ON u.id = g.unit_id JOIN evaluation_gradingtemplate t ON t.id = "
    "g.template_id ORDER BY u.code, g.year",
    "SELECT i.code, p.year, p.number, p.date, p.title, p.deadline, m.code, m.name, mi.code "
    "FROM movements_plan p JOIN org_unit i ON i.id = p.issuer_id "
    "JOIN movements_plan_movements pm ON pm.plan_id = p.id "
    "JOIN movements_movement m ON m.id = pm.movement_id JOIN org_unit mi ON mi.id = m.issuer_id "
    "ORDER BY i.code, p.year, m.code",
    "SELECT i.code, p.year, u.code, d.unit_type, d.launched_on, "
    "CASE WHEN d.acknowledged_at IS NULL THEN 0 ELSE 1 END, "
    "CASE WHEN d.launched_at IS NULL THEN 0 ELSE 1 END FROM movements_deployment d "
    "JOIN movements_plan p ON p.id = d.plan_id JOIN org_unit i ON i.id = p.issuer_id "
    "JOIN org_unit u ON u.id = d.unit_id ORDER BY i.code, p.year, u.code",
    "SELECT u.code, r.year, r.registered_on, r.commitment_count, r.source, t.code "
    "FROM movements_registration r JOIN org_unit u ON u.id = r.unit_id "
    "JOIN movements_registeredtitle t ON t.registration_id = r.id ORDER BY u.code, r.year, t.code",
    "SELECT u.code, r.year, c.position, c.text FROM movements_commitment c "
    "JOIN movements_registration r ON r.id = c.registration_id JOIN org_unit u ON u.id = r.unit_id "
    "ORDER BY u.code, r.year, c.position",
    "SELECT u.code, i.title, r.level, r.year, r.decided_on, r.decision_no, r.issuer, "
    "r.certificate_no FROM initiatives_recognition r "
    "JOIN initiatives_initiative i ON i.id = r.initiative_id JOIN org_unit u ON u.id = i.unit_id "
    "ORDER BY u.code, i.year, i.title, r.level",
]


def fingerprint() -> str:
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for sql in QUERIES:
            cursor.execute(sql)
            while True:
                rows = cursor.fetchmany(10_000)
                if not rows:
                    break
                for row in rows:
                    digest.update(repr(tuple(str(v) for v in row)).encode())
    return digest.hexdigest()[:16]
