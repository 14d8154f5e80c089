"""Theme identities survive re-clustering: ids follow their ideas."""

from collections import Counter

from analysis import find_themes, match_groups

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
