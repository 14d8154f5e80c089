"""The server's rules that the pages' forms and scripts need, read where they are declared
(facilitation/vocabulary.py, facilitation/operations/flow.py): each page carries them as JSON
(`data-rules`) and its template builds its controls from them, so no rule is copied into
JavaScript or into a template.
"""

from __future__ import annotations

from facilitation import vocabulary
from facilitation.operations import flow


def writing_phases() -> list[str]:
    """The phases in which a phone shows the idea form even while submissions are closed:
    from writing until the themes hold still for the vote."""
    phases = vocabulary.PHASES
    return [p for p in phases[phases.index("write") :] if p not in vocabulary.FROZEN_PHASES]


def rules() -> dict:
    """What a page needs of the server's rules."""
    return {
        "phases": list(vocabulary.PHASES),
        "frozen_phases": list(vocabulary.FROZEN_PHASES),
        "writing_phases": writing_phases(),
        "vote_targets": list(vocabulary.VOTE_TARGETS),
        # Dots per person (budget) and most dots on one item (cap) are each within these.
        "vote_dots": {"min": flow.MIN_DOTS, "max": flow.MAX_DOTS},
        "ideas_per_minute": {"min": flow.MIN_IDEAS_PER_MINUTE, "max": flow.MAX_IDEAS_PER_MINUTE},
        "countdown_minutes": {"min": 1, "max": flow.MAX_COUNTDOWN_SECONDS // 60},
    }
