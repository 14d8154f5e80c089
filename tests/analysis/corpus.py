"""A small workshop corpus written for the tests: short ideas on clear themes, ro and en mixed."""

from __future__ import annotations

import random

# Each theme: distinctive phrases people would type, in Romanian (with and without diacritics)
# and English. Ideas are built by combining a few of them with filler, as phones produce.
THEMES = {
    "finance": [
        "finanțare pentru IMM-uri",
        "finantare nerambursabila",
        "granturi mici pentru start-up-uri",
        "acces la credite bancare",
        "fonduri europene pentru antreprenori",
        "funding for small businesses",
        "microgrants for creative startups",
    ],
    "education": [
        "cursuri de antreprenoriat în școli",
        "educatie antreprenoriala la liceu",
        "studenți în practică la firme",
        "profesori formați în antreprenoriat",
        "entrepreneurship classes in high schools",
        "student internships in companies",
    ],
    "coworking": [
        "spațiu de coworking în centru",
        "hub de coworking pentru tineri",
        "incubator de afaceri cu mentori",
        "mentorat pentru fondatori",
        "coworking hub with mentors",
        "business incubator downtown",
    ],
    "heritage": [
        "restaurarea clădirilor istorice",
        "patrimoniu cultural în cartierul Iosefin",
        "trasee turistice prin centrul istoric",
        "turism cultural cu ghizi locali",
        "heritage buildings restored for culture",
        "cultural tourism routes in the old town",
    ],
    "digital": [
        "digitalizarea IMM-urilor",
        "platformă online pentru antreprenori culturali",
        "aplicație mobilă pentru evenimente",
        "magazin online pentru artizani",
        "digital platform for cultural entrepreneurs",
        "online shop for local crafts",
    ],
}
FILLER = ["", "", "cred că", "ar fi bine", "propun", "we need", "mai mult", "urgent", "please"]


def workshop_ideas(per_theme: int = 24, seed: int = 0) -> tuple[list[str], list[str]]:
    """Ideas and their true themes, shuffled."""
    rng = random.Random(seed)
    ideas = []
    for theme, phrases in THEMES.items():
        for _ in range(per_theme):
            first, second = rng.sample(phrases, 2)
            text = f"{rng.choice(FILLER)} {first}, {second}".strip()
            ideas.append((text, theme))
    rng.shuffle(ideas)
    return [t for t, _ in ideas], [theme for _, theme in ideas]
