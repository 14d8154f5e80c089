"""Clustering benchmark: quality on labelled sentences, speed on real participant statements.

    .venv/bin/python -m benchmarks.clustering              # the figures in docs/benchmarks.md
    .venv/bin/python -m benchmarks.clustering --ablation   # the method table in docs/clustering.md
    .venv/bin/python -m benchmarks.clustering --choosing-k # the k table in docs/clustering.md

Quality: SIB-200 (7 topics, Romanian and English) from ../shared/data, scored with AMI, ARI, NMI
and accuracy after Hungarian matching, averaged over three seeds, for (a) scikit-learn's default
TfidfVectorizer + KMeans(7), (b) ours with k=7, (c) ours choosing k in 2..15. Speed: median time
of a full re-clustering of 1,000 and 10,000 Polis statements (repeated to reach 10,000), caches
cleared first so nothing is reused between runs, and of placing one new idea among 1,000; the
process CPU time is shown too, being less sensitive than wall time to a busy shared machine.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    normalized_mutual_info_score,
)

from analysis import find_themes
from analysis import language as language_module
from analysis import text as text_module
from analysis import themes as themes_module
from analysis.themes import spherical_kmeans
from analysis.vectors import IdeaVectorizer

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SEEDS = (0, 1, 2)


def hungarian_accuracy(truth: Sequence, predicted: Sequence) -> float:
    """Share of items whose cluster maps to their label under the best one-to-one matching."""
    _, truth_ids = np.unique(np.asarray(truth), return_inverse=True)
    _, predicted_ids = np.unique(np.asarray(predicted), return_inverse=True)
    table = np.zeros((predicted_ids.max() + 1, truth_ids.max() + 1))
    np.add.at(table, (predicted_ids, truth_ids), 1)
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / len(truth_ids))


def scores(truth: Sequence, predicted: Sequence) -> dict[str, float]:
    """AMI, ARI, NMI and Hungarian accuracy, times 100, and the number of clusters."""
    return {
        "AMI": 100 * adjusted_mutual_info_score(truth, predicted),
        "ARI": 100 * adjusted_rand_score(truth, predicted),
        "NMI": 100 * normalized_mutual_info_score(truth, predicted),
        "acc": 100 * hungarian_accuracy(truth, predicted),
        "themes": float(len(set(predicted))),
    }


def load_sib200(language: str) -> tuple[list[str], list[str]]:
    """Texts and topic labels of ../shared/data/sib200/{language}.csv."""
    with (DATA / "sib200" / f"{language}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def load_statements() -> list[str]:
    """Participant statements from every ../shared/data/polis/*/comments.csv, in file order."""
    texts: list[str] = []
    for path in sorted((DATA / "polis").glob("*/comments.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [r["comment-body"] for r in csv.DictReader(handle) if r["comment-body"]]
    return texts


def baseline_labels(texts: Sequence[str], k: int = 7, seed: int = 0) -> list[int]:
    """(a) scikit-learn defaults: TfidfVectorizer() and KMeans(n_clusters=k)."""
    vectors = TfidfVectorizer().fit_transform(texts)
    return KMeans(n_clusters=k, random_state=seed).fit_predict(vectors).tolist()


def theme_labels(texts: Sequence[str], k_range: tuple[int, int], seed: int = 0) -> list[int]:
    """Ours: the theme index of every text."""
    labels = [0] * len(texts)
    for t, theme in enumerate(find_themes(texts, k_range=k_range, random_state=seed).themes):
        for i in theme.members:
            labels[i] = t
    return labels


def mean_scores(truth: Sequence, run: Callable[[int], Sequence]) -> dict[str, float]:
    """Scores averaged over SEEDS."""
    runs = [scores(truth, run(seed)) for seed in SEEDS]
    return {name: statistics.fmean(r[name] for r in runs) for name in runs[0]}


def clear_caches() -> None:
    """Forget cached folds, languages and stems, so a timed run starts from nothing."""
    for cached in (
        text_module.fold,
        text_module.detect_language,
        language_module.content_form,
        language_module.stem,
    ):
        cached.cache_clear()


def median_seconds(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU time of action over repeats, caches cleared before each."""
    times, cpu_times = [], []
    for _ in range(repeats):
        clear_caches()
        start, cpu_start = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return statistics.median(times), statistics.median(cpu_times)


def quality_table() -> list[str]:
    """Markdown rows of the quality comparison."""
    rows = [
        "| data | method | AMI | ARI | NMI | accuracy | themes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    methods: list[tuple[str, Callable]] = [
        ("(a) TfidfVectorizer() + KMeans(7)", lambda t, s: baseline_labels(t, 7, s)),
        ("(b) ours, k = 7", lambda t, s: theme_labels(t, (7, 7), s)),
        ("(c) ours, k chosen in 2..15", lambda t, s: theme_labels(t, (2, 15), s)),
    ]
    for language in ("ro", "en"):
        texts, truth = load_sib200(language)
        for name, method in methods:
            m = mean_scores(truth, lambda seed, method=method, texts=texts: method(texts, seed))
            rows.append(
                f"| sib200 {language} | {name} | {m['AMI']:.1f} | {m['ARI']:.1f} | "
                f"{m['NMI']:.1f} | {m['acc']:.1f} | {m['themes']:.1f} |"
            )
            print(rows[-1], flush=True)
    return rows


def speed_table() -> list[str]:
    """Markdown rows of the timing comparison."""
    statements = load_statements()
    rows = [
        "| task | ours (median s) | (a) (median s) | ours / (a) | ours, CPU (median s) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for n, repeats in ((1_000, 7), (10_000, 5)):
        ideas = (statements * (n // len(statements) + 1))[:n]
        ours, ours_cpu = median_seconds(lambda ideas=ideas: find_themes(ideas), repeats)
        base, _ = median_seconds(lambda ideas=ideas: baseline_labels(ideas), repeats)
        rows.append(
            f"| full re-clustering, {n:,} ideas (k chosen in 2..12) | {ours:.3f} | "
            f"{base:.3f} | {ours / base:.1f} | {ours_cpu:.3f} |"
        )
        print(rows[-1], flush=True)
    ideas = statements[:1_000]
    clustering = find_themes(ideas)
    vectorizer = TfidfVectorizer().fit(ideas)
    base_model = KMeans(n_clusters=7, random_state=0).fit(vectorizer.transform(ideas))
    new_ideas = statements[1_000:1_200]
    ours = statistics.median(_timed(lambda t=t: clustering.place(t)) for t in new_ideas)
    base = statistics.median(
        _timed(lambda t=t: base_model.predict(vectorizer.transform([t]))) for t in new_ideas
    )
    rows.append(
        f"| place one new idea among 1,000 | {ours * 1000:.2f} ms | {base * 1000:.2f} ms | "
        f"{ours / base:.1f} | |"
    )
    print(rows[-1], flush=True)
    return rows


def choosing_k_table(shares: Sequence[float] = (1.0, 0.8, 0.75, 0.7)) -> list[str]:
    """Markdown rows: AMI and number of themes for each silhouette share (1.0 = the maximum).

    Small boards: the tests' workshop corpus (5 topics, 30-120 ideas, sizes 6, 12, 20 and 24 per
    topic, corpus seeds 0-2) and the comparison tests' sessions (5 topics, 30-100 ideas, ro and
    en, two wordings); SIB-200 with k chosen in 2..15. Each run with clustering seeds 0, 1, 2.
    """
    from tests.analysis.corpus import workshop_ideas
    from tests.compare.corpus import THEMES, session

    boards: list[tuple[str, list, tuple[int, int]]] = [
        (
            "tests/analysis corpus, 30-120 ideas, 5 topics",
            [workshop_ideas(per_theme=p, seed=s) for p in (6, 12, 20, 24) for s in (0, 1, 2)],
            (2, 12),
        )
    ]
    for language in ("ro", "en"):
        sessions = [
            session(language, list(THEMES[language]), p, s, part)
            for p in (6, 12, 20)
            for s in (0, 1)
            for part in (0, 1)
        ]
        boards.append((f"tests/compare {language}, 30-100 ideas, 5 topics", sessions, (2, 12)))
    for language in ("ro", "en"):
        boards.append((f"sib200 {language}, 800, 7 topics", [load_sib200(language)], (2, 15)))
    rows = [
        "| share of best silhouette | data | k range | AMI | themes (mean) | themes (range) |",
        "| ---: | --- | --- | ---: | ---: | --- |",
    ]
    default = themes_module.SILHOUETTE_SHARE
    try:
        for share in shares:
            themes_module.SILHOUETTE_SHARE = share
            for name, sets, k_range in boards:
                amis, counts = [], []
                for texts, truth in sets:
                    for seed in SEEDS:
                        labels = theme_labels(texts, k_range, seed)
                        amis.append(100 * adjusted_mutual_info_score(truth, labels))
                        counts.append(len(set(labels)))
                rows.append(
                    f"| {share} | {name} | {k_range[0]}..{k_range[1]} | "
                    f"{statistics.fmean(amis):.1f} | {statistics.fmean(counts):.1f} | "
                    f"{min(counts)}-{max(counts)} |"
                )
                print(rows[-1], flush=True)
    finally:
        themes_module.SILHOUETTE_SHARE = default
    return rows


def _timed(action: Callable[[], object]) -> float:
    """Wall time of one call."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def iterative_classification(
    vectors: np.ndarray, labels: np.ndarray, iterations: int = 10, keep: float = 0.7
) -> np.ndarray:
    """Rakib et al. 2020: train on each cluster's most central ideas, relabel all, repeat."""
    labels = labels.copy()
    for _ in range(iterations):
        kinds = np.unique(labels)
        centres = np.vstack([vectors[labels == k].mean(axis=0) for k in kinds])
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        own = (vectors * centres[np.searchsorted(kinds, labels)]).sum(axis=1)
        train = np.zeros(len(labels), dtype=bool)
        for k in kinds:
            members = np.flatnonzero(labels == k)
            count = max(2, int(len(members) * keep))
            train[members[np.argsort(-own[members])[:count]]] = True
        if len(np.unique(labels[train])) < 2:
            break
        model = LogisticRegression(max_iter=300).fit(vectors[train], labels[train])
        new = model.predict(vectors)
        changed = float((new != labels).mean())
        labels = new
        if changed < 0.01:
            break
    return labels


def ablation_table() -> list[str]:
    """Markdown rows of the method variants, on SIB-200 with k = 7 (AMI x100, mean of 3 seeds)."""
    variants: list[tuple[str, dict, bool]] = [
        ("words (stems), no LSA", {"char_ngrams": None, "n_components": None}, False),
        ("char 3-5-grams, no LSA", {"use_words": False, "n_components": None}, False),
        ("words + chars, no LSA", {"n_components": None}, False),
        ("words, LSA 20", {"char_ngrams": None}, False),
        ("char 3-5-grams, LSA 20", {"use_words": False}, False),
        ("words + char 2-4-grams, LSA 20", {"char_ngrams": (2, 4)}, False),
        ("**words + chars, LSA 10 (chosen: max(10, most themes))**", {"n_components": 10}, False),
        ("words + chars, LSA 20", {}, False),
        ("words + chars, LSA 50", {"n_components": 50}, False),
        ("words + chars, LSA 100", {"n_components": 100}, False),
        ("words + chars, LSA 10, min_df 1 for chars", {"n_components": 10, "min_df": 1}, False),
        ("words + chars, LSA 10, + iterative classification", {"n_components": 10}, True),
    ]
    rows = ["| features | AMI ro | AMI en |", "| --- | ---: | ---: |"]
    data = {language: load_sib200(language) for language in ("ro", "en")}
    for name, options, refine in variants:
        cells = []
        for language in ("ro", "en"):
            texts, truth = data[language]

            def run(seed: int, texts=texts, options=options, refine=refine) -> np.ndarray:
                vectorizer = IdeaVectorizer(random_state=seed, **options)
                vectors = vectorizer.fit_transform(texts)
                labels = spherical_kmeans(vectors, 7, random_state=seed)
                return iterative_classification(vectors, labels) if refine else labels

            cells.append(mean_scores(truth, run)["AMI"])
        rows.append(f"| {name} | {cells[0]:.1f} | {cells[1]:.1f} |")
        print(rows[-1], flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Print the benchmark tables as Markdown."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clustering")
    parser.add_argument("--ablation", action="store_true", help="compare method variants")
    parser.add_argument("--choosing-k", action="store_true", help="compare rules choosing k")
    args = parser.parse_args(argv)
    if args.ablation:
        ablation_table()
        return
    if args.choosing_k:
        choosing_k_table()
        return
    quality_table()
    speed_table()


if __name__ == "__main__":
    main()
