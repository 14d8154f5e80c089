"""Small sessions written for the tests: themes whose truth is known, in Romanian and English.

Each theme has phrases people would write; a session's ideas combine a phrase with an opening
that differs between sessions, so that the two sessions never share an idea word for word.
"""

from __future__ import annotations

import random

THEMES = {
    "ro": {
        "finantare": [
            "finanțare pentru IMM-uri",
            "granturi mici pentru start-up-uri",
            "fonduri europene pentru antreprenori",
            "acces la credite bancare pentru firme noi",
            "finantare nerambursabila pentru afaceri mici",
            "microgranturi pentru start-up-uri creative",
        ],
        "educatie": [
            "cursuri de antreprenoriat în licee",
            "educație antreprenorială la școală",
            "profesori formați în antreprenoriat",
            "ore de antreprenoriat pentru elevi",
            "educatie antreprenoriala in scoli si licee",
            "elevii să învețe antreprenoriat de la profesori",
        ],
        "coworking": [
            "spațiu de coworking pentru tineri",
            "hub de coworking cu mentori",
            "incubator de afaceri cu mentorat",
            "mentori pentru fondatori în incubator",
            "coworking ieftin în centru",
            "mentorat în hub-ul de coworking",
        ],
        "turism": [
            "trasee de turism cultural",
            "ghizi locali pentru turiști",
            "turism cultural în centrul istoric",
            "pachete turistice pentru vizitatori",
            "promovarea turismului cultural",
            "turiștii să descopere traseele culturale",
        ],
        "digital": [
            "digitalizarea IMM-urilor",
            "platformă online pentru antreprenori",
            "magazin online pentru artizani",
            "aplicație mobilă pentru evenimente",
            "platforma digitala pentru firme",
            "servicii online și digitalizare pentru firme",
        ],
    },
    "en": {
        "finance": [
            "funding for small businesses",
            "small grants for startups",
            "european funds for entrepreneurs",
            "bank loans for new companies",
            "microgrants for creative startups",
            "access to funding and grants",
        ],
        "education": [
            "entrepreneurship classes in high schools",
            "entrepreneurial education at school",
            "teachers trained in entrepreneurship",
            "pupils learn entrepreneurship in class",
            "school lessons on entrepreneurship",
            "entrepreneurship education for pupils",
        ],
        "coworking": [
            "coworking space for young people",
            "coworking hub with mentors",
            "business incubator with mentoring",
            "mentors for founders in the incubator",
            "cheap coworking downtown",
            "mentoring in the coworking hub",
        ],
        "tourism": [
            "cultural tourism routes",
            "local guides for tourists",
            "cultural tourism in the old town",
            "tourist packages for visitors",
            "promoting cultural tourism",
            "tourists discover the cultural routes",
        ],
        "digital": [
            "digitalisation of small companies",
            "online platform for entrepreneurs",
            "online shop for craftspeople",
            "mobile app for events",
            "digital platform for companies",
            "online services and digitalisation for firms",
        ],
    },
}
OPENINGS = {
    "ro": (
        ["", "Propun ", "Ar trebui ", "Avem nevoie de "],
        ["", "Vrem ", "Ne trebuie ", "Ideea: "],
    ),
    "en": (["", "I suggest ", "We need ", "Please add "], ["", "Let us have ", "More ", "Idea: "]),
}


def session(
    language: str, themes: list[str], per_theme: int, seed: int, part: int
) -> tuple[list[str], list[str]]:
    """Ideas and their true theme for one session; part 0 or 1 picks a distinct wording."""
    rng = random.Random(seed * 10 + part)
    texts, labels = [], []
    for theme in themes:
        phrases = THEMES[language][theme]
        for n in range(per_theme):
            opening = OPENINGS[language][part][n % 4]
            phrase = phrases[(n + 3 * part) % len(phrases)]
            texts.append(opening + phrase if opening else phrase[0].upper() + phrase[1:])
            labels.append(theme)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [labels[i] for i in order]
