"""Near-duplicate ideas are recognised; different ideas are not."""

from analysis import near_duplicates


def test_retyped_ideas_form_one_group_and_different_ideas_stay_apart():
    texts = [
        "Mai multă finanțare pentru IMM-uri",
        "Hub de coworking în centru",
        "mai multa finantare pentru imm-uri",
        "Mai multe fonduri pentru tineri",
        "Mai multă finanţare pentru IMM-urile",
        "hub de coworking in centru!",
        "Parcare gratuită lângă Piața Victoriei",
    ]
    assert near_duplicates(texts) == [[0, 2, 4], [1, 5]]


def test_nothing_to_group_in_distinct_or_tiny_inputs():
    assert near_duplicates([]) == []
    assert near_duplicates(["o idee"]) == []
    assert near_duplicates(["coworking", "finanțare", "turism cultural"]) == []


def test_threshold_controls_how_close_ideas_must_be():
    texts = ["cursuri de antreprenoriat in licee", "cursuri de antreprenoriat in scoli"]
    assert near_duplicates(texts, threshold=0.99) == []
    assert near_duplicates(texts, threshold=0.5) == [[0, 1]]
