"""The composer: the register of the seed articles, and no sentence for a figure that is zero or
unknown. Pure: fed plain dicts, as `year_figures` returns them."""

from __future__ import annotations

import re
from typing import Any

from thidua.reports.compose import (
    NAMED_ISSUERS_MAX,
    award_groups,
    award_issuer,
    awards,
    initiatives,
    markdown,
    movements,
    overview,
    sections,
    titles,
)

CDVC = {"code": "CDVC-HN", "name": "Công đoàn Viên chức thành phố Hà Nội"}


def figures(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": CDVC, "year": 2017, "since": 2017, "years": [2017], "as_of": "2017-12-31",
        "units": {"cdcs": 65, "to_cd": 40}, "direct_units": {"cdcs": 65},
        "workers": 10159, "members": 10141, "women": 6100,
        "awards": [
            {"issuer": "TLD", "issuer_name": "Tổng Liên đoàn Lao động Việt Nam",
             "form": "BK_TLD_TOAN_DIEN", "form_name": "Bằng khen của Ban Chấp hành Tổng Liên "
             "đoàn Lao động Việt Nam (toàn diện)", "collectives": 1, "individuals": 0},
            {"issuer": "CDVC-VN", "issuer_name": "Công đoàn Viên chức Việt Nam",
             "form": "BK_LDLD", "form_name": "Bằng khen của Ban Chấp hành Liên đoàn Lao động "
             "tỉnh/thành phố, Công đoàn ngành Trung ương", "collectives": 3, "individuals": 6},
            {"issuer": "LDLD-HN", "issuer_name": "Liên đoàn Lao động TP Hà Nội",
             "form": "BK_LDLD", "form_name": "Bằng khen của Ban Chấp hành Liên đoàn Lao động",
             "collectives": 4, "individuals": 8},
            {"issuer": "LDLD-HN", "issuer_name": "Liên đoàn Lao động TP Hà Nội",
             "form": "CO_TD_XS_LDLD", "form_name": "Cờ thi đua xuất sắc của Liên đoàn Lao động "
             "tỉnh/thành phố", "collectives": 1, "individuals": 0},
            {"issuer": "CDVC-HN", "issuer_name": "Công đoàn Viên chức thành phố",
             "form": "GK_CAP_TREN", "form_name": "Giấy khen của Ban Chấp hành Công đoàn cấp "
             "trên trực tiếp cơ sở", "collectives": 38, "individuals": 100},
        ],
        "initiatives": {"total": 0, "proposed_for_awards": 0},
        "titles": {}, "movements": [],
    }
    data.update(over)
    return data


def test_the_opening_sentence_of_the_ha_noi_article() -> None:
    assert overview(figures()) == (
        "Công đoàn Viên chức thành phố Hà Nội đang quản lý trực tiếp 65 Công đoàn cơ sở với "
        "10.141 đoàn viên/10.159 CBCCVCLĐ.")


def test_awards_one_clause_per_issuer_in_the_articles_words() -> None:
    (text,) = awards(figures())
    assert ("Trong đó, 01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen; "
            "9 tập thể, cá nhân được Công đoàn Viên chức Việt Nam tặng Bằng khen; "
            "13 tập thể, cá nhân được Liên đoàn Lao động TP Hà Nội tặng Bằng khen và Cờ thi đua "
            "xuất sắc; 138 tập thể, cá nhân được Công đoàn Viên chức thành phố tặng Giấy khen."
            ) in text
    assert text.startswith("Năm 2017, qua các phong trào thi đua")
    (one,) = awards(figures(awards=figures()["awards"][:1]))
    assert one == "Năm 2017, 01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen."


def giay_khen(code: str, *, below: bool = True, kind: str = "cdcs", people: int = 2,
               form: str = "GK_CDCS") -> dict[str, Any]:
    return {"issuer": code, "issuer_name": f"Công đoàn cơ sở {code}", "form": form,
            "form_name": "Giấy khen của Ban Chấp hành công đoàn cơ sở", "collectives": 1,
            "individuals": people, "issuer_type": kind, "issuer_below": below}


def test_many_issuers_below_the_unit_are_one_line_per_type_and_form() -> None:
    # the rows as the database groups them (`award_counts(group_over=…)`, tested on records in
    # test_award_groups.py): seven CĐCS gave Giấy khen, one of them also the other form
    many = NAMED_ISSUERS_MAX + 2
    above = figures()["awards"][:2]
    group = giay_khen("*cdcs", people=2 * many) | {"collectives": many, "issuer_name": "",
                                                  "issuers": many, "type_issuers": many}
    dot = giay_khen("*cdcs", form="GK_CDCS_DOT", people=0) | {
        "issuer_name": "", "issuers": 1, "type_issuers": many}
    rows = [*above, group, dot,
            giay_khen("CT1", kind="cap_tren_co_so"),  # one of its type: named
            giay_khen("OUT", below=False),  # of the type, but not below the unit: named
            giay_khen("NONE", people=0) | {"collectives": 0}]  # nothing given: left out
    f = figures(awards=rows)
    groups = award_groups(f)
    assert [g["issuer"] for g in groups] == ["TLD", "CDVC-VN", "*cdcs", "*cdcs", "CT1", "OUT"]
    cdcs, other = groups[2], groups[3]
    assert (cdcs["collectives"], cdcs["individuals"], cdcs["issuers"]) == (many, 2 * many, many)
    assert cdcs["issuer_name"] == other["issuer_name"] == f"{many} công đoàn cơ sở"
    assert "type_issuers" not in cdcs
    assert award_issuer(cdcs) == f"{many} công đoàn cơ sở"
    assert award_issuer(other) == "1 công đoàn cơ sở"
    assert award_issuer(groups[4]) == "Công đoàn cơ sở CT1"
    assert groups[4] == rows[4] and groups[0] == above[0]  # issuers by name: as they are
    # the prose: one clause for the group, its forms joined; every recipient still counted
    (text,) = awards(f)
    assert (f"; {3 * many + 1} tập thể, cá nhân được {many} công đoàn cơ sở tặng Giấy khen; "
            "3 tập thể, cá nhân được Công đoàn cơ sở CT1 tặng Giấy khen; ") in text
    assert sum(int(g["collectives"]) + int(g["individuals"]) for g in groups) == sum(
        int(r["collectives"]) + int(r["individuals"]) for r in rows)
    # a row the database did not group is named, however many of its type there are: the
    # JSON file's rows (`year_figures` without `grouped`) are every issuer's
    every = [*above, *(giay_khen(f"CS{i}") for i in range(many))]
    assert [g["issuer"] for g in award_groups(figures(awards=every))] == [
        r["issuer"] for r in every]


def test_the_hai_ba_trung_figures_over_two_years() -> None:
    hbt = figures(unit={"code": "CD-UBND-HBT", "name": "Công đoàn cơ quan UBND quận"},
                  year=2023, since=2022, years=[2022, 2023], direct_units={"to_cd": 19},
                  workers=393, members=393, awards=[],
                  initiatives={"huyen": 89, "tinh": 7, "total": 89, "proposed_for_awards": 16},
                  movements=[{"code": c, "name": n, "year": y, "unit_type": "to_cd",
                              "coverage": {"done": 19, "of": 19}} for y in (2022, 2023)
                             for c, n in (("LDG", "Lao động giỏi"), ("SKST", "Sáng kiến, sáng tạo"),
                                          ("SDLL", "Sửa đổi lề lối làm việc"))],  # each year
                  titles={"GVNDVN": {"count": 196, "of": 200}})
    assert overview(hbt) == ("Công đoàn cơ quan UBND quận đang quản lý trực tiếp 19 Tổ công đoàn "
                             "với 393 đoàn viên/393 CBCCVCLĐ.")
    assert movements(hbt) == [
        "Các phong trào thi đua “Lao động giỏi”, “Sáng kiến, sáng tạo”, “Sửa đổi lề lối làm "
        "việc” được 19/19 Tổ công đoàn trực thuộc triển khai thực hiện."]
    assert initiatives(hbt) == [
        "Trong 2 năm 2022, 2023, Công đoàn cơ quan UBND quận có 89 sáng kiến, sáng tạo được công "
        "nhận cấp tỉnh, thành phố và cấp quận, huyện.",
        "16 sáng kiến, sáng tạo được đề nghị làm hồ sơ khen thưởng; 7 sáng kiến, sáng tạo được "
        "cấp tỉnh, thành phố công nhận."]
    named = {**hbt, "level_names": {"tinh": "cấp Thành phố", "huyen": "cấp quận"}}
    assert initiatives(named) == [  # the levels as the unit's tree names them, as the article
        "Trong 2 năm 2022, 2023, Công đoàn cơ quan UBND quận có 89 sáng kiến, sáng tạo được công "
        "nhận cấp Thành phố và cấp quận.",
        "16 sáng kiến, sáng tạo được đề nghị làm hồ sơ khen thưởng; 7 sáng kiến, sáng tạo được "
        "cấp Thành phố công nhận."]
    text = markdown(hbt)
    assert "196/200 nữ CBCCVCLĐ (98%) đạt danh hiệu “Giỏi việc nước, đảm việc nhà”" in text
    assert "## Tổng kết công tác thi đua, khen thưởng năm 2022 - 2023" in text


def _zeros() -> dict[str, Any]:
    return figures(
        direct_units={}, units={}, workers=0, members=0, women=0,
        awards=[{"issuer": "TLD", "issuer_name": "Tổng Liên đoàn Lao động Việt Nam",
                 "form": "BK_TLD_TOAN_DIEN", "form_name": "Bằng khen", "collectives": 0,
                 "individuals": 0}],
        initiatives={"tinh": 0, "total": 0, "proposed_for_awards": 0},
        titles={"LDTT": {"count": 0, "of": 0}},
        movements=[{"code": "LDG", "name": "Lao động giỏi", "year": 2017,
                    "coverage": {"done": 0, "of": 12}}],
        party_admitted=0)


def test_a_figure_that_is_zero_writes_no_sentence() -> None:
    assert sections(_zeros()) == []
    text = markdown(_zeros())
    assert not re.search(r"(?<![\d.,/])0(?![\d.,])", text), text


def test_zero_parts_drop_out_and_the_rest_stays() -> None:
    only_members = figures(workers=0, direct_units={}, awards=[])
    assert overview(only_members) == "Công đoàn Viên chức thành phố Hà Nội có 10.141 đoàn viên."
    titles = markdown(figures(titles={"LDTT": {"count": 0, "of": 10159},
                                      "CSTDCS": {"count": 812, "of": 10159}}))
    assert "Lao động tiên tiến" not in titles
    assert "812/10.159 CBCCVCLĐ (8%) đạt danh hiệu “Chiến sĩ thi đua cơ sở”" in titles


def test_unknown_figures_are_left_out() -> None:
    """Keys this build does not fill yet (Party, targets, welfare) and keys missing altogether
    write nothing; a Party figure, once there, writes the article's sentence."""
    bare = {"unit": CDVC, "year": 2017, "since": 2017, "years": [2017]}
    assert sections(bare) == []
    party = markdown(figures(party_admitted=291))
    assert "Trong năm 2017, đã có 291 đoàn viên ưu tú được kết nạp vào Đảng Cộng sản Việt Nam." \
        in party
    assert "kết nạp" not in markdown(figures())


def test_a_movement_names_the_units_it_reached() -> None:
    reached = [{"code": "LDG", "name": "Lao động giỏi", "year": 2017, "unit_type": "to_cd",
                "coverage": {"done": 30, "of": 40}},
               {"code": "NTVT", "name": "Người tốt, việc tốt", "year": 2017, "unit_type": "",
                "coverage": {"done": 70, "of": 105}}]
    assert movements(figures(movements=reached)) == [
        "Phong trào thi đua “Lao động giỏi” được 30/40 Tổ công đoàn trực thuộc triển khai thực "
        "hiện.",
        "Phong trào thi đua “Người tốt, việc tốt” được 70/105 đơn vị trực thuộc triển khai thực "
        "hiện."]


def test_families_over_the_workers_or_over_the_women_when_only_theirs_were_recognised() -> None:
    mixed = {"year": 2023, "titles": {"GDVH": {"count": 300, "of": 400,
                                               "women": {"count": 200, "of": 245}}}}
    assert "300/400 gia đình CBCCVCLĐ (75%) đạt danh hiệu “Gia đình văn hóa”" in titles(mixed)[0]
    women_only = {"year": 2023, "titles": {"GDVH": {"count": 243, "of": 400,
                                                    "women": {"count": 243, "of": 245}}}}
    assert ("243/245 gia đình nữ CBCCVCLĐ (99,2%) đạt danh hiệu “Gia đình văn hóa”"
            in titles(women_only)[0])
