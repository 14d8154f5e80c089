"""Themes: quality on a clear corpus, the facilitator's constraints, explanations, placement."""

from collections import Counter

import pytest

from analysis import Clustering, find_themes
from analysis import themes as themes_module
from analysis.text import fold

from .corpus import THEMES, workshop_ideas


def theme_of(clustering: Clustering, n: int) -> list[int]:
    """The theme index of each of n ideas; fails if an idea is in no theme or in two."""
    seen = [idx for t, theme in enumerate(clustering.themes) for idx in theme.members]
    assert sorted(seen) == list(range(n)), "every idea must be in exactly one theme"
    result = [0] * n
    for t, theme in enumerate(clustering.themes):
        for i in theme.members:
            result[i] = t
    return result


@pytest.fixture(scope="module")
def corpus():
    """The test corpus and its themes found with the number of themes chosen automatically."""
    texts, truth = workshop_ideas()
    return texts, truth, find_themes(texts)


def test_clear_themes_come_back_pure_and_never_merged(corpus):
    texts, truth, clustering = corpus
    # The knee of the silhouette may still split a theme in two (docs/clustering.md), never merge.
    assert len(THEMES) <= len(clustering.themes) <= 8
    theme_of(clustering, len(texts))
    for theme in clustering.themes:
        topics = Counter(truth[i] for i in theme.members)
        assert topics.most_common(1)[0][1] >= 0.9 * len(theme.members), topics


def test_each_theme_explains_itself_with_typed_words_and_a_representative_idea(corpus):
    texts, _, clustering = corpus
    typed = {w.lower() for text in texts for w in text.replace(",", " ").split()}
    for theme in clustering.themes:
        assert theme.terms, "a theme needs terms"
        assert all(term.lower() in typed for term in theme.terms), theme.terms
        assert theme.representative in theme.members
        # Named by a phrase one of its own ideas holds, as typed (first letter capitalised).
        assert 1 <= len(theme.label.split()) <= 4, theme.label
        own = [texts[i].lower() for i in theme.members]
        assert any(theme.label.lower() in text for text in own), theme.label


def test_terms_show_the_spelling_with_diacritics_when_someone_used_it():
    texts = ["finanțare pentru IMM-uri"] + ["finantare nerambursabila"] * 3 + ["parcare"] * 4
    clustering = find_themes(texts, k_range=(2, 2))
    finance = next(t for t in clustering.themes if 0 in t.members)
    assert "finanțare" in finance.terms


def test_fixed_ideas_stay_in_their_group_and_closed_groups_take_no_free_idea(corpus):
    texts, truth, _ = corpus
    finance = [i for i, t in enumerate(truth) if t == "finance"]
    education = [i for i, t in enumerate(truth) if t == "education"]
    fixed = [None] * len(texts)
    for i in finance[:5]:
        fixed[i] = "locked-finance"
    for i in education[:3]:
        fixed[i] = "open-education"
    stray = [i for i, t in enumerate(truth) if t == "heritage"][0]
    fixed[stray] = "locked-finance"  # the facilitator moved an unrelated idea here
    clustering = find_themes(texts, fixed=fixed, closed={"locked-finance"})
    theme_of(clustering, len(texts))
    by_key = {t.key: t for t in clustering.themes if t.key is not None}
    assert set(by_key) == {"locked-finance", "open-education"}
    assert set(by_key["locked-finance"].members) == set(finance[:5]) | {stray}
    open_members = set(by_key["open-education"].members)
    assert set(education[:3]) <= open_members
    assert len(open_members - set(education[:3])) >= len(education) // 4, "should absorb"
    assert all(truth[i] == "education" for i in open_members)
    assert all(t.key is None for t in clustering.themes if t.key not in by_key)


def test_placing_one_idea_in_a_theme_by_hand_keeps_the_themes_other_ideas(corpus):
    """The facilitator moves one idea into a theme: at the next round that theme is a
    facilitator's group, and the ideas it had stay in it (its centre is not the one idea)."""
    texts, truth, clustering = corpus
    labels = theme_of(clustering, len(texts))
    target = max(range(len(clustering.themes)), key=lambda t: len(clustering.themes[t].members))
    moved = next(i for i in range(len(texts)) if labels[i] != target)
    fixed = [None] * len(texts)
    fixed[moved] = target
    again = find_themes(texts, fixed=fixed, previous=labels)
    theme_of(again, len(texts))
    group = next(t for t in again.themes if t.key == target)
    assert set(group.members) == set(clustering.themes[target].members) | {moved}


def test_a_small_board_on_five_topics_gets_five_to_eight_themes_on_average():
    counts = []
    for per_theme in (8, 16):  # 40 and 80 ideas
        for seed in range(3):
            texts, _ = workshop_ideas(per_theme=per_theme, seed=seed)
            counts.append(len(find_themes(texts).themes))
    assert all(4 <= count <= 10 for count in counts), counts
    assert 5 <= sum(counts) / len(counts) <= 8, counts


def test_choose_k_takes_the_fewest_themes_near_the_best_silhouette():
    # A knee at 5, then the slow rise of a low-dimensional space: the maximum would say 12.
    scores = {2: 0.2, 3: 0.3, 4: 0.45, 5: 0.56, 6: 0.57, 8: 0.62, 12: 0.68}
    assert themes_module._choose_k(scores) == 5
    assert themes_module._choose_k({2: -0.1, 3: -0.2}) == 2


def test_large_boards_search_k_on_a_sample_and_still_label_every_idea(corpus, monkeypatch):
    texts, truth, _ = corpus
    monkeypatch.setattr(themes_module, "SEARCH_SAMPLE", 50)
    fixed = ["open" if t == "finance" else None for t in truth]
    for i in [i for i, t in enumerate(truth) if t == "finance"][20:]:
        fixed[i] = None  # a few finance ideas are free: the open group should absorb them
    clustering = find_themes(texts, fixed=fixed)
    labels = theme_of(clustering, len(texts))
    assert len(clustering.themes) <= 12
    for theme in clustering.themes:
        topics = Counter(truth[i] for i in theme.members)
        assert topics.most_common(1)[0][1] >= 0.8 * len(theme.members), topics
    assert len({labels[i] for i, t in enumerate(truth) if t == "education"}) <= 2


def test_k_range_is_respected(corpus):
    texts, _, _ = corpus
    assert len(find_themes(texts, k_range=(3, 3)).themes) == 3
    assert 2 <= len(find_themes(texts, k_range=(2, 4)).themes) <= 4


@pytest.mark.parametrize("texts", [[], ["unu"], ["???", "!!!"], ["a b", "b c", "c d"]])
def test_tiny_or_wordless_inputs_still_put_every_idea_in_one_theme(texts):
    clustering = find_themes(texts)
    theme_of(clustering, len(texts))


def test_place_finds_the_theme_of_a_new_idea_and_says_new_for_an_unrelated_one(corpus):
    texts, truth, clustering = corpus
    placed = clustering.place("mai multa finantare pentru IMM-uri")
    assert placed is not None
    members = clustering.themes[placed].members
    assert Counter(truth[i] for i in members).most_common(1)[0][0] == "finance"
    assert clustering.place("xylofon zgomotos qwerty") is None


def test_place_never_chooses_a_closed_theme(corpus):
    texts, truth, _ = corpus
    fixed = ["locked" if t == "finance" else None for t in truth]
    clustering = find_themes(texts, fixed=fixed, closed={"locked"})
    placed = clustering.place("finanțare pentru IMM-uri")
    assert placed is None or clustering.themes[placed].key != "locked"


def test_folded_variants_land_in_the_same_theme():
    texts = [
        "Finanțare pentru IMM-uri",
        "finantare pentru imm-uri",
        "Finanţare pentru IMM-urilor",
        "parcare gratuita in centru",
        "parcări gratuite în centru",
        "parcare gratuită",
    ]
    labels = theme_of(find_themes(texts, k_range=(2, 2)), len(texts))
    assert labels[0] == labels[1] == labels[2] != labels[3]
    assert labels[3] == labels[4] == labels[5]
    assert fold(texts[0]) == fold(texts[2]).replace("urilor", "uri")


def test_repeated_ideas_get_the_vectors_of_the_first_copy():
    texts = ["parcare gratuită în centru", "finanțare pentru IMM-uri", "parcare gratuită în centru"]
    texts += ["piste de biciclete", "finantare nerambursabila", "biciclete în parc"]
    clustering = find_themes(texts, k_range=(2, 3))
    labels = theme_of(clustering, len(texts))
    assert labels[0] == labels[2]


def test_new_ideas_are_weighted_exactly_as_the_fitted_ones(corpus):
    """Transforming the fitted ideas again (the path of placement) reproduces their fitted rows."""
    import numpy as np

    from analysis.vectors import IdeaVectorizer

    texts, _, _ = corpus
    vectorizer = IdeaVectorizer()
    vectors = vectorizer.fit_transform(texts)
    assert abs(vectorizer.transform_sparse(texts) - vectorizer.sparse_).max() < 1e-12
    assert np.allclose(vectorizer.transform(texts), vectors)
    columns, values = vectorizer.transform_one(texts[0])
    assert np.allclose(vectorizer.project_one(columns, values), vectors[0])
    assert vectorizer.transform_one("qwerty zzzz")[0].size == 0
