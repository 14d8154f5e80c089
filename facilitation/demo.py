"""The demo workshop of a fresh server, modelled on the Timișoara lab of 30 September 2019."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitation.models import Workshop
from facilitation.operations import workshops
from facilitation.previous import operations as previous
from facilitation.previous import parsing

TITLE = "Atelier Local de Învățare (demo)"
# An illustrative previous session for the then-and-now view: invented ideas on the five real
# questions; the real results of 30 September 2019 were never published.
PREVIOUS_SAMPLE = Path(__file__).parent / "samples" / "previous_session_2019-09-30_illustrative.csv"
PREVIOUS_TITLE = "Atelierul din 30 septembrie 2019 (eșantion ilustrativ)"
# The five guiding questions of the lab of 30 September 2019, as the City Hall published them.
QUESTIONS = (
    "Care este contextul actual în ceea ce privește promovarea inițiativelor de antreprenoriat "
    "în rândul tinerilor?",
    "Ce oportunități pentru a crește implicarea tinerilor pe termen lung poate oferi programul "
    "CEaC în oraș și regiune?",
    "Cum poate mediul educațional să se implice pentru atragerea tinerilor în dezvoltarea unor "
    "viitoare inițiative de antreprenoriat?",
    "Cum putem facilita și îmbunătăți dezvoltarea de parteneriate trans-sectoriale între "
    "programul CEaC, instituțiile de învățământ și mediul de afaceri?",
    "Cum se poate implica mediul de afaceri în programul CEaC pentru creșterea competitivității "
    "IMM-urilor?",
)


def ensure_demo_workshop(db: Session) -> Workshop | None:
    """Create the demo workshop, with its illustrative previous session, when there is none."""
    if db.scalar(select(Workshop.id).limit(1)) is not None:
        return None
    workshop = workshops.create(db, title=TITLE, language="ro", questions=QUESTIONS)
    previous.import_session(
        db,
        workshop,
        parsing.parse(PREVIOUS_SAMPLE.read_bytes(), PREVIOUS_SAMPLE.name),
        source=PREVIOUS_SAMPLE.name,
        title=PREVIOUS_TITLE,
        date=dt.date(2019, 9, 30),
        illustrative=True,
    )
    return workshop
