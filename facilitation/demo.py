"""The demo workshop of a fresh server, modelled on the Timișoara lab of 30 September 2019."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitation.models import Workshop
from facilitation.operations import workshops

TITLE = "Atelier Local de Învățare (demo)"
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
    """Create the demo workshop when the database has no workshop at all."""
    if db.scalar(select(Workshop.id).limit(1)) is not None:
        return None
    return workshops.create(db, title=TITLE, language="ro", questions=QUESTIONS)
