"""Reads shared by the parts of one page (`platform.reads`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from thidua.platform.reads import page_memo, page_reads, page_reads_view, remembered

calls: list[tuple[object, ...]] = []


@remembered
def _read(a: object, *, b: object = None) -> tuple[object, ...]:
    calls.append((a, b))
    return (a, b, len(calls))


@pytest.fixture(autouse=True)
def _fresh() -> None:
    calls.clear()


def test_outside_a_page_every_call_reads() -> None:
    assert page_memo() is None
    assert _read(1) == (1, None, 1)
    assert _read(1) == (1, None, 2)


def test_inside_a_page_the_same_arguments_read_once() -> None:
    with page_reads():
        first = _read(1, b=[2, 3])
        assert _read(1, b=[2, 3]) is first
        assert _read(1, b=(2, 3)) is first  # a list and a tuple of the same values
        assert _read(1, b=[3, 2]) != first
        assert _read(2) != first
        with page_reads():  # nested: the outer page's memory
            assert _read(1, b=[2, 3]) is first
    assert len(calls) == 3
    with page_reads():  # another page reads again
        assert _read(1, b=[2, 3]) != first
    assert len(calls) == 4


@pytest.mark.django_db
def test_an_object_stands_for_its_class_and_key_and_an_unsaved_one_is_not_remembered() -> None:
    group = Group.objects.create(name="Tổ Một")
    with page_reads():
        first = _read(group)
        assert _read(Group.objects.get(pk=group.pk)) is first
        assert _read(SimpleLazyObject(lambda: group)) is first  # as request.user comes
        assert _read(Group(name="Chưa lưu")) != _read(Group(name="Chưa lưu"))
        assert _read({"dict": "is not hashable"}) != _read({"dict": "is not hashable"})
    assert len(calls) == 5


def test_a_view_remembers_for_its_get_only() -> None:
    seen: list[bool] = []

    @page_reads_view
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(page_memo() is not None)
        return HttpResponse()

    factory = RequestFactory()
    view(factory.get("/"))
    view(factory.head("/"))
    view(factory.post("/"))
    assert seen == [True, True, False]
    assert page_memo() is None
