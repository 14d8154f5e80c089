"""Then-and-now benchmark: classification of themes on constructed pairs of sessions.

    .venv/bin/python -m benchmarks.comparison            # the tables in docs/comparison.md

SIB-200 (7 topics, Romanian and English) from ../shared/data. Each trial shuffles the topics:
3 are "continued" (in both sessions), 2 "dropped" (earlier session only), 2 "new" (today only).
Each session gets 6 to 14 ideas per topic, no sentence in both, each sentence cut to a window of
6 to 14 words so that they read like ideas typed on a phone. The earlier session carries its
topics as theme labels; today's themes are either the true topics ("labelled") or found by
`find_themes` ("clustered", a cluster's truth being its majority topic). Scored: the share of
themes (both sessions) given the right status, and for today's recurring themes the share whose
closest match is the right earlier theme. Closest earlier ideas: the share of today's ideas that
get one (coverage), and of those, the share from the same topic (precision).
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from analysis import calibration, semantic
from analysis.compare import Comparison, compare_sessions, match_themes

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "sib200"
THEME_THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
IDEA_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
TRIALS = 20
RELATIVE = (0.0, 0.5, 0.6, 0.7, 0.8, 1.0)


def load(language: str) -> dict[str, list[str]]:
    """SIB-200 sentences by topic."""
    by_topic: dict[str, list[str]] = {}
    with (DATA / f"{language}.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_topic.setdefault(row["label"], []).append(row["text"])
    return by_topic


def _window(sentence: str, rng: random.Random) -> str:
    """A phone-length piece of a sentence: 6 to 14 consecutive words."""
    words = sentence.split()
    size = rng.randint(6, 14)
    if len(words) <= size:
        return sentence
    start = rng.randint(0, len(words) - size)
    return " ".join(words[start : start + size])


def make_pair(by_topic: dict[str, list[str]], seed: int, windows: bool = True) -> dict:
    """One constructed pair of sessions with the truth of every topic."""
    rng = random.Random(seed)
    topics = sorted(by_topic)
    rng.shuffle(topics)
    continued, dropped, new = topics[:3], topics[3:5], topics[5:7]
    pools = {t: rng.sample(by_topic[t], len(by_topic[t])) for t in topics}
    previous, previous_labels, current, current_labels = [], [], [], []
    for topic in continued + dropped:
        for sentence in pools[topic][: rng.randint(6, 14)]:
            previous.append(_window(sentence, rng) if windows else sentence)
            previous_labels.append(topic)
    for topic in continued + new:
        for sentence in pools[topic][-rng.randint(6, 14) :]:
            current.append(_window(sentence, rng) if windows else sentence)
            current_labels.append(topic)
    return {
        "previous": previous,
        "previous_labels": previous_labels,
        "current": current,
        "current_labels": current_labels,
        "continued": set(continued),
    }


def score(pair: dict, result, clustered: bool) -> tuple[int, int, int, int]:
    """(right statuses, themes, right closest matches, recurring themes of today)."""
    right = total = right_match = recurring = 0
    for theme in result.previous_themes:
        truth = "recurring" if theme.key in pair["continued"] else "not_raised_again"
        right += theme.status == truth
        total += 1
    for theme in result.current_themes:
        topic = (
            Counter(pair["current_labels"][i] for i in theme.members).most_common(1)[0][0]
            if clustered
            else theme.key
        )
        truth = "recurring" if topic in pair["continued"] else "new"
        right += theme.status == truth
        total += 1
        if truth == "recurring":
            recurring += 1
            best = result.previous_themes[theme.matches[0]].key if theme.matches else None
            right_match += best == topic
    return right, total, right_match, recurring


def run(
    language: str, clustered: bool, windows: bool, relative: float
) -> dict[float, tuple[float, float]]:
    """Status accuracy and right-match share per theme threshold, over TRIALS pairs."""
    by_topic = load(language)
    sums = {t: np.zeros(4) for t in THEME_THRESHOLDS}
    for seed in range(TRIALS):
        pair = make_pair(by_topic, seed, windows)
        base = compare_sessions(
            pair["previous"],
            pair["current"],
            previous_themes=pair["previous_labels"],
            current_themes=None if clustered else pair["current_labels"],
            theme_similarity=1.1,  # similarities only; classified below per threshold
        )
        for threshold in THEME_THRESHOLDS:
            matched = match_themes(base.similarity, threshold, relative)
            sums[threshold] += score(pair, _reclassify(base, matched), clustered)
    return {t: (100 * s[0] / s[1], 100 * s[2] / max(s[3], 1)) for t, s in sums.items()}


def _reclassify(base: Comparison, matched: np.ndarray) -> Comparison:
    """The same comparison with other matches."""
    order = np.argsort(-base.similarity, axis=1)
    current = [
        replace(
            t,
            status="recurring" if matched[i].any() else "new",
            matches=tuple(int(j) for j in order[i] if matched[i, j]),
        )
        for i, t in enumerate(base.current_themes)
    ]
    previous = [
        replace(t, status="recurring" if matched[:, j].any() else "not_raised_again")
        for j, t in enumerate(base.previous_themes)
    ]
    return replace(base, current_themes=current, previous_themes=previous)


def run_ideas(language: str) -> dict[float, tuple[float, float]]:
    """Coverage and precision of the closest earlier idea per idea threshold."""
    by_topic = load(language)
    counts = {t: [0, 0, 0] for t in IDEA_THRESHOLDS}  # linked, same topic, ideas
    for seed in range(TRIALS):
        pair = make_pair(by_topic, seed)
        result = compare_sessions(
            pair["previous"],
            pair["current"],
            previous_themes=pair["previous_labels"],
            current_themes=pair["current_labels"],
            idea_similarity=0.0,
        )
        for i, link in enumerate(result.closest):
            for t in IDEA_THRESHOLDS:
                counts[t][2] += 1
                if link is not None and link.similarity >= t:
                    counts[t][0] += 1
                    same = pair["previous_labels"][link.previous] == pair["current_labels"][i]
                    counts[t][1] += same
    return {t: (100 * c[0] / c[2], 100 * c[1] / max(c[0], 1)) for t, c in counts.items()}


def main() -> None:
    """Print the tables of docs/comparison.md: today's rule beside the calibrated one, and with
    --grid the threshold grid of the TF-IDF rule."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="ro,en")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--grid", action="store_true", help="also the TF-IDF threshold grid")
    parser.add_argument("--quick", action="store_true", help="one trial of the dev pairs")
    parser.add_argument(
        "--match",
        type=float,
        default=calibration.MATCH,
        help="the calibrated agreement from which themes match (to compare levels)",
    )
    parser.add_argument(
        "--pooled-match",
        type=float,
        default=calibration.POOLED_MATCH,
        help="the same for sessions in one language, centred together (to compare levels)",
    )
    parser.add_argument(
        "--min-themes",
        type=int,
        default=calibration.MIN_THEMES,
        help="themes each session needs for the calibrated agreement to decide",
    )
    parser.add_argument(
        "--neighbourhoods-from",
        type=int,
        default=semantic.NEIGHBOURHOODS_FROM,
        help="boards from which clustering uses neighbourhoods (0: every board)",
    )
    args = parser.parse_args()
    calibration.MATCH, calibration.MIN_THEMES = args.match, args.min_themes
    calibration.POOLED_MATCH = args.pooled_match
    semantic.NEIGHBOURHOODS_FROM = args.neighbourhoods_from
    print(
        f"calibrated agreement: level {args.match} across languages (at least {args.min_themes} "
        f"themes), {args.pooled_match} in one language (at least "
        f"{calibration.MIN_POOLED_THEMES} themes)"
    )
    calibrated(1 if args.quick else args.trials, quick=args.quick)
    if not args.quick:
        strengths()
    if not args.grid:
        return
    languages = args.languages.split(",")
    for windows in (False, True):
        for clustered in (False, True):
            title = "sentence windows" if windows else "whole sentences"
            themes = "clustered" if clustered else "labelled"
            print(f"\n### {title}, today's themes {themes}: status accuracy / right match, %\n")
            columns = [(r, lang) for r in RELATIVE for lang in languages]
            print("| threshold | " + " | ".join(f"r {r} {lang}" for r, lang in columns) + " |")
            print("|---:" * (1 + len(columns)) + "|")
            table = {(r, lang): run(lang, clustered, windows, r) for r, lang in columns}
            for t in THEME_THRESHOLDS:
                cells = [f"{table[c][t][0]:.0f} / {table[c][t][1]:.0f}" for c in columns]
                print(f"| {t:.2f} | " + " | ".join(cells) + " |")
    print("\n### closest earlier idea (sentence windows): coverage / precision, %\n")
    idea_tables = {lang: run_ideas(lang) for lang in languages}
    print("| threshold | " + " | ".join(languages) + " |")
    print("|---:" * (1 + len(languages)) + "|")
    for t in IDEA_THRESHOLDS:
        cells = [
            f"{idea_tables[lang][t][0]:.1f} / {idea_tables[lang][t][1]:.1f}" for lang in languages
        ]
        print(f"| {t:.2f} | " + " | ".join(cells) + " |")


def strengths() -> None:
    """How often a clear and a weak match link the right earlier topic (docs/comparison.md,
    "Strength of a match"): SIB-200 whole sentences, TRIALS pairs per language."""
    print("\n### strength of a match: right matches among clear / weak ones, % (matches)\n")
    print("| today's themes | language | clear | weak |")
    print("|---|---|---:|---:|")
    for clustered in (False, True):
        for language in ("ro", "en"):
            by_topic = load(language)
            counts: Counter = Counter()
            for seed in range(TRIALS):
                pair = make_pair(by_topic, seed, windows=False)
                result = compare_sessions(
                    pair["previous"],
                    pair["current"],
                    previous_themes=pair["previous_labels"],
                    current_themes=None if clustered else pair["current_labels"],
                )
                for i, theme in enumerate(result.current_themes):
                    topic = Counter(pair["current_labels"][m] for m in theme.members).most_common(
                        1
                    )[0][0]
                    for j in theme.matches:
                        right = result.previous_themes[j].key == topic
                        counts[(result.pairs[(i, j)].strength, right)] += 1
            cells = []
            for strength in ("clear", "weak"):
                total = counts[(strength, True)] + counts[(strength, False)]
                cells.append(f"{100 * counts[(strength, True)] / max(total, 1):.0f} ({total})")
            kind = "clustered" if clustered else "labelled"
            print(f"| {kind} | {language} | " + " | ".join(cells) + " |", flush=True)


def calibrated(trials: int = 10, quick: bool = False) -> None:
    """Today's rule (TF-IDF) beside the calibrated semantic rule, on the reported pairs.

    SIB-200's dev split (same-language and cross-language pairs, both directions) and
    polis_topics, today's themes labelled and clustered; the semantic rule was tuned on SIB-200's
    train split only (docs/comparison.md).
    """
    from collections import defaultdict

    from benchmarks import comparison_pairs as pairs

    dev = {lang: pairs.load("sib200", lang, "dev") for lang in ("ro", "en")}
    if quick:  # every kind of pair once, on the small dev split only (to check that it runs)
        train, polis = dev, dev["en"]
    else:
        train = {lang: pairs.load("sib200", lang, "train") for lang in ("ro", "en")}
        polis = pairs.load("polis_topics", "en")
    if polis.vectors is None:
        print("the semantic model is not installed here: only today's rule can be measured")
    settings = [
        ("SIB-200 train ro→ro", train["ro"], train["ro"], (3, 12)),
        ("SIB-200 train ro→en", train["ro"], train["en"], (3, 12)),
        ("SIB-200 dev ro→ro", dev["ro"], dev["ro"], (4, 7)),
        ("SIB-200 dev en→en", dev["en"], dev["en"], (4, 7)),
        ("SIB-200 dev ro→en", dev["ro"], dev["en"], (4, 7)),
        ("SIB-200 dev en→ro", dev["en"], dev["ro"], (4, 7)),
        ("polis_topics en→en", polis, polis, (6, 14)),
        ("polis_topics en→en, small themes", polis, polis, (3, 8)),
    ]
    print("\n### then and now: today's rule (TF-IDF) / calibrated (semantic vectors)\n")
    print(
        '| pairs | today\'s themes | status % | "new" recall % | "not raised again" recall % '
        "| recurring ideas / truth |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for name, then, now, sizes in settings:
        for clustered in (False, True):
            scores = defaultdict(pairs.Score)
            for seed in range(trials):
                pair = pairs.make_pair(then, now, seed, sizes)
                for method in ("tfidf", "semantic"):
                    if method == "semantic" and pair.previous_vectors is None:
                        continue
                    extra = (
                        {
                            "previous_vectors": pair.previous_vectors,
                            "current_vectors": pair.current_vectors,
                        }
                        if method == "semantic"
                        else {}
                    )
                    result = compare_sessions(
                        pair.previous,
                        pair.current,
                        previous_themes=pair.previous_labels,
                        current_themes=None if clustered else pair.current_labels,
                        **extra,
                    )
                    scores[method].add(pair, result)
            cells = []
            for key, fmt in (("status", "{:.0f}"), ("new", "{:.0f}"), ("dropped", "{:.0f}")):
                cells.append(" / ".join(fmt.format(s.figures()[key]) for s in scores.values()))
            cells.append(" / ".join(f"{s.figures()['ratio']:.2f}" for s in scores.values()))
            kind = "clustered" if clustered else "labelled"
            print(f"| {name} | {kind} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
