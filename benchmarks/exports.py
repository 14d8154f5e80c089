"""Export benchmark: the DOCX action plan of a 1,000-idea session must take at most 2 s.

    .venv/bin/python -m benchmarks.exports            # the figures in docs/benchmarks.md

Builds a session in a temporary SQLite database through the operations layer (100 phones in four
stakeholder categories, 1,000 ideas over five questions, themes from a real re-clustering, a dot
vote by every phone), then times the whole export as a download does it: read the session from
the database (`archive.build`) and write the document, charts included. Reports the median of
several runs, its ratio to the 2 s target, and its ratio to a baseline measured in the same run:
the CSV export (same read, three CSV files, no document and no charts).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable

from facilitation import create_app
from facilitation.exports import archive as archive_module
from facilitation.exports import formats
from facilitation.models import Workshop
from facilitation.operations import flow, ideas, voting, workshops

TARGET_SECONDS = 2.0
CATEGORIES = ["IMM", "Universitate", "ONG", "Autoritate publică"]
SUBJECTS = [
    "finanțare pentru IMM-uri",
    "mentorat pentru tineri antreprenori",
    "turism cultural în centrul istoric",
    "parteneriate între universități și firme",
    "un hackathon cu ADR Vest",
    "spații de coworking pentru industriile creative",
    "promovarea evenimentelor CEaC",
    "digitalizarea micilor afaceri",
    "educație antreprenorială în licee",
    "o platformă online pentru antreprenori culturali",
]
FRAMES = [
    "Propun {s} în cartiere",
    "Avem nevoie de {s}",
    "Ar ajuta {s} pe termen lung",
    "Primăria poate sprijini {s}",
    "Mai multă vizibilitate pentru {s}",
    "Un program anual de {s}",
]


def build_session(app, size: int, seed: int = 0) -> int:  # noqa: ANN001
    """A finished session of `size` ideas, made through the operations layer; returns its id."""
    rng = random.Random(seed)
    store = app.extensions["store"]
    with store.write() as db:
        workshop = workshops.create(
            db,
            title="Atelier Local de Învățare (benchmark)",
            language="ro",
            questions=[f"Întrebarea {n}: ce propuneți?" for n in range(1, 6)],
        )
        flow.set_categories(db, workshop, CATEGORIES)
        phones = []
        for n in range(100):
            participant = workshops.participant(db, workshop, f"{n:032x}")
            voting.set_category(db, workshop, participant, CATEGORIES[n % len(CATEGORIES)])
            phones.append(participant)
        question_ids = [q.id for q in workshop.questions]
        db.flush()
        for n in range(size):
            text = rng.choice(FRAMES).format(s=rng.choice(SUBJECTS)) + f" (nr. {n})"
            ideas.submit(
                db,
                workshop.id,
                None if n % 20 == 0 else phones[n % len(phones)].id,
                client_id=f"bench-{n:08d}",
                text=text,
                question_id=question_ids[n % len(question_ids)],
                source="paper" if n % 20 == 0 else "phone",
            )
        workshop_id = workshop.id
    app.extensions["clusterer"].recluster(workshop_id)
    with store.write() as db:
        workshop = db.get(Workshop, workshop_id)
        flow.set_phase(db, workshop, "vote")
        items = [item["id"] for item in voting.ballot(db, workshop, None)["items"]]
        for participant in phones:
            picks = rng.sample(items, k=min(3, len(items)))
            voting.cast(db, workshop, participant, {picks[0]: 2, **{p: 1 for p in picks[1:]}})
        flow.set_vote_open(db, workshop, False)
        flow.reveal_results(db, workshop)
    return workshop_id


def timed(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the session, time the exports, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "benchmark",
                "CREATE_DEMO_WORKSHOP": False,
                "TESTING": True,
            }
        )
        store = app.extensions["store"]
        try:
            started = time.perf_counter()
            workshop_id = build_session(app, args.ideas)
            print(f"session of {args.ideas} ideas built in {time.perf_counter() - started:.1f} s")

            def export(name: str) -> Callable[[], bytes]:
                def run() -> bytes:
                    with store.read() as db:
                        archive = archive_module.build(db, db.get(Workshop, workshop_id))
                    return formats.FORMATS[name].make(archive, None)

                return run

            sizes = {name: len(export(name)()) for name in ("docx", "md", "csv", "json")}
            figures = {name: timed(export(name), args.runs) for name in sizes}
        finally:
            store.dispose()
    baseline = figures["csv"]
    print(f"median of {args.runs} runs, {args.ideas} ideas (read from the database included):")
    print(f"{'export':<6} {'seconds':>8} {'vs 2 s':>7} {'vs csv':>7} {'bytes':>9}")
    for name, seconds in figures.items():
        print(
            f"{name:<6} {seconds:8.3f} {seconds / TARGET_SECONDS:7.2f} "
            f"{seconds / baseline:7.1f} {sizes[name]:9d}"
        )
    verdict = "met" if figures["docx"] <= TARGET_SECONDS else "NOT met"
    print(f"target (DOCX <= {TARGET_SECONDS:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
