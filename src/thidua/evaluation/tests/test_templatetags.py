"""The evaluation pages' tags: a title's reasons and a rule's source, drawn in Python."""

from __future__ import annotations

from django.template import Context, Template

REASONS = [
    {"text": "Hoàn thành xuất sắc nhiệm vụ", "passed": True,
     "source": "Luật Thi đua, khen thưởng 2022, Điều 26", "confidence": "C"},
    {"text": "Có sáng kiến <được công nhận>", "passed": False,
     "source": "Nghị định 98/2023/NĐ-CP, Điều 4 (Giả định: chưa đối chiếu)",
     "confidence": "L", "note": "cần hỏi \"Ban\""},
]


def _render(reasons, missing=None, *, officer: bool) -> str:
    return Template("{% load evaluation_tags %}{% reasons_list reasons missing %}").render(
        Context({"reasons": reasons, "missing": missing, "is_officer": officer}))


def test_reasons_show_each_rule_passed_or_not_with_its_printed_source():
    html = _render(REASONS, ["Sáng kiến"], officer=False)
    assert html.startswith('<ul class="reasons"><li class="ok">')
    assert '<span class="sr-only">Đạt:</span>' in html
    assert '<li class="no"><span class="mark" aria-hidden="true">✗</span>' in html
    # the text is escaped, the working note never printed to a member
    assert "Có sáng kiến &lt;được công nhận&gt;" in html and "<được" not in html
    assert "(Luật Thi đua, khen thưởng 2022, Điều 26)" in html
    assert "Giả định" not in html and "work-hint" not in html
    assert html.endswith('<p class="missing-title">Còn thiếu:</p>'
                         '<ul class="missing"><li>Sáng kiến</li></ul>')
    assert "Còn thiếu" not in _render(REASONS, [], officer=False)


def test_an_officer_gets_the_working_note_as_a_hint_on_uncertain_sources_only():
    html = _render(REASONS, officer=True)
    assert html.count('class="work-hint"') == 1  # the checked source has none
    hint = html.split('class="work-hint" tabindex="0" role="note" title="')[1].split('"')[0]
    assert hint == ("Ghi chú làm việc (không in ra văn bản): cần hỏi &quot;Ban&quot; · "
                    "Nghị định 98/2023/NĐ-CP, Điều 4 (Giả định: chưa đối chiếu) · "
                    "nhiều khả năng đúng, chưa đối chiếu đủ")


def test_the_source_tag_draws_the_same_as_the_reasons():
    html = Template("{% load evaluation_tags %}{% source_note source confidence %}").render(
        Context({"source": "Quy chế (Giả định)", "confidence": "G", "is_officer": True}))
    assert html.startswith(' <span class="muted small">(Quy chế)</span>')
    assert html.endswith("cần kiểm tra\" aria-label=\"Ghi chú làm việc\">?</span>")


def test_a_reason_without_a_source_prints_none_and_needs_no_hint():
    html = _render([{"text": "Đủ 10 tháng công tác", "passed": True, "source": None,
                     "confidence": "C"}], officer=True)
    assert '<span class="reason-source"></span>' in html and "None" not in html
