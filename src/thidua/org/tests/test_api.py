"""The units API, walked as users inside and outside the scope and anonymously, and as of dates
before later changes to the tree."""

import datetime as dt

import pytest
from django.test import Client

from thidua.org.services import unit_move, unit_rename
from thidua.testing import make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def api(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def codes(rows) -> list[str]:
    return [r["code"] for r in rows]


def get_tree(user, **params):
    response = api(user).get("/api/units/tree", params)
    assert response.status_code == 200, response.content
    return response.json()


# --- tree -------------------------------------------------------------------------------------


def test_tree_of_grassroots_officer_is_their_subtree_only(world):
    rows = get_tree(world.officer_cdcs)
    assert codes(rows) == ["CDCS-A", "TO-A1"]
    a, to = rows
    assert a["name"] == "Công đoàn Sở Tư pháp"
    assert a["type"] == "cdcs" and a["type_label"] == "Công đoàn cơ sở"
    # CDVC-HN is out of this officer's scope: its code is not handed out
    assert a["parent"] is None
    assert to["parent"] == "CDCS-A" and to["depth"] == a["depth"] + 1
    assert a["valid_from"] == "2010-01-01" and a["valid_to"] is None


def test_tree_of_officer_above_sees_more_and_not_the_sibling_branch(world):
    rows = get_tree(world.officer_above)
    assert codes(rows) == ["CDVC-HN", "CDCS-A", "TO-A1", "CDCS-B"]
    assert {r["code"]: r["parent"] for r in rows}["CDCS-B"] == "CDVC-HN"
    assert codes(get_tree(world.outsider)) == ["CDCS-C"]
    assert codes(get_tree(world.viewer)) == ["CDVC-HN", "CDCS-A", "TO-A1", "CDCS-B"]


def test_tree_of_leader_covers_both_branches(world):
    assert codes(get_tree(world.leader)) == [
        "LDLD-HN", "CDVC-HN", "CDCS-A", "TO-A1", "CDCS-B", "LDLD-HBT", "CDCS-C",
    ]


def test_tree_for_a_member_account_without_grants_is_empty(world):
    assert get_tree(world.member_user) == []


def test_nested_tree(world):
    roots = get_tree(world.officer_above, nested="true")
    assert codes(roots) == ["CDVC-HN"]
    cdvc = roots[0]
    assert codes(cdvc["children"]) == ["CDCS-A", "CDCS-B"]
    assert codes(cdvc["children"][0]["children"]) == ["TO-A1"]
    assert cdvc["children"][1]["children"] == []
    # flat lists carry no children key content
    assert all(r["children"] is None for r in get_tree(world.officer_above))


def test_tree_as_of_an_earlier_date_shows_the_old_name_and_parent(world):
    unit_rename(actor=world.admin, unit=world.cdcs_b, name="Công đoàn Sở Y tế Hà Nội",
                date=D(2020, 1, 1))
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2021, 1, 1))

    before = {r["code"]: r for r in get_tree(world.leader, date="2019-06-30")}
    assert before["CDCS-B"]["name"] == "Công đoàn Sở Y tế"
    assert before["CDCS-B"]["parent"] == "CDVC-HN"
    between = {r["code"]: r for r in get_tree(world.leader, date="2020-06-30")}
    assert between["CDCS-B"]["name"] == "Công đoàn Sở Y tế Hà Nội"
    assert between["CDCS-B"]["parent"] == "CDVC-HN"
    now = {r["code"]: r for r in get_tree(world.leader)}
    assert now["CDCS-B"]["parent"] == "LDLD-HBT"
    assert now["CDCS-B"]["depth"] == now["CDCS-C"]["depth"]

    # CDVC-HN's officer: today CDCS-B is no longer theirs, but their 2019 tree still holds it
    assert "CDCS-B" not in codes(get_tree(world.officer_above))
    assert "CDCS-B" in codes(get_tree(world.officer_above, date="2019-06-30"))
    # and the HBT branch did not have it then
    assert "CDCS-B" not in codes(get_tree(world.outsider, date="2019-06-30"))


def test_tree_before_a_unit_existed_leaves_it_out(world):
    make_unit("CDCS-NEW", "cdcs", world.cdvc, day=D(2015, 3, 1))
    assert "CDCS-NEW" not in codes(get_tree(world.officer_above, date="2015-02-28"))
    assert "CDCS-NEW" in codes(get_tree(world.officer_above, date="2015-03-01"))


def test_tree_query_count_does_not_grow_with_the_tree(world, django_assert_num_queries):
    client = api(world.officer_above)

    def count_queries(n_expected_rows):
        # session, user, grants, the grants' paths as of the date, the versions
        with django_assert_num_queries(5):
            rows = client.get("/api/units/tree").json()
        assert len(rows) == n_expected_rows

    count_queries(4)
    for i in range(6):
        make_unit(f"TO-B{i}", "to_cd", world.cdcs_b)
    count_queries(10)


def test_tree_rejects_a_malformed_date(world):
    response = api(world.officer_cdcs).get("/api/units/tree", {"date": "31/12/2017"})
    assert response.status_code == 422


# --- subtree ----------------------------------------------------------------------------------


def test_subtree(world):
    rows = api(world.officer_above).get("/api/units/CDCS-A/subtree").json()
    assert codes(rows) == ["CDCS-A", "TO-A1"]
    assert rows[0]["parent"] == "CDVC-HN"  # visible to this officer
    whole = api(world.leader).get("/api/units/LDLD-HN/subtree", {"nested": "true"}).json()
    assert codes(whole) == ["LDLD-HN"]
    assert codes(whole[0]["children"]) == ["CDVC-HN", "LDLD-HBT"]


def test_subtree_as_of_a_date(world):
    unit_move(actor=world.admin, unit=world.to_a1, new_parent=world.cdcs_b, date=D(2020, 1, 1))
    client = api(world.officer_above)
    assert codes(client.get("/api/units/CDCS-A/subtree", {"date": "2019-12-31"}).json()) == [
        "CDCS-A", "TO-A1",
    ]
    assert codes(client.get("/api/units/CDCS-A/subtree").json()) == ["CDCS-A"]
    assert codes(client.get("/api/units/CDCS-B/subtree").json()) == ["CDCS-B", "TO-A1"]


def test_subtree_scope(world):
    assert api(world.outsider).get("/api/units/CDCS-A/subtree").status_code == 404
    assert api(world.officer_cdcs).get("/api/units/CDCS-B/subtree").status_code == 404
    assert api(world.viewer).get("/api/units/CDCS-A/subtree").status_code == 200


# --- events -----------------------------------------------------------------------------------


def test_events_history(world):
    unit_rename(actor=world.admin, unit=world.cdcs_b, name="Công đoàn Sở Y tế Hà Nội",
                date=D(2020, 1, 1), decision="123/QĐ-LĐLĐ")
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2021, 1, 1),
              note="Sắp xếp lại")
    rows = api(world.leader).get("/api/units/CDCS-B/events").json()
    assert [(r["kind"], r["date"]) for r in rows] == [
        ("create", "2010-01-01"), ("rename", "2020-01-01"), ("move", "2021-01-01"),
    ]
    assert rows[1]["decision"] == "123/QĐ-LĐLĐ"
    assert rows[1]["kind_label"] == "Đổi tên"
    assert rows[2]["note"] == "Sắp xếp lại"
    assert rows[2]["units_before"] == ["CDCS-B"] and rows[2]["units_after"] == ["CDCS-B"]
    assert rows[0]["units_before"] == [] and rows[0]["units_after"] == ["CDCS-B"]


def test_events_scope(world):
    assert api(world.officer_cdcs).get("/api/units/CDCS-A/events").status_code == 200
    assert api(world.viewer).get("/api/units/CDCS-A/events").status_code == 200
    assert api(world.outsider).get("/api/units/CDCS-A/events").status_code == 404


# --- anonymous --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/units/tree", "/api/units/CDCS-A", "/api/units/CDCS-A/subtree",
     "/api/units/CDCS-A/events", "/api/units/KHONG-CO"],
)
def test_anonymous_is_401(world, url):
    response = api().get(url)
    assert response.status_code == 401
    assert "đăng nhập" in response.json()["detail"]
