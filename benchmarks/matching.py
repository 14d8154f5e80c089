"""Then-and-now matching on constructed pairs of sessions, today's rule beside the calibrated one.

    .venv/bin/python -m benchmarks.matching            # the tables in docs/comparison.md
    .venv/bin/python -m benchmarks.matching --quick    # small data, to check that it runs

Pairs are built from ../shared/data: SIB-200 in Romanian and in English (the same sentences in
both, in the same order), same-language and cross-language (Romanian then, English now, and the
reverse), and polis_topics (English). In each pair, three topics continue, the others are split
between dropped (earlier session only) and new (today only); each topic gets 6 to 20 ideas per
session, no sentence (nor its translation) in both. The earlier session carries its topics as
theme labels; today's themes are found by clustering, as the board finds them, and a theme's
truth is its majority topic.

Scored over every theme of both sessions: the share given the right status; the recall of "new"
(today's themes of a new topic) and of "not raised again" (earlier themes of a dropped topic);
and the ideas of today in themes called recurring, as a ratio to the ideas of continued topics.

The calibrated rule's level was chosen on the even rows of SIB-200 (the tuning table); the
report uses the odd rows of SIB-200 and all of polis_topics, which took no part in the choice.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis import calibration
from analysis.compare import compare_sessions, match_themes
from analysis.comparison import RECURRING
from analysis.text import canonical
from analysis.themes import find_themes
from analysis.vectors import IdeaVectorizer
from benchmarks.embeddings import embedded

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TAUS = (0.5, 0.6, 0.7, 0.8, 0.9)
# (earlier session, today's session): SIB-200 in each language and across, and polis_topics.
SETTINGS = (("ro", "ro"), ("en", "en"), ("ro", "en"), ("en", "ro"), ("polis", "polis"))
TARGETS = {"sib": 80.0, "polis": 90.0, "recall": 85.0, "ratio": (0.8, 1.25)}


@dataclass
class Corpus:
    """Texts, topics and vectors (None without the semantic model) of one data set."""

    texts: list[str]
    topics: list[str]
    vectors: np.ndarray | None


def load(limit: int | None) -> dict[str, Corpus]:
    """SIB-200 ro and en (parallel) and polis_topics, with their semantic vectors."""
    corpora = {}
    for name, path in (
        ("ro", "sib200/ro.csv"),
        ("en", "sib200/en.csv"),
        ("polis", "polis_topics/en.csv"),
    ):
        with (DATA / path).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        if limit:
            rows = rows[:limit]
        texts = [r["text"] for r in rows]
        corpora[name] = Corpus(texts, [r["label"] for r in rows], embedded(texts))
    return corpora


def make_pair(topics: list[str], seed: int, part: int | None) -> dict:
    """Indexes and topics of both sessions; part 0 or 1 keeps even or odd rows only."""
    rng = random.Random(seed)
    by_topic: dict[str, list[int]] = {}
    for i, topic in enumerate(topics):
        if part is None or i % 2 == part:
            by_topic.setdefault(topic, []).append(i)
    names = sorted(by_topic)
    rng.shuffle(names)
    spare = len(names) - 3
    continued, dropped, new = names[:3], names[3 : 3 + spare // 2], names[3 + spare // 2 :]
    previous, current = [], []
    for topic in names:
        pool = by_topic[topic][:]
        rng.shuffle(pool)
        half = len(pool) // 2  # the two sessions draw from disjoint halves
        if topic not in new:
            previous += [(i, topic) for i in pool[:half][: rng.randint(6, 20)]]
        if topic not in dropped:
            current += [(i, topic) for i in pool[half:][: rng.randint(6, 20)]]
    return {"previous": previous, "current": current, "continued": set(continued)}


def score(pair: dict, today: list[list[int]], earlier: list[str], recurring_now, recurring_then):
    """Counts: right statuses, themes, new found, new, dropped found, dropped, ideas called
    recurring, ideas of continued topics."""
    truth_now = [
        Counter(pair["current"][m][1] for m in group).most_common(1)[0][0] in pair["continued"]
        for group in today
    ]
    truth_then = [topic in pair["continued"] for topic in earlier]
    right = sum(t == p for t, p in zip(truth_now, recurring_now, strict=True)) + sum(
        t == p for t, p in zip(truth_then, recurring_then, strict=True)
    )
    return np.array(
        [
            right,
            len(today) + len(earlier),
            sum(1 for t, p in zip(truth_now, recurring_now, strict=True) if not t and not p),
            sum(1 for t in truth_now if not t),
            sum(1 for t, p in zip(truth_then, recurring_then, strict=True) if not t and not p),
            sum(1 for t in truth_then if not t),
            sum(len(g) for g, p in zip(today, recurring_now, strict=True) if p),
            sum(1 for _, topic in pair["current"] if topic in pair["continued"]),
        ],
        dtype=float,
    )


def _dense(texts: list[str]) -> np.ndarray:
    """TF-IDF LSA rows of texts, where the semantic model is not installed."""
    return IdeaVectorizer(n_components=50, random_state=0).fit_transform(texts)


def trial(corpora: dict[str, Corpus], then: str, now: str, seed: int, part: int | None, taus):
    """Scores of today's rule and of the calibrated rule at each level, for one pair."""
    before, after = corpora[then], corpora[now]
    pair = make_pair(before.topics, seed, part)
    old = [before.texts[i] for i, _ in pair["previous"]]
    new = [after.texts[i] for i, _ in pair["current"]]
    if before.vectors is not None and after.vectors is not None:
        old_rows = before.vectors[[i for i, _ in pair["previous"]]]
        new_rows = after.vectors[[i for i, _ in pair["current"]]]
    else:
        rows = _dense(old + new)
        old_rows, new_rows = rows[: len(old)], rows[len(old) :]
    found = find_themes(new, embeddings=new_rows if after.vectors is not None else None)
    today = [list(t.members) for t in found.themes]
    earlier = sorted({topic for _, topic in pair["previous"]})
    earlier_groups = [[n for n, (_, t) in enumerate(pair["previous"]) if t == e] for e in earlier]

    keys = [None] * len(new)
    for k, group in enumerate(today):
        for m in group:
            keys[m] = k
    rule = compare_sessions(
        old,
        new,
        previous_themes=[t for _, t in pair["previous"]],
        current_themes=keys,
        current_labels={k: str(k) for k in range(len(today))},
    )
    status_now = {t.key: t.status == RECURRING for t in rule.current_themes}
    status_then = {t.key: t.status == RECURRING for t in rule.previous_themes}
    scores = {
        "rule": score(
            pair,
            today,
            earlier,
            [status_now[k] for k in range(len(today))],
            [status_then[canonical(e).casefold()] for e in earlier],
        )
    }
    agreement = calibration.agreement(old_rows, earlier_groups, new_rows, today)
    for tau in taus:
        matched = match_themes(agreement, tau, calibration.RELATIVE)
        scores[tau] = score(pair, today, earlier, matched.any(axis=1), matched.any(axis=0))
    return scores


def figures(counts: np.ndarray) -> tuple[float, float, float, float]:
    """Accuracy %, new recall %, not-raised-again recall %, recurring ideas ratio."""
    return (
        100 * counts[0] / counts[1],
        100 * counts[2] / max(counts[3], 1),
        100 * counts[4] / max(counts[5], 1),
        counts[6] / max(counts[7], 1),
    )


def run(corpora, settings, trials: int, part_for) -> dict:
    """Summed scores per setting and rule over the trials."""
    results = {}
    for then, now in settings:
        part = part_for(then)
        total: dict = {}
        for seed in range(trials):
            for rule, counts in trial(corpora, then, now, seed, part, TAUS).items():
                total[rule] = total.get(rule, 0) + counts
        results[(then, now)] = total
    return results


def name(then: str, now: str) -> str:
    """A setting as the tables name it."""
    if then == "polis":
        return "polis_topics en"
    return f"sib200 {then}" if then == now else f"sib200 {then} then, {now} now"


def main() -> None:
    """Print the tuning table and the report table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="small data and 2 trials")
    args = parser.parse_args()
    trials = 2 if args.quick else args.trials
    corpora = load(160 if args.quick else None)
    semantic = corpora["ro"].vectors is not None
    print(f"vectors: {'semantic' if semantic else 'TF-IDF LSA (semantic model not installed)'}")
    print(f"calibrated level in use: {calibration.MATCH} (clear from {calibration.CLEAR})\n")

    print("### Tuning: even rows of SIB-200, status accuracy % / new recall % by level\n")
    tuning = run(corpora, SETTINGS[:4], trials, lambda then: 0)
    print("| setting | today's rule | " + " | ".join(f"{t}" for t in TAUS) + " |")
    print("|---|---:|" + "---:|" * len(TAUS))
    for (then, now), total in tuning.items():
        cells = ["{:.0f} / {:.0f}".format(*figures(total[t])[:2]) for t in ("rule", *TAUS)]
        print(f"| {name(then, now)} | " + " | ".join(cells) + " |")

    print("\n### Report: odd rows of SIB-200, all of polis_topics (today's rule / calibrated)\n")
    report = run(corpora, SETTINGS, trials, lambda then: None if then == "polis" else 1)
    print(
        "| setting | status accuracy % | new recall % | not raised again recall % "
        "| recurring ideas / truth | targets met |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for (then, now), total in report.items():
        rule, cal = figures(total["rule"]), figures(total[calibration.MATCH])
        target = TARGETS["polis"] if then == "polis" else TARGETS["sib"]
        low, high = TARGETS["ratio"]
        met = (
            cal[0] >= target
            and cal[1] >= TARGETS["recall"]
            and cal[2] >= TARGETS["recall"]
            and low <= cal[3] <= high
        )
        print(
            f"| {name(then, now)} | {rule[0]:.0f} / **{cal[0]:.0f}** (≥ {target:.0f}) "
            f"| {rule[1]:.0f} / **{cal[1]:.0f}** | {rule[2]:.0f} / **{cal[2]:.0f}** "
            f"| {rule[3]:.2f} / **{cal[3]:.2f}** | {'yes' if met else 'no'} |"
        )


if __name__ == "__main__":
    main()
