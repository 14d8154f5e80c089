"""Command line: cluster a CSV of ideas without a server.

    python -m analysis cluster INPUT.csv --out OUT.csv [--text-column text] [--k N]
                                        [--k-min 2 --k-max 12] [--lang auto|ro|en]
                                        [--representation auto|semantic|tfidf]

Writes every input row, in input order, with two more columns: ``theme`` (a number, 1 for the
largest theme) and ``theme_label`` (its name: a short phrase of its ideas, else its top terms).
``--representation auto`` groups ideas by semantic vectors where the model is installed, else by
TF-IDF; ``semantic`` fails where it is not installed.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import embedding
from analysis.themes import find_themes


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m analysis`."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cluster = commands.add_parser("cluster", help="group the ideas of a CSV file into themes")
    cluster.add_argument("input", type=Path, help="CSV file (UTF-8, with or without BOM)")
    cluster.add_argument("--out", type=Path, required=True, help="CSV file to write")
    cluster.add_argument("--text-column", default="text", help="column holding the ideas")
    cluster.add_argument("--k", type=int, help="exact number of themes (default: chosen)")
    cluster.add_argument("--k-min", type=int, default=2, help="fewest themes when choosing")
    cluster.add_argument("--k-max", type=int, default=12, help="most themes when choosing")
    cluster.add_argument("--lang", choices=("auto", "ro", "en"), default="auto")
    cluster.add_argument(
        "--representation",
        choices=("auto", "semantic", "tfidf"),
        default="auto",
        help="what groups the ideas: semantic vectors (auto: where installed) or TF-IDF",
    )
    return parser


def cluster_csv(
    source: Path,
    out: Path,
    *,
    text_column: str = "text",
    k_range: tuple[int, int] = (2, 12),
    language: str | None = None,
    representation: str = "auto",
) -> int:
    """Cluster the ideas of a CSV file and write them with their themes; return the theme count."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        if text_column not in columns:
            found = ", ".join(columns) or "none"
            raise ValueError(f"column {text_column!r} not found in {source} (columns: {found})")
        rows = list(reader)
    texts = [row[text_column] or "" for row in rows]
    semantic = representation == "semantic" or (representation == "auto" and embedding.available())
    try:
        vectors = embedding.embed(texts) if semantic and texts else None
    except embedding.EmbeddingUnavailable as error:
        if representation == "semantic":
            raise ValueError(f"--representation semantic: {error}") from error
        vectors = None
    clustering = find_themes(
        texts, k_range=k_range, language=language, embeddings=vectors, name_language=language
    )
    theme_of = [0] * len(rows)
    labels = {}
    by_size = sorted(clustering.themes, key=lambda theme: -len(theme.members))
    for number, theme in enumerate(by_size, start=1):
        labels[number] = theme.label
        for i in theme.members:
            theme_of[i] = number
    extra = [c for c in ("theme", "theme_label") if c not in columns]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns + extra)
        writer.writeheader()
        for row, number in zip(rows, theme_of, strict=True):
            writer.writerow({**row, "theme": number, "theme_label": labels.get(number, "")})
    return len(by_size)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m analysis`; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.k is not None and args.k < 1:
        parser.error("--k must be at least 1")
    k_range = (args.k, args.k) if args.k is not None else (args.k_min, args.k_max)
    language = None if args.lang == "auto" else args.lang
    try:
        count = cluster_csv(
            args.input,
            args.out,
            text_column=args.text_column,
            k_range=k_range,
            language=language,
            representation=args.representation,
        )
    except (OSError, ValueError, csv.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{count} themes written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
