"""Agreement between themes of two sessions, calibrated on each session itself."""

from __future__ import annotations

import numpy as np

from analysis import calibration


def _session(rng, topics: np.ndarray, sizes: list[int], noise: float, offset=0.0):
    """Ideas around the given topic centres, with a shift every idea of the session shares."""
    rows, groups = [], []
    for centre, size in zip(topics, sizes, strict=True):
        start = len(rows)
        rows.extend(centre + noise * rng.standard_normal((size, topics.shape[1])) + offset)
        groups.append(list(range(start, start + size)))
    return np.asarray(rows), groups


def test_the_same_topic_agrees_about_fully_and_other_topics_do_not():
    rng = np.random.default_rng(1)
    topics = rng.standard_normal((5, 64))
    then, then_groups = _session(rng, topics[:4], [12, 8, 15, 10], noise=1.5)
    # Today: topics 0 and 1 continue (with other sizes), topic 4 is new.
    now, now_groups = _session(rng, topics[[0, 1, 4]], [6, 20, 9], noise=1.5)
    agreement = calibration.agreement(then, then_groups, now, now_groups)
    assert agreement.shape == (3, 4)
    assert agreement[0, 0] > 0.75 and agreement[1, 1] > 0.75
    assert agreement[2].max() < 0.5  # the new topic
    off_diagonal = [agreement[i, j] for i in range(2) for j in range(4) if i != j]
    assert max(off_diagonal) < 0.5


def test_a_shift_shared_by_a_whole_session_changes_nothing():
    """A session in another language moves every idea the same way: centring removes it."""
    rng = np.random.default_rng(2)
    topics = rng.standard_normal((4, 64))
    then, then_groups = _session(rng, topics[:3], [10, 10, 10], noise=1.0)
    now, now_groups = _session(rng, topics[[0, 3]], [10, 10], noise=1.0)
    plain = calibration.agreement(then, then_groups, now, now_groups)
    shifted_now = now + 25.0 * rng.standard_normal(64)
    shifted = calibration.agreement(then, then_groups, shifted_now, now_groups)
    np.testing.assert_allclose(plain, shifted, atol=1e-9)
    raw = calibration.centres(shifted_now, now_groups) @ calibration.centres(then, then_groups).T
    # Plain cosines no longer see the continued topic; the agreement does.
    assert raw[0, 0] < 0.5 < shifted[0, 0]


def test_small_themes_are_not_penalised_for_being_small():
    """Three ideas of a continued topic agree about as surely as thirty, because the expected
    cosine of a centre of few ideas is taken into account."""
    rng = np.random.default_rng(3)
    topics = rng.standard_normal((3, 64))
    then, then_groups = _session(rng, topics, [15, 15, 15], noise=2.0)
    values, plain = [], []
    for size in (3, 30):
        now, now_groups = _session(rng, topics[[0, 1]], [size, 15], noise=2.0)
        values.append(calibration.agreement(then, then_groups, now, now_groups)[0, 0])
        centres_now = calibration.centres(calibration.centred(now), now_groups)
        centres_then = calibration.centres(calibration.centred(then), then_groups)
        plain.append((centres_now @ centres_then.T)[0, 0])
    assert plain[0] < plain[1] - 0.15  # a plain cosine holds the small theme's size against it
    assert min(values) > 0.9, values


def test_sessions_without_themes_give_an_empty_agreement():
    rows = np.ones((3, 8))
    assert calibration.agreement(rows, [], rows, [[0, 1, 2]]).shape == (1, 0)
    assert calibration.agreement(rows, [[0, 1, 2]], rows, []).shape == (0, 1)


def test_sessions_in_one_language_centred_together_tell_two_themes_apart():
    """Two themes then (topics 0 and 1), two today (topic 0 again and a new topic 2). Centred each
    on its own mean, a session of two themes has centres pointing away from each other whatever
    they say: the new topic agrees with the dropped one as much as topic 0 with itself. Centred
    together, only topic 0 matches."""
    rng = np.random.default_rng(4)
    topics = rng.standard_normal((3, 64))
    shared = 3.0 * rng.standard_normal(64)  # one language, one city: what every idea shares
    then, then_groups = _session(rng, topics[:2], [8, 8], noise=1.0, offset=shared)
    now, now_groups = _session(rng, topics[[0, 2]], [8, 8], noise=1.0, offset=shared)
    alone = calibration.agreement(then, then_groups, now, now_groups)
    assert abs(alone[0, 0] - alone[1, 1]) < 0.05
    together = calibration.calibrated(then, then_groups, now, now_groups, pooled=True)[0]
    assert together[0, 0] >= calibration.MATCH  # on the scale of MATCH
    assert together[1].max() < calibration.MATCH and together[:, 1].max() < calibration.MATCH
