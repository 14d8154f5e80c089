"""A 40-idea rehearsal as a room types it: Romanian with and without diacritics, some English.

Written for these tests (five topics, eight ideas each); `TOPICS[i]` is the topic of `IDEAS[i]`.
"""

from __future__ import annotations

_BY_TOPIC = {
    "spaces": [
        "Spații de coworking ieftine pentru artiști și start-up-uri",
        "More affordable coworking spaces for creative start-ups",
        "Un hub creativ in fosta fabrica, deschis tuturor antreprenorilor",
        "Ateliere comune pentru meșteșugari și designeri la chirie mică",
        "Spatii de lucru partajate in cartierele noi",
        "Clădiri vechi ale primăriei date ca birouri pentru ONG-uri și IMM-uri",
        "Shared studios where artists can rent a desk by the month",
        "Incubator pentru industriile creative, cu spațiu de lucru gratuit primul an",
    ],
    "transport": [
        "Autobuze de noapte după concerte și festivaluri",
        "Night buses after big cultural events",
        "Transport public seara și noaptea în weekend",
        "Tramvaie mai dese in zilele cu evenimente mari",
        "Piste de biciclete sigure spre centrul orasului",
        "Parcari de tip park and ride la intrarea in oras",
        "Bilet unic de transport pentru turisti, valabil 3 zile",
        "Better public transport links between the station and the old town",
    ],
    "funding": [
        "Granturi mici pentru proiecte culturale ale tinerilor",
        "Finanțare nerambursabilă pentru IMM-urile din turism",
        "Finantare pentru start-up-uri culturale la inceput de drum",
        "Microgrants for first-time cultural entrepreneurs",
        "Credite cu dobândă mică pentru firmele creative",
        "Fond local de investiții pentru industriile creative",
        "Ghișeu unic pentru accesarea fondurilor europene de către IMM-uri",
        "Co-finanțare de la primărie pentru proiectele câștigătoare",
    ],
    "education": [
        "Stagii de practică pentru studenți în firmele locale",
        "Student internships in cultural organisations and companies",
        "Cursuri de antreprenoriat in licee",
        "Mentorat pentru tineri antreprenori de la oameni de afaceri cu experiență",
        "Parteneriate intre universitati si mediul de afaceri pentru proiecte reale",
        "Ore de educatie financiara pentru elevi",
        "Concursuri de idei de afaceri pentru studenți, cu premii",
        "Programe de formare in competente digitale pentru tineri",
    ],
    "heritage": [
        "Restaurarea clădirilor istorice din cetate",
        "Trasee turistice prin cartierele istorice, cu ghizi locali",
        "Renovation of the old baroque squares and facades",
        "Muzee deschise seara si in weekend pentru turisti",
        "Harta digitală a patrimoniului arhitectural al orașului",
        "Festival anual al patrimoniului in Piata Unirii",
        "Reabilitarea fabricilor vechi ca spatii culturale",
        "Tururi ghidate în engleză pentru vizitatori străini",
    ],
}

IDEAS: list[str] = [idea for ideas in _BY_TOPIC.values() for idea in ideas]
TOPICS: list[str] = [topic for topic, ideas in _BY_TOPIC.items() for _ in ideas]
