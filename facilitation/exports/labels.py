"""Every text the exported documents print, in Romanian and English, declared once.

The document's language is chosen per export (not per page visit), so these texts are data here
rather than gettext messages. Staff can edit the field labels (`EDITABLE`): the action-plan
template's wording differs between programme versions. Sentences use `{name}` placeholders filled
with `str.format`; the values are session texts, never templates.

Counts are the exception: "1 bulină, 2 buline, 20 de buline" needs the language's plural rule,
which lives in the catalogue's Plural-Forms, so `counted` asks the catalogue of the document's
language (with no request and no Flask needed: exports also run from the command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel.support import Translations

from facilitation.vocabulary import GENERAL_PARTS, LANGUAGES

CATALOGUES = Path(__file__).resolve().parent.parent / "translations"

# key: (English, Romanian)
TEXTS: dict[str, tuple[str, str]] = {
    # Title and parts
    "document_title": ("Action plan", "Plan de acțiune"),
    "draft_from": (
        "Draft prepared from the workshop “{title}”{date}.",
        "Proiect întocmit pe baza atelierului „{title}”{date}.",
    ),
    "part1": ("Part I – General information", "Partea I – Informații generale"),
    "project": ("Project", "Proiect"),
    "partner": ("Partner organisation", "Organizația parteneră"),
    "other_partners": (
        "Other partner organisations involved (if relevant)",
        "Alte organizații partenere implicate (dacă este cazul)",
    ),
    "country": ("Country", "Țara"),
    "region": ("NUTS2 region", "Regiunea NUTS2"),
    "contact_name": ("Contact person", "Persoana de contact"),
    "contact_email": ("E-mail address", "Adresa de e-mail"),
    "contact_phone": ("Phone number", "Număr de telefon"),
    "part2": ("Part II – Policy context", "Partea a II-a – Contextul politicii"),
    "instrument_kind": (
        "The action plan aims to impact",
        "Planul de acțiune urmărește să influențeze",
    ),
    "instrument_name": (
        "Name of the policy instrument addressed",
        "Denumirea instrumentului de politică vizat",
    ),
    "part3": (
        "Part III – Details of the actions envisaged",
        "Partea a III-a – Detalii privind acțiunile preconizate",
    ),
    "action_heading": ("Action {n}", "Acțiunea {n}"),
    "background": ("1. The background", "1. Contextul"),
    "action": ("2. Action", "2. Acțiunea"),
    "players": ("3. Players involved", "3. Actori implicați"),
    "timeframe": ("4. Timeframe", "4. Calendar"),
    "costs": ("5. Costs", "5. Costuri"),
    "funding": ("6. Funding sources", "6. Surse de finanțare"),
    "previous_session_link": (
        "Link to the previous session",
        "Legătura cu sesiunea anterioară",
    ),
    "date": ("Date", "Data"),
    "signature": ("Signature", "Semnătura"),
    "stamp": (
        "Stamp of the organisation (if available)",
        "Ștampila organizației (dacă există)",
    ),
    # Sentences
    "no_actions": (
        "No theme has been chosen as an action yet.",
        "Nicio temă nu a fost aleasă încă drept acțiune.",
    ),
    "to_complete": ("(to be completed)", "(de completat)"),
    "link_recurring": (
        "Raised already in the previous session “{title}”, as {themes}{trend}.",
        "Apărută deja în sesiunea anterioară „{title}”, ca {themes}{trend}.",
    ),
    "link_new": (
        "A new theme: not raised in the previous session “{title}”.",
        "O temă nouă: nu a apărut în sesiunea anterioară „{title}”.",
    ),
    "no_previous_link": (
        "No previous session has been linked to this action yet.",
        "Nicio sesiune anterioară nu a fost legată încă de această acțiune.",
    ),
    "background_origin": (
        "This action comes from the theme “{theme}” of the workshop “{title}”{date}.",
        "Această acțiune pornește de la tema „{theme}” a atelierului „{title}”{date}.",
    ),
    "background_questions": (
        "It answers the question(s): {questions}.",
        "Răspunde la întrebarea (întrebările): {questions}.",
    ),
    "background_votes": ("Dot vote: {votes}{split}.", "Votul cu buline: {votes}{split}."),
    "dots_from_voters": ("{dots} from {voters}", "{dots} de la {voters}"),
    "dots_by_category": (
        " (dots by stakeholder category: {split})",
        " (buline pe categorii de actori: {split})",
    ),
    "background_no_votes": (
        "It received no votes.",
        "Nu a primit voturi.",
    ),
    "background_top": (
        "Most supported ideas: {ideas}.",
        "Ideile cu cel mai mare sprijin: {ideas}.",
    ),
    "action_from_ideas": (
        "What participants proposed (to be shaped into the action):",
        "Ce au propus participanții (de transformat în acțiune):",
    ),
    "players_categories": ("Stakeholder categories: {names}.", "Categorii de actori: {names}."),
    "players_named": ("Named in the ideas: {names}.", "Menționați în idei: {names}."),
    "timeframe_default": (
        "Preparation phase: (to be completed)\nEvent year: (to be completed)\n"
        "Legacy phase: (to be completed)",
        "Faza de pregătire: (de completat)\nAnul evenimentului: (de completat)\n"
        "Faza de moștenire: (de completat)",
    ),
    "universities": ("universities", "universități"),
    "schools": ("schools", "școli"),
    "ngos": ("NGOs", "ONG-uri"),
    "paper_card": ("paper card", "fișă de hârtie"),
    "source_phone": ("phone", "telefon"),
    "kind_theme": ("theme", "temă"),
    "kind_idea": ("idea", "idee"),
    "also_written": ("also written as", "scris și ca"),
    # Annexes
    "annexes": ("Annexes", "Anexe"),
    "annex_ideas": (
        "Annex 1 – Ideas by theme, with votes",
        "Anexa 1 – Ideile pe teme, cu voturile primite",
    ),
    "annex_comparison": (
        "Annex 2 – Comparison with the previous session",
        "Anexa 2 – Comparația cu sesiunea anterioară",
    ),
    "annex_statistics": (
        "Annex 3 – Participation statistics",
        "Anexa 3 – Statistici privind participarea",
    ),
    "annex_charts": ("Annex 4 – Charts", "Anexa 4 – Grafice"),
    "no_previous_session": (
        "No previous session was imported, so there is no comparison.",
        "Nu a fost importată nicio sesiune anterioară, deci nu există o comparație.",
    ),
    "previous_session_of": (
        "Previous session: {title}{date}.",
        "Sesiunea anterioară: {title}{date}.",
    ),
    "ideas_without_theme": ("Ideas not in a theme", "Idei fără temă"),
    "no_ideas": ("No idea was written.", "Nu a fost scrisă nicio idee."),
    "participants": ("Participants (phones that joined)", "Participanți (telefoane conectate)"),
    "ideas": ("Ideas shown", "Idei afișate"),
    "paper_ideas": ("of which typed in from paper cards", "dintre care preluate de pe fișe"),
    "hidden_ideas": (
        "Ideas hidden by the facilitator (not listed)",
        "Idei ascunse de facilitator (nelistate)",
    ),
    "voters": ("People who voted", "Persoane care au votat"),
    "dots_cast": ("Dots cast", "Buline acordate"),
    "by_category": ("By stakeholder category", "Pe categorii de actori"),
    "by_question": ("Ideas per question", "Idei pe întrebări"),
    "category": ("Category", "Categorie"),
    "question": ("Question", "Întrebare"),
    "no_question": ("(no question)", "(fără întrebare)"),
    "not_given": ("not given", "nespecificat"),
    "chart_themes": ("Ideas per theme", "Idei pe temă"),
    "chart_votes": ("Votes, by stakeholder category", "Voturi, pe categorii de actori"),
    "chart_ideas_axis": ("ideas", "idei"),
    "chart_dots_axis": ("dots", "buline"),
    "statistics_note": (
        "Counts only; no personal data is collected or shown.",
        "Doar numere; nu se colectează și nu se afișează date personale.",
    ),
    # Table headers (CSV, XLSX)
    "col_id": ("id", "id"),
    "col_theme": ("theme", "temă"),
    "col_theme_id": ("theme id", "id temă"),
    "col_question": ("question", "întrebare"),
    "col_text": ("text", "text"),
    "col_source": ("source", "sursă"),
    "col_status": ("status", "stare"),
    "col_merged_into": ("merged into idea", "unită cu ideea"),
    "col_dots": ("dots", "buline"),
    "col_voters": ("voters", "votanți"),
    "col_ideas": ("ideas", "idei"),
    "col_terms": ("top terms", "termeni principali"),
    "col_representative": ("representative idea", "ideea reprezentativă"),
    "col_locked": ("locked", "blocată"),
    "col_renamed": ("named by the facilitator", "denumită de facilitator"),
    "col_voter": ("voter (anonymous number)", "votant (număr anonim)"),
    "col_category": ("stakeholder category", "categorie de actori"),
    "col_target_kind": ("voted on", "vot pentru"),
    "col_target_id": ("item id", "id element"),
    "col_target": ("item", "element"),
    "col_measure": ("measure", "indicator"),
    "col_value": ("value", "valoare"),
    "col_previous": ("earlier themes it matches", "teme anterioare corespunzătoare"),
    "col_trend": ("trend", "tendință"),
    "status_recurring": ("recurring", "recurentă"),
    "status_new": ("new", "nouă"),
    "trend_grew": ("grew", "a crescut"),
    "trend_shrank": ("shrank", "a scăzut"),
    "trend_same": ("about the same", "cam la fel"),
    "col_then_now": ("ideas then / now", "idei atunci / acum"),
    "then_now": ("then {then}, now {now}", "atunci {then}, acum {now}"),
    "strength_clear": ("clear match", "potrivire clară"),
    "strength_weak": ("weak match", "potrivire slabă"),
    "decision_confirmed": ("confirmed by the facilitator", "confirmată de facilitator"),
    "decision_made": ("matched by the facilitator", "potrivită de facilitator"),
    "decision_rejected": ("rejected by the facilitator", "respinsă de facilitator"),
    "evidence": (
        "Closest ideas, then and now, for each match:",
        "Cele mai apropiate idei, atunci și acum, pentru fiecare potrivire:",
    ),
    "not_raised_again": (
        "Themes of the previous session not raised again:",
        "Teme ale sesiunii anterioare care nu au mai apărut:",
    ),
    "status_visible": ("visible", "vizibilă"),
    "status_hidden": ("hidden", "ascunsă"),
    "status_held": ("held for review", "în așteptare"),
    "status_merged": ("merged duplicate", "duplicat unit"),
    "sheet_ideas": ("Ideas", "Idei"),
    "sheet_themes": ("Themes", "Teme"),
    "sheet_votes": ("Votes", "Voturi"),
    "sheet_statistics": ("Statistics", "Statistici"),
}

# The field labels staff may reword on the action-plan page.
EDITABLE = (
    "document_title",
    *(name for part, fields in GENERAL_PARTS.items() for name in (part, *fields)),
    "part3",
    "action_heading",
    "background",
    "action",
    "players",
    "timeframe",
    "costs",
    "funding",
    "previous_session_link",
    "date",
    "signature",
    "stamp",
)


def texts(language: str, edited: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every text in one language, with staff's edited labels in place of the defaults."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    column = 0 if language == "en" else 1
    chosen = {key: pair[column] for key, pair in TEXTS.items()}
    for key, value in (edited or {}).items():
        if key in EDITABLE and isinstance(value, str) and value.strip():
            chosen[key] = value.strip()
    return chosen


QUOTES = {"ro": ("„", "”"), "en": ("“", "”")}


def quoted(text: str, language: str) -> str:
    """Text in the language's quotation marks: „…” in Romanian, “…” in English."""
    opening, closing = QUOTES[language]
    return f"{opening}{text}{closing}"


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of a language (English is the source, so it has none)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return Translations.load(str(CATALOGUES), [language])


def counted(singular: str, plural: str, n: int, language: str) -> str:
    """A count with its noun in the plural form the language wants: '20 de idei', '1 idea'.

    `singular` and `plural` are catalogue messages with a `%(num)d` placeholder.
    """
    return catalogue(language).ngettext(singular, plural, n) % {"num": n}


def dots(language: str, n: int) -> str:
    """'1 dot', '3 dots'; '1 bulină', '3 buline', '20 de buline'."""
    return counted("%(num)d dot", "%(num)d dots", n, language)


def voters(language: str, n: int) -> str:
    """'1 voter', '5 voters'; '1 votant', '5 votanți', '20 de votanți'."""
    return counted("%(num)d voter", "%(num)d voters", n, language)
