"""Clustering benchmark: quality on labelled sentences, speed on real participant statements.

    .venv/bin/python -m benchmarks.clustering              # the figures in docs/benchmarks.md
    .venv/bin/python -m benchmarks.clustering --ablation   # the method table in docs/clustering.md
    .venv/bin/python -m benchmarks.clustering --choosing-k # the k table in docs/clustering.md
    .venv/bin/python -m benchmarks.clustering --semantic-ablation  # docs/clustering.md, semantic
    .venv/bin/python -m benchmarks.clustering --robustness # docs/clustering.md, vectors with noise
    .venv/bin/python -m benchmarks.clustering --quick      # a small run of every table (tests)

Semantic themes: AMI at the true k and at the chosen k, by TF-IDF alone and with semantic vectors
(`analysis.semantic`), side by side in the same run, on SIB-200 in Romanian, in English and mixed
(each sentence in one of the two at random), and on the labelled Polis statements; then the speed of
re-clustering with stored vectors, of embedding, and of placing an idea with its embedding. Each
target of the semantic themes is printed as met or not.

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
from collections.abc import Callable, Hashable, Sequence
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
from analysis.themes import continue_themes, spherical_kmeans
from analysis.vectors import IdeaVectorizer
from benchmarks.embeddings import embedded

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
        text_module._guess_language,
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


def load_polis_topics() -> tuple[list[str], list[str]]:
    """Texts and topic labels of ../shared/data/polis_topics/en.csv."""
    with (DATA / "polis_topics" / "en.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def semantic_sets(size: int | None = None) -> list[tuple[str, list[str], list[str], np.ndarray]]:
    """(name, texts, labels, semantic vectors) of each labelled set, the first `size` rows."""
    ro, ro_truth = load_sib200("ro")
    en, _ = load_sib200("en")
    # Mixed: each sentence in Romanian or in English, at random (the same draw every run).
    romanian = np.random.RandomState(7).rand(len(ro)) < 0.5
    mixed = [r if pick else e for r, e, pick in zip(ro, en, romanian, strict=True)]
    polis, polis_truth = load_polis_topics()
    sets = [("sib200 ro", ro, ro_truth), ("sib200 en", en, ro_truth)]
    sets += [("sib200 mixed", mixed, ro_truth), ("polis_topics en", polis, polis_truth)]
    out = []
    for name, texts, truth in sets:
        texts, truth = texts[:size], truth[:size]
        if name == "sib200 mixed":  # the vectors of each sentence in the language it has here
            picks = romanian[: len(texts)]
            vectors = np.where(
                picks[:, None], embedded(ro[: len(texts)]), embedded(en[: len(texts)])
            )
        else:
            vectors = embedded(texts)
        out.append((name, texts, truth, vectors))
    return out


# Targets of the semantic themes (AMI x100 at the true k), by data set.
SEMANTIC_TARGETS = {"sib200 ro": 30, "sib200 en": 30, "sib200 mixed": 25, "polis_topics en": 45}
# At the chosen k, AMI within this many points of the true-k figure.
CHOSEN_K_SLACK = 5


def labels_of(clustering, n: int) -> list[int]:
    """The theme index of every text of a clustering."""
    labels = [0] * n
    for t, theme in enumerate(clustering.themes):
        for i in theme.members:
            labels[i] = t
    return labels


def semantic_table(size: int | None = None) -> list[str]:
    """Markdown rows: AMI by TF-IDF alone and with semantic vectors, at the true and chosen k."""
    rows = [
        "| data | ideas | TF-IDF, true k | semantic, true k | TF-IDF, chosen k | "
        "semantic, chosen k (themes, < 3 ideas) | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, texts, truth, vectors in semantic_sets(size):
        if vectors is None:
            print(f"| {name} | semantic model not installed: skipped |", flush=True)
            continue
        k = len(set(truth))

        def ami(k_range, with_vectors, texts=texts, truth=truth, vectors=vectors):
            found = find_themes(
                texts, k_range=k_range, embeddings=vectors if with_vectors else None
            )
            labels = labels_of(found, len(texts))
            small = sum(len(t.members) < 3 for t in found.themes) / max(1, len(found.themes))
            return 100 * adjusted_mutual_info_score(truth, labels), len(found.themes), small

        tfidf_true, _, _ = ami((k, k), False)
        semantic_true, _, _ = ami((k, k), True)
        tfidf_chosen, _, _ = ami((2, 12), False)
        chosen, themes, small = ami((2, 12), True)
        target = SEMANTIC_TARGETS[name]
        met = semantic_true >= target and chosen >= semantic_true - CHOSEN_K_SLACK
        rows.append(
            f"| {name} | {len(texts)} | {tfidf_true:.1f} | {semantic_true:.1f} | "
            f"{tfidf_chosen:.1f} | {chosen:.1f} ({themes}, {small:.0%}) | "
            f">= {target}, chosen within {CHOSEN_K_SLACK}: {'met' if met else 'NOT met'} |"
        )
        print(rows[-1], flush=True)
    return rows


def semantic_speed_table(size: int = 1_000, repeats: int = 5) -> list[str]:
    """Markdown rows: re-clustering with stored vectors, embedding, placing with embedding."""
    from analysis import embedding

    if not embedding.available():
        print("| semantic speed | semantic model not installed: skipped |", flush=True)
        return []
    statements = load_statements()
    ideas = (statements * (size // len(statements) + 1))[:size]
    vectors = embedded(ideas)
    rows = [
        "| task | semantic (median) | TF-IDF alone (median) | ratio | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    with_vectors, _ = median_seconds(lambda: find_themes(ideas, embeddings=vectors), repeats)
    words_only, _ = median_seconds(lambda: find_themes(ideas), repeats)
    met = "met" if with_vectors <= 0.5 else "NOT met"
    rows.append(
        f"| re-cluster {size:,} ideas, stored vectors | {with_vectors:.3f} s | "
        f"{words_only:.3f} s | {with_vectors / words_only:.1f} | <= 0.5 s: {met} |"
    )
    print(rows[-1], flush=True)
    # Ideas of about 15 words (10-20), one at a time and in a batch of 20, on one thread.
    typical = [t for t in statements if 10 <= len(t.split()) <= 20][: max(20, size // 10)]
    embedding.embed(typical[:2])  # the model is loaded before timing
    one_by_one = statistics.median(_timed(lambda t=t: embedding.embed([t])) for t in typical)
    batch = statistics.median(
        _timed(lambda i=i: embedding.embed(typical[i : i + 20])) / 20
        for i in range(0, len(typical) - 19, 20)
    )
    rate = 1.0 / max(one_by_one, batch)
    rows.append(
        f"| embed ideas of 10-20 words, one thread | {1 / one_by_one:.0f} ideas/s one by one, "
        f"{1 / batch:.0f} in batches of 20 | | | "
        f">= 20 ideas/s: {'met' if rate >= 20 else 'NOT met'} |"
    )
    print(rows[-1], flush=True)
    clustering = find_themes(ideas, embeddings=vectors)
    new_ideas = typical[: min(50, len(typical))]
    placed = statistics.median(
        _timed(lambda t=t: (embedding.embed([t]), clustering.place(t))) for t in new_ideas
    )
    words = statistics.median(_timed(lambda t=t: clustering.place(t)) for t in new_ideas)
    rows.append(
        f"| place a new idea, with its embedding | {placed * 1000:.1f} ms | "
        f"{words * 1000:.2f} ms | {placed / words:.0f} | "
        f"<= 50 ms: {'met' if placed <= 0.05 else 'NOT met'} |"
    )
    print(rows[-1], flush=True)
    return rows


def halves(name: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The tune and report halves of a labelled set: SIB-200 rows 0-399 and 400-799, Polis
    topics even and odd rows (its rows come sorted by topic)."""
    if name.startswith("polis"):
        return np.arange(n)[::2], np.arange(n)[1::2]
    return np.arange(n)[: n // 2], np.arange(n)[n // 2 :]


def semantic_ablation_table(size: int | None = None) -> list[str]:
    """Markdown rows: ways of grouping by semantic vectors, at the true k, AMI x100.

    Each set is cut in two `halves`: the method was chosen on the first ("tune") and is reported
    on the second ("report").
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    from analysis import semantic
    from analysis.text import detect_language

    def per_language(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        return semantic.space(texts, vectors, None)

    def centred(vectors: np.ndarray) -> np.ndarray:
        return semantic._unit(vectors - vectors.mean(axis=0))

    def average(vectors: np.ndarray, k: int) -> np.ndarray:
        return fcluster(linkage(vectors, method="average", metric="cosine"), k, "maxclust")

    variants: list[tuple[str, Callable]] = [
        ("TF-IDF LSA, spherical k-means (before)", lambda t, v, lsa, k: spherical_kmeans(lsa, k)),
        ("raw vectors, k-means", lambda t, v, lsa, k: spherical_kmeans(semantic._unit(v), k)),
        ("centred, k-means", lambda t, v, lsa, k: spherical_kmeans(centred(v), k)),
        (
            "centred per language, k-means",
            lambda t, v, lsa, k: spherical_kmeans(per_language(v, t), k),
        ),
        (
            "centred, + LSA 30 %, k-means",
            lambda t, v, lsa, k: spherical_kmeans(_mix(v, lsa, t, 0.3, False), k),
        ),
        (
            "centred per language, average linkage",
            lambda t, v, lsa, k: average(per_language(v, t), k),
        ),
        (
            "centred per language + LSA 10 %, average linkage",
            lambda t, v, lsa, k: average(_mix(v, lsa, t, 0.1, True), k),
        ),
        (
            "**centred per language + LSA 10 %, neighbourhoods, average linkage (chosen)**",
            lambda t, v, lsa, k: average(semantic._neighbourhoods(_mix(v, lsa, t, 0.1, True)), k),
        ),
        (
            "centred per language + LSA 20 %, average linkage",
            lambda t, v, lsa, k: average(_mix(v, lsa, t, 0.2, True), k),
        ),
    ]
    rows = [
        "| method | "
        + " | ".join(f"{n} {h}" for n, *_ in semantic_sets(size) for h in ("tune", "report"))
        + " |"
    ]
    by_set: dict[str, list] = {}
    for name, texts, truth, vectors in semantic_sets(size):
        if vectors is None:
            print("semantic model not installed: skipped", flush=True)
            return []
        n = len(texts)
        for part in halves(name, n):
            sub = [texts[i] for i in part]
            detect_language(sub[0])
            lsa = IdeaVectorizer(n_components=12, random_state=0).fit_transform(sub)
            by_set.setdefault(name, []).append((sub, [truth[i] for i in part], vectors[part], lsa))
    rows.append("| --- |" + " ---: |" * (len(rows[0].split("|")) - 3))
    print(rows[0], flush=True)
    for label, method in variants:
        cells = []
        for parts in by_set.values():
            for sub, truth, vectors, lsa in parts:
                k = len(set(truth))
                cells.append(100 * adjusted_mutual_info_score(truth, method(sub, vectors, lsa, k)))
        rows.append(f"| {label} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")
        print(rows[-1], flush=True)
    return rows


def robustness_table(size: int | None = None, copies: int = 5, noise: float = 0.05) -> list[str]:
    """Markdown rows: AMI x100 at the true k on the vectors as computed and on `copies` copies
    with a little noise added, with and without the neighbourhoods of `analysis.semantic`.

    The engine gives slightly different vectors on different processors (the same code gave
    polis_topics 47.3 on one machine and 43.5 on another), so a method whose figure moves by
    several points when the vectors move a little would pass or fail by chance. Each copy adds
    Gaussian noise of total length `noise` to every unit vector (a cosine of about 0.999 to the
    original) with a fixed seed. Cells: median (lowest) of the original and its copies, on each
    half and on the whole set (halves as in `semantic_ablation_table`).
    """
    from analysis import semantic

    sets = semantic_sets(size)
    if any(vectors is None for *_, vectors in sets):
        print("semantic model not installed: skipped", flush=True)
        return []
    header = "| method | " + " | ".join(
        f"{name} {part}" for name, *_ in sets for part in ("tune", "report", "whole")
    )
    rows = [header + " |", "| --- |" + " ---: |" * (3 * len(sets))]
    print(rows[0], flush=True)
    default = semantic.NEIGHBOURS
    try:
        for label, neighbours in (("no neighbourhoods", 0), ("neighbourhoods (chosen)", default)):
            semantic.NEIGHBOURS = neighbours
            cells = []
            for name, texts, truth, vectors in sets:
                n = len(texts)
                for part in (*halves(name, n), np.arange(n)):
                    sub, sub_truth = [texts[i] for i in part], [truth[i] for i in part]
                    k = len(set(sub_truth))
                    figures = []
                    for copy in range(copies + 1):
                        moved = vectors[part]
                        if copy:
                            shift = np.random.RandomState(copy).normal(size=moved.shape)
                            moved = semantic._unit(moved + shift * noise / np.sqrt(moved.shape[1]))
                        found = find_themes(sub, k_range=(k, k), embeddings=moved)
                        labels = labels_of(found, len(sub))
                        figures.append(100 * adjusted_mutual_info_score(sub_truth, labels))
                    cells.append(f"{np.median(figures):.1f} ({min(figures):.1f})")
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
            print(rows[-1], flush=True)
    finally:
        semantic.NEIGHBOURS = default
    return rows


def growing_room(
    texts: Sequence[str], truth: Sequence, vectors: np.ndarray, step: int, seed: int
) -> tuple[list[int], list[float]]:
    """A room whose ideas arrive `step` a round, in a shuffled order, re-clustered as the server
    does (themes continued, the number of themes chosen again when the room has grown by
    FRESH_CHOICE_GROWTH): the ideas already on the board that changed theme at each round, and
    AMI x100 of each round's themes against the topics of its ideas."""
    from facilitation.clustering import FRESH_CHOICE_GROWTH

    order = np.random.RandomState(seed).permutation(len(texts))
    current: dict[int, Hashable] = {}
    moved, quality, fresh_size = [], [], 0
    for n in range(step, len(texts) + step, step):
        ids = [int(i) for i in order[:n]]
        groups: dict[Hashable, set[int]] = {}
        for i, key in current.items():
            groups.setdefault(key, set()).add(i)
        rechoose = n > fresh_size * FRESH_CHOICE_GROWTH
        fresh_size = n if rechoose else fresh_size
        result, keys = continue_themes(
            [texts[i] for i in ids],
            ids=ids,
            groups=groups,
            previous=[current.get(i) for i in ids],
            rechoose=rechoose,
            embeddings=vectors[ids],
        )
        after: dict[int, Hashable] = {}
        for t, (theme, key) in enumerate(zip(result.themes, keys, strict=True)):
            for m in theme.members:
                after[ids[m]] = key if key is not None else (n, t)
        moved.append(sum(after[i] != key for i, key in current.items()))
        quality.append(
            100 * adjusted_mutual_info_score([truth[i] for i in ids], [str(after[i]) for i in ids])
        )
        current = after
    return moved, quality


def stability_table(
    margins: Sequence[float] = (0.03, 0.05, 0.08, 0.12),
    seeds: int = 3,
    size: int | None = None,
) -> list[str]:
    """Markdown rows: how many ideas already on the board change theme per round while a room
    grows, and the themes' AMI x100 meanwhile. First as before the stay margin (each idea in
    the nearest theme at every round, a new grouping whenever the number of themes is chosen
    again), then with each `themes.STAY_MARGIN` in `margins`, with and without
    `themes.CONTINUE_AT_SAME_K`.

    Each half of each set (`halves`; the margin was chosen on the tune halves of SIB-200 mixed
    and polis_topics) grows in 12 rounds (`growing_room`), in `seeds` orders. Cells: ideas moved
    per round, median (largest) over rounds and orders / mean AMI over rounds and orders.
    """
    themes = themes_module
    sets = [
        entry for entry in semantic_sets(size) if entry[0] in ("sib200 mixed", "polis_topics en")
    ]
    if any(vectors is None for *_, vectors in sets):
        print("semantic model not installed: skipped", flush=True)
        return []
    header = "| rule | " + " | ".join(
        f"{name} {part}" for name, *_ in sets for part in ("tune", "report")
    )
    rows = [header + " |", "| --- |" + " ---: |" * (2 * len(sets))]
    print(rows[0], flush=True)
    chosen = (themes.STAY_MARGIN, themes.CONTINUE_AT_SAME_K)
    variants = [("nearest theme every round (before)", 0.0, False)]
    variants += [(f"margin {m:g}, new grouping kept", m, False) for m in margins]
    variants += [(f"margin {m:g}, continued at the same number", m, True) for m in margins]
    try:
        for label, margin, same_k in variants:
            themes.STAY_MARGIN, themes.CONTINUE_AT_SAME_K = margin, same_k
            cells = []
            for name, texts, truth, vectors in sets:
                for part in halves(name, len(texts)):
                    moved, quality = [], []
                    for seed in range(seeds):
                        m, q = growing_room(
                            [texts[i] for i in part],
                            [truth[i] for i in part],
                            vectors[part],
                            step=max(5, len(part) // 12),
                            seed=seed,
                        )
                        moved += m[1:]  # the first round has nothing on the board yet
                        quality += q
                    cells.append(f"{np.median(moved):.0f} ({max(moved)}) / {np.mean(quality):.1f}")
            label += " (chosen)" if (margin, same_k) == chosen else ""
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
            print(rows[-1], flush=True)
    finally:
        themes.STAY_MARGIN, themes.CONTINUE_AT_SAME_K = chosen
    return rows


def small_boards_table(
    sizes: Sequence[int] = (40, 100, 200), draws: int = 12, topics: int = 5, size: int | None = None
) -> list[str]:
    """Markdown rows: mean AMI x100 on small boards drawn from the tune halves, with and without
    the neighbourhoods of `analysis.semantic`, at the true k and at the chosen k (2..12).

    A room's board has 20 to a few hundred ideas: each draw takes `topics` topics at random and
    the first `n` of their ideas in a shuffled order (fixed seeds), for n in `sizes`.
    """
    import random

    from analysis import semantic

    sets = semantic_sets(size)
    if any(vectors is None for *_, vectors in sets):
        print("semantic model not installed: skipped", flush=True)
        return []
    rows = [
        "| data | ideas | true k, without / with | chosen k, without / with |",
        "| --- | ---: | ---: | ---: |",
    ]
    print(rows[0], flush=True)
    default = semantic.NEIGHBOURS
    try:
        for name, texts, truth, vectors in sets:
            n = len(texts)
            tune = halves(name, n)[0]
            names = sorted(set(truth))
            for ideas in sizes:
                figures: dict[tuple[int, bool], list[float]] = {}
                for draw in range(draws):
                    rng = random.Random(draw)
                    chosen = set(rng.sample(names, min(topics, len(names))))
                    pool = [int(i) for i in tune if truth[i] in chosen]
                    rng.shuffle(pool)
                    pick = pool[:ideas]
                    sub, sub_truth = [texts[i] for i in pick], [truth[i] for i in pick]
                    k = len(set(sub_truth))
                    for neighbours in (0, default):
                        semantic.NEIGHBOURS = neighbours
                        for true_k in (True, False):
                            found = find_themes(
                                sub, k_range=(k, k) if true_k else (2, 12), embeddings=vectors[pick]
                            )
                            score = adjusted_mutual_info_score(
                                sub_truth, labels_of(found, len(sub))
                            )
                            figures.setdefault((neighbours, true_k), []).append(100 * score)
                mean = {key: float(np.mean(values)) for key, values in figures.items()}
                rows.append(
                    f"| {name} | {ideas} | {mean[0, True]:.1f} / {mean[default, True]:.1f} | "
                    f"{mean[0, False]:.1f} / {mean[default, False]:.1f} |"
                )
                print(rows[-1], flush=True)
    finally:
        semantic.NEIGHBOURS = default
    return rows


def _mix(
    vectors: np.ndarray, lsa: np.ndarray, texts: Sequence[str], weight: float, per_language: bool
) -> np.ndarray:
    """Centred semantic vectors (per language, or over all) with LSA vectors of a given weight."""
    from analysis import semantic

    default = semantic.LSA_WEIGHT
    try:
        semantic.LSA_WEIGHT = weight
        if per_language:
            return semantic.space(texts, vectors, lsa)
        centred = semantic._unit(vectors - vectors.mean(axis=0))
        return semantic._unit(
            np.hstack([centred * np.sqrt(1 - weight), semantic._unit(lsa) * np.sqrt(weight)])
        )
    finally:
        semantic.LSA_WEIGHT = default


def main(argv: Sequence[str] | None = None) -> None:
    """Print the benchmark tables as Markdown."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clustering")
    parser.add_argument("--ablation", action="store_true", help="compare method variants")
    parser.add_argument("--choosing-k", action="store_true", help="compare rules choosing k")
    parser.add_argument(
        "--semantic-ablation", action="store_true", help="compare ways of using semantic vectors"
    )
    parser.add_argument(
        "--robustness", action="store_true", help="AMI on vectors with a little noise added"
    )
    parser.add_argument(
        "--stability", action="store_true", help="ideas changing theme while a room grows"
    )
    parser.add_argument(
        "--quick", action="store_true", help="every table on small data, to check it runs"
    )
    args = parser.parse_args(argv)
    if args.semantic_ablation:
        semantic_ablation_table()
        return
    if args.robustness:
        robustness_table()
        small_boards_table()
        return
    if args.stability:
        stability_table()
        return
    if args.ablation:
        ablation_table()
        return
    if args.choosing_k:
        choosing_k_table()
        return
    if args.quick:
        semantic_ablation_table(size=80)
        robustness_table(size=80, copies=1)
        small_boards_table(sizes=(20,), draws=1, size=80)
        stability_table(margins=(themes_module.STAY_MARGIN,), seeds=1, size=80)
        semantic_table(size=60)
        semantic_speed_table(size=100, repeats=1)
        return
    semantic_table()
    semantic_speed_table()
    quality_table()
    speed_table()


if __name__ == "__main__":
    main()
