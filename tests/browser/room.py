"""A room's ideas for the browser tests: realistic texts, sent by many phones at once.

The texts are made here, by chance with a fixed seed, from words a co-creation workshop writes
about (Romanian with and without diacritics, English; 40 to 300 characters, most short).
"""

from __future__ import annotations

import random

import requests
import socketio

IDEAS_PER_PERSON = 3

# Words a room writes about, per topic, as people type them: Romanian with diacritics, Romanian
# without (phones), English. Ideas are made from these by chance, with a fixed seed.
TOPICS = {
    "finance": (
        [
            "granturi mici pentru IMM-urile din industriile creative",
            "un fond local de garantare pentru start-up-uri culturale",
            "microcredite fără garanții pentru tinerii antreprenori",
            "finanțare nerambursabilă prin POR pentru firmele care angajează tineri",
            "consultanță gratuită pentru scrierea proiectelor cu fonduri europene",
        ],
        [
            "granturi pentru firmele mici din turism si cultura",
            "finantare rapida pentru IMM-uri, fara birocratie",
        ],
        [
            "small grants for creative SMEs applying for the first time",
            "a local guarantee fund so banks lend to cultural start-ups",
            "help with paperwork for EU funding calls",
        ],
    ),
    "youth": (
        [
            "mentorat pentru elevi: antreprenori locali care vin în licee o dată pe lună",
            "educație antreprenorială în școli, cu proiecte reale ale firmelor din oraș",
            "stagii de practică plătite pentru studenți în firmele din industriile creative",
            "un concurs de idei de afaceri pentru liceeni, cu premii în servicii",
        ],
        [
            "cursuri de antreprenoriat pentru tineri in licee si universitati",
            "mentori din firme locale pentru studenti",
        ],
        [
            "mentoring for high school students by local entrepreneurs",
            "paid internships in creative companies for university students",
            "a business idea contest for teenagers with real prizes",
        ],
    ),
    "tourism": (
        [
            "trasee de turism cultural prin cartierele istorice, cu ghizi tineri",
            "un bilet unic pentru muzee, concerte și transport în anul capitalei culturale",
            "hărți digitale cu ateliere de meșteșuguri deschise vizitatorilor",
            "promovarea Timișoarei în orașele partenere prin festivaluri comune",
        ],
        [
            "tururi ghidate in Fabric, Iosefin si Elisabetin cu povesti locale",
            "pachete turistice cu cazare la pensiuni din Banat",
        ],
        [
            "cultural tourism routes through the historic districts",
            "one ticket for museums, concerts and public transport",
            "open craft workshops that visitors can book online",
        ],
    ),
    "platform": (
        [
            "o platformă digitală unde antreprenorii culturali își publică problemele",
            "un calendar comun al evenimentelor, deschis tuturor organizatorilor",
            "o aplicație mobilă cu oferte ale firmelor locale pentru participanții la festivaluri",
        ],
        [
            "platforma online cu parteneri, finantari si evenimente intr-un singur loc",
            "baza de date cu spatii libere pentru ateliere si expozitii",
        ],
        [
            "an online platform matching cultural entrepreneurs with people who solve problems",
            "a shared events calendar open to every organiser in the city",
        ],
    ),
    "spaces": (
        [
            "spații de coworking ieftine pentru artiști și start-up-uri în clădiri vechi",
            "reabilitarea fostelor fabrici ca incubatoare pentru industriile creative",
            "ateliere deschise în parterul blocurilor din cartiere",
        ],
        [
            "spatii de lucru la pret mic pentru asociatii si firme la inceput",
            "hub creativ in fosta fabrica de palarii",
        ],
        [
            "affordable coworking spaces for artists and start-ups in old buildings",
            "turning empty factories into creative incubators",
        ],
    ),
    "partnerships": (
        [
            "parteneriate între universități, primărie și firme pentru proiecte comune",
            "întâlniri lunare între organizatorii de evenimente și IMM-uri",
            "un cluster al industriilor creative din regiunea Vest, cu ADR Vest",
        ],
        [
            "parteneriate intre ONG-uri culturale si firme locale",
            "retea de firme care sponsorizeaza evenimente de cartier",
        ],
        [
            "monthly meetings between event organisers and local SMEs",
            "a creative industries cluster with the regional development agency",
        ],
    ),
}
LINKS = {
    "ro": [
        "pentru ca",
        "astfel încât",
        "și mai ales",
        "iar în plus",
        "cu sprijinul primăriei,",
        "ca să rămână ceva după anul capitalei culturale:",
    ],
    "ro_plain": ["pentru ca", "si mai ales", "iar in plus", "ca sa ramana ceva si dupa 2023:"],
    "en": [
        "so that",
        "and above all",
        "and also",
        "with the city's support,",
        "to leave a legacy:",
    ],
}
OPENINGS = {
    "ro": ["Propun", "Ar fi util să avem", "Avem nevoie de", "Cred că ar ajuta", ""],
    "ro_plain": ["Propun", "Ar fi bine sa avem", "Avem nevoie de", ""],
    "en": ["I suggest", "We need", "It would help to have", ""],
}
ODD_IDEAS = [
    "www.timisoara2023.ro/finantari-pentru-imm-uri-si-start-up-uri-culturale-din-regiunea-vest",
    "IMM-uri + ONG-uri + universități = parteneriate!!! (și bugete multianuale, nu anuale)",
]


def realistic_ideas(count: int, seed: int) -> list[str]:
    """count ideas of 40 to 300 characters, most of them short, as a room writes them."""
    rng = random.Random(seed)
    ideas: list[str] = []
    while len(ideas) < count:
        if rng.random() < 0.02:
            ideas.append(rng.choice(ODD_IDEAS))
            continue
        kind = rng.choices(["ro", "ro_plain", "en"], weights=[5, 2, 3])[0]
        column = {"ro": 0, "ro_plain": 1, "en": 2}[kind]
        topic = TOPICS[rng.choice(sorted(TOPICS))]
        target = int(40 + 260 * rng.random() ** 1.8)
        opening = rng.choice(OPENINGS[kind])
        text = (opening + " " + rng.choice(topic[column])).strip()
        while len(text) < target:
            more = rng.choice(rng.choice(list(TOPICS.values()))[column])
            text += " " + rng.choice(LINKS[kind]) + " " + more
        if len(text) > 300:
            text = text[:300].rsplit(" ", 1)[0]
        text = text[0].upper() + text[1:]
        if not text.endswith((".", "!", "?", ")")):
            text += "."
        if 40 <= len(text) <= 300:
            ideas.append(text)
    return ideas


def phone_client(server) -> socketio.Client:  # noqa: ANN001
    """A new device of the demo workshop (its cookie from the join page), connected as a phone."""
    cookie = requests.get(f"{server.base}/j/{server.code}", timeout=10).cookies["session"]
    client = socketio.Client(reconnection=False)
    client.connect(
        server.base,
        headers={"Cookie": f"session={cookie}"},
        auth={"code": server.code, "role": "phone"},
        wait_timeout=10,
    )
    return client


def send_ideas(server, texts: list[str], first_person: int, question_id: int | None = None) -> None:  # noqa: ANN001
    """Each person (a phone of its own) sends three of the texts through the real endpoint."""
    for start in range(0, len(texts), IDEAS_PER_PERSON):
        person = first_person + start // IDEAS_PER_PERSON
        client = phone_client(server)
        try:
            for n, text in enumerate(texts[start : start + IDEAS_PER_PERSON]):
                reply = client.call(
                    "submit_idea",
                    {
                        "client_id": f"person-{person:04d}-{n}",
                        "text": text,
                        "question_id": question_id,
                    },
                    timeout=20,
                )
                assert reply["ok"], reply
        finally:
            client.disconnect()
