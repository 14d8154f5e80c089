"""Semantic vectors of benchmark texts, computed once per machine and kept in a cache folder.

Embedding the 2,467 sentences of ../shared/data takes a minute or two of one core; the benchmarks
run many variants on the same texts, so the vectors are kept under .cache/embeddings, keyed by the
model and a digest of the texts. Nothing else reads the cache, and deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis import embedding

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "embeddings"


def embedded(texts: Sequence[str]) -> np.ndarray | None:
    """Unit vectors of texts (cached), or None where the semantic model is not installed."""
    if not embedding.available():
        return None
    digest = hashlib.sha256(embedding.MODEL.encode())
    for text in texts:
        digest.update(embedding.prepare(text).encode())
        digest.update(b"\0")
    path = CACHE / f"{digest.hexdigest()[:24]}.npy"
    if path.exists():
        return np.load(path)
    rows = embedding.embed(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    # Written whole under another name, then renamed: a reader in another process (tests run in
    # parallel) sees either no file or all of it.
    part = path.with_name(f"{path.stem}.{os.getpid()}.npy")
    np.save(part, rows)
    os.replace(part, path)
    return rows
