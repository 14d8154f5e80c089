"""Constructed pairs of sessions for the then-and-now benchmark, and their scores.

Each pair shuffles the topics of a labelled corpus into "continued" (in both sessions),
"dropped" (the earlier session only) and "new" (today only), with a few ideas per topic and
session and no text in both sessions (for SIB-200, whose Romanian and English rows are
translations of each other, no row in both). The earlier session carries its topics as theme
labels; today's themes are the true topics ("labelled") or found by clustering ("clustered", a
cluster's truth being its majority topic).

Splits: SIB-200's first 701 rows are its train split (the only rows methods are tuned on), the
last 99 its dev split (reported); polis_topics is reported only.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.embeddings import embedded

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SIB_TRAIN = 701


@dataclass
class Corpus:
    """Texts with their topic, and their semantic vectors when the model is installed."""

    name: str
    texts: list[str]
    labels: list[str]
    vectors: np.ndarray | None


def load(name: str, language: str, split: str = "all", vectors: bool = True) -> Corpus:
    """A corpus: "sib200" ro/en (split "train", "dev" or "all") or "polis_topics" en."""
    path = DATA / name / f"{language}.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(handle)]
    keep = range(len(rows))
    if name == "sib200" and split == "train":
        keep = range(SIB_TRAIN)
    elif name == "sib200" and split == "dev":
        keep = range(SIB_TRAIN, len(rows))
    texts = [rows[i][0] for i in keep]
    return Corpus(
        f"{name}-{language}-{split}",
        texts,
        [rows[i][1] for i in keep],
        embedded(texts) if vectors else None,
    )


@dataclass
class Pair:
    """Two sessions and the truth: each idea's topic, and which topics continued."""

    previous: list[str]
    previous_labels: list[str]
    current: list[str]
    current_labels: list[str]
    continued: set[str]
    previous_vectors: np.ndarray | None
    current_vectors: np.ndarray | None


def make_pair(
    then: Corpus, now: Corpus, seed: int, sizes: tuple[int, int] = (6, 14), split=(3, 2, 2)
) -> Pair:
    """One pair of sessions; `then` and `now` are the same rows in one or two languages."""
    rng = random.Random(seed)
    topics = sorted(set(then.labels))
    rng.shuffle(topics)
    n_cont, n_drop, n_new = split
    continued = topics[:n_cont]
    dropped = topics[n_cont : n_cont + n_drop]
    new = topics[n_cont + n_drop : n_cont + n_drop + n_new]
    rows: dict[str, list[int]] = {}
    for i, label in enumerate(then.labels):
        rows.setdefault(label, []).append(i)
    previous_rows, current_rows = [], []
    for topic in continued + dropped + new:
        pool = rows[topic][:]
        rng.shuffle(pool)
        half = len(pool) // 2
        if topic in continued + dropped:
            previous_rows += pool[: min(rng.randint(*sizes), half)]
        if topic in continued + new:
            current_rows += pool[half:][: min(rng.randint(*sizes), len(pool) - half)]
    rng.shuffle(previous_rows)
    rng.shuffle(current_rows)
    return Pair(
        [then.texts[i] for i in previous_rows],
        [then.labels[i] for i in previous_rows],
        [now.texts[i] for i in current_rows],
        [now.labels[i] for i in current_rows],
        set(continued),
        then.vectors[previous_rows] if then.vectors is not None else None,
        now.vectors[current_rows] if now.vectors is not None else None,
    )


@dataclass
class Score:
    """Counts over many pairs; `figures` turns them into the reported shares."""

    right: int = 0
    themes: int = 0
    new_right: int = 0
    new: int = 0
    dropped_right: int = 0
    dropped: int = 0
    recurring_ideas: int = 0
    true_recurring_ideas: int = 0

    def add(self, pair: Pair, result) -> None:  # noqa: ANN001
        """Score one comparison (analysis.comparison.Comparison) of a pair."""
        for theme in result.previous_themes:
            truth = "recurring" if theme.label in pair.continued else "not_raised_again"
            self.right += theme.status == truth
            self.themes += 1
            if truth == "not_raised_again":
                self.dropped += 1
                self.dropped_right += theme.status == truth
        for theme in result.current_themes:
            topic = Counter(pair.current_labels[i] for i in theme.members).most_common(1)[0][0]
            truth = "recurring" if topic in pair.continued else "new"
            self.right += theme.status == truth
            self.themes += 1
            if truth == "new":
                self.new += 1
                self.new_right += theme.status == truth
            if theme.status == "recurring":
                self.recurring_ideas += len(theme.members)
        self.true_recurring_ideas += sum(label in pair.continued for label in pair.current_labels)

    def figures(self) -> dict[str, float]:
        """Status accuracy, "new" and "not raised again" recall (%), recurring ideas ratio."""
        return {
            "status": 100 * self.right / max(self.themes, 1),
            "new": 100 * self.new_right / max(self.new, 1),
            "dropped": 100 * self.dropped_right / max(self.dropped, 1),
            "ratio": self.recurring_ideas / max(self.true_recurring_ideas, 1),
        }
