"""Theme identities survive re-clustering: ids follow their ideas."""

from collections import Counter

import numpy as np

from analysis import find_themes, match_groups
from analysis import themes as themes_module

from .corpus import workshop_ideas


def test_match_groups_pairs_overlapping_groups_and_leaves_new_ones_unmatched():
    previous = {"A": {1, 2, 3, 4}, "B": {5, 6, 7}}
    current = [{5, 6, 7, 8}, {9, 10}, {1, 2, 3}]
    assert match_groups(previous, current) == ["B", None, "A"]


def test_match_groups_needs_enough_overlap():
    assert match_groups({"A": {1, 2, 3, 4, 5}}, [{5, 6, 7, 8, 9}]) == [None]


def test_adding_ten_percent_new_ideas_keeps_existing_ideas_in_themes_with_the_same_id():
    texts, _ = workshop_ideas(per_theme=30, seed=1)
    before_n = int(len(texts) / 1.1)
    before = find_themes(texts[:before_n])
    ids = {f"theme-{t}": {i for i in theme.members} for t, theme in enumerate(before.themes)}
    previous = [None] * len(texts)
    for key, members in ids.items():
        for i in members:
            previous[i] = key
    after = find_themes(texts, previous=previous)
    keys = match_groups(ids, [set(theme.members) for theme in after.themes])
    id_after = {}
    for key, theme in zip(keys, after.themes, strict=True):
        for i in theme.members:
            id_after[i] = key
    id_before = {i: key for key, members in ids.items() for i in members}
    kept = Counter(id_after[i] == id_before[i] for i in range(before_n))
    assert kept[True] >= 0.9 * before_n, kept


def _unit(rows):
    rows = np.asarray(rows, dtype=float)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_an_idea_at_a_border_keeps_its_theme_unless_another_is_clearly_closer():
    # Two themes around (1, 0, 0) and (0, 1, 0); the last idea is a little closer to the second
    # (by less than the margin), the one before it much closer.
    a = [[1, 0.1, 0], [1, -0.1, 0.05], [1, 0, -0.1]]
    b = [[0.1, 1, 0], [-0.1, 1, 0.05], [0, 1, -0.1]]
    border, far = [0.97, 1.0, 0], [0.2, 1.0, 0]
    vectors = _unit(a + b + [far, border])
    init = _unit([[1, 0, 0], [0, 1, 0]])
    stay = np.array([0, 0, 0, 1, 1, 1, 0, 0])  # both last ideas were in the first theme
    labels = themes_module.spherical_kmeans(vectors, 2, init=init, stay=stay)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1, 1, 0]
    without = themes_module.spherical_kmeans(vectors, 2, init=init)
    assert without.tolist() == [0, 0, 0, 1, 1, 1, 1, 1]


def test_a_fresh_grouping_gives_back_the_border_ideas_of_a_continued_theme():
    # Fresh labels 0 and 1; theme 0 of the last round continues as label 0 (most of its ideas),
    # theme 1 as label 1. Idea 3 left theme 0 for a label barely closer; idea 7, a new theme.
    vectors = _unit([[1, 0.1], [1, -0.1], [1, 0], [1.1, 1.0], [0.1, 1], [-0.1, 1], [0, 1], [0, 1]])
    labels = np.array([0, 0, 0, 1, 1, 1, 1, 1])
    stay = np.array([0, 0, 0, 0, 1, 1, 1, -1])
    kept = themes_module._keep_previous(vectors, labels, stay, n_pinned=0)
    assert kept.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    # Not when the other centre is clearly closer.
    vectors[3] = _unit([[0.3, 1.0]])[0]
    assert (
        themes_module._keep_previous(vectors, labels, stay, n_pinned=0).tolist() == labels.tolist()
    )


def test_choosing_the_number_of_themes_again_keeps_the_themes_when_it_finds_as_many(monkeypatch):
    texts, _ = workshop_ideas(per_theme=20, seed=2)
    before = find_themes(texts)
    previous = [None] * len(texts)
    for t, theme in enumerate(before.themes):
        for i in theme.members:
            previous[i] = f"theme-{t}"
    k = len(before.themes)

    # A new grouping with as many themes, but another one: each idea in a theme at random.
    def scrambled(vectors, k_min, k_max, pinned, random_state):
        return np.random.RandomState(0).randint(k, size=len(vectors))

    monkeypatch.setattr(themes_module, "_choose_labels", scrambled)
    again = find_themes(texts, previous=previous, rechoose=True)
    kept = {frozenset(theme.members) for theme in again.themes}
    assert kept == {frozenset(theme.members) for theme in before.themes}
    # Without the rule the scrambled grouping would stand: the test sees the difference.
    monkeypatch.setattr(themes_module, "CONTINUE_AT_SAME_K", False)
    replaced = find_themes(texts, previous=previous, rechoose=True)
    assert {frozenset(theme.members) for theme in replaced.themes} != kept
