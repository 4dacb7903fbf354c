"""Ranking candidate speakers for a quotation that no tag names.

Each candidate (recent speakers, the most salient characters, those addressed in the previous turn, the
paragraph's acting character, the narrator, the speakers tagged nearby) gets the features below.  The shipped
model (``ficlens/models/attribution_ranker.json``, fitted on the PDNC training novels by
``train/train_ranker.py``) is five forests of gradient-boosted regression trees, each fitted on a bootstrap
sample of the quotations, over each candidate's features and the same features less the best of its quotation's
candidates; their log-odds are averaged, and the best-scoring candidate speaks.  It is
plain JSON, walked here in pure Python without any learning library.  A linear model (``"kind": "logit"``,
weights per feature) is scored too; the hand-set weights below serve the rule-based path for turn-taking.

The attribution stage reads each conversation keeping several speaker sequences at once (a beam search
over the ranker's choices, each quotation scored knowing the turns its sequence gave before it), so one
wrong guess does not shift the rest of an exchange by a turn.  It can also read the quotations in more than
one pass, the later ones knowing who the one before said speaks the next turns (``next_turn``,
``next2_turn``); the shipped setting is one pass.
"""

from __future__ import annotations

import json
import math
import operator
from functools import lru_cache
from importlib import resources

FEATURES = (
    "alt2",  # spoke two turns ago (A B A)
    "prev",  # spoke the previous turn
    "turn3",  # spoke three turns ago
    "prev_addressed",  # addressed by name in the previous turn
    "salience_top",  # the most recently mentioned or speaking character
    "salience_inv",  # 1 / (1 + salience rank)
    "addressed",  # addressed by name in this quotation (so not its speaker)
    "no_turns",  # no conversation before this quotation
    "alt2_x_turns",  # alt2 when the conversation is two-sided so far
    "tag_match",  # a pronoun/description tag whose gender the candidate has
    "tag_mismatch",  # ... whose gender the candidate does not have
    "tag_unknown",  # ... and the candidate's gender is unknown
    "acting",  # the named subject of the narration beside the quotation
    "acting_match",  # a pronoun subject beside the quotation that fits the candidate's gender
    "acting_mismatch",
    "in_paragraph",  # named in the narration of the quotation's paragraph
    "in_prev_paragraph",  # named in the narration of the paragraph before
    "named_inside",  # named (not addressed) inside the quotation: people rarely name themselves
    "next_speaker",  # tagged as the speaker of the next turn
    "next2_speaker",  # tagged as the speaker of the turn after next
    "narrator",  # the first-person narrator
    "narrator_i_tag",  # the narrator, and the tag says "I"
    "frequency",  # log share of all name mentions
    "recent_count",  # share of the last 20 salience events
    "alt2_bare",  # alt2, and the quotation stands alone in its paragraph (no narration)
    "prev_bare",  # prev, and the quotation stands alone in its paragraph
    "prev_par_subject",  # the subject of the last sentence of the narration paragraph just before
    "alt2_adjacent",  # alt2, and the previous turn is the paragraph just before
    "tag_first_fit",  # the most salient candidate whose known gender fits the pronoun tag
    "tag_second_fit",  # the second such
    "tag_fit_alt2",  # fits the tag and spoke two turns ago
    "tag_fit_prev",  # fits the tag and spoke the previous turn
    "acting_first_fit",  # the most salient candidate whose gender fits a pronoun subject beside the quotation
    "tagged_back_even",  # tagged as the speaker of the nearest tagged turn before, an even number of turns back
    "tagged_back_odd",  # ... an odd number of turns back (in an exchange of two: the other one)
    "tagged_ahead_even",  # tagged as the speaker of the nearest tagged turn after, an even number of turns on
    "tagged_ahead_odd",
    "tagged_back_near",  # tagged_back_even, and within four turns
    "narrated_last",  # the last character named in the narration of this paragraph or the one before
    "narrated_last_tag_fit",  # the last so named whose gender fits a pronoun tag ("he said")
    "narrated_last_acting_fit",  # ... whose gender fits a pronoun subject beside the quotation ("She turned.")
    "only_in_paragraph",  # the one character named in the narration of the quotation's paragraph
    "alt2_no_acting",  # alt2, and no one acts beside the quotation
    "prev_addressed_bare",  # prev_addressed, and the quotation stands alone in its paragraph
    "acting_no_tag",  # acting, and no pronoun tag
    "next_turn",  # speaks the next turn, as decided so far (a tag, or the first pass of the ranker)
    "next2_turn",  # speaks the turn after next, and not the next
    "next_addressed",  # addressed by name in the next turn (a reply names the one it answers)
    "subject_last",  # the last character the narration just before made a clause's subject
    "subject_last_tag_fit",  # ... of the pronoun tag's gender ("Elizabeth was struck by Lady C. ... said she")
    "subject_last_acting_fit",  # ... of the gender of a pronoun subject beside the quotation
    "voice",  # how much the quotation sounds like the candidate's tagged lines (attribution_voice), per word
    "voice_evidence",  # ... over all its words (a long speech says more than "Yes.")
    "voice_best",  # the candidate the quotation sounds most like, if it sounds like anyone
    "in_scene",  # named or heard in this scene (since the last scene break or chapter) before the quotation
    "beat_answered",  # the subject of the narration just before the previous turn, which answered them
    "next2_past_third",  # next2_speaker or next2_turn, but a third person speaks (or acts beside) the turn between
)

POOL_SALIENT = 12  # how many of the most salient characters are candidates

HAND_WEIGHTS = {
    "alt2": 3.0,
    "prev": -3.0,
    "turn3": 0.5,
    "prev_addressed": 2.5,
    "salience_top": 0.5,
    "salience_inv": 1.0,
    "addressed": -10.0,
    "alt2_x_turns": 0.5,
    "_bias": 0.0,
}


_override: list = []  # [model] while train/train_ranker.py ranks with a model it is fitting


@lru_cache(maxsize=1)
def _shipped() -> dict | None:
    try:
        raw = resources.files("ficlens").joinpath("models/attribution_ranker.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return prepared(json.loads(raw))


def trained() -> dict | None:
    """The shipped model (or the one set by ``use_model``), or None when there is none."""
    return _override[0] if _override else _shipped()


def use_model(model: dict | None) -> None:
    """Rank with ``model`` instead of the shipped one (for training and cross-validation)."""
    _override[:] = [prepared(model)] if model is not None else []


def prepared(model: dict) -> dict:
    """The model ready to score: trees compiled into one function."""
    if model.get("kind") == "trees":
        model = dict(model, _forest=_compile_forest(model), _memo={})
    if tuple(model.get("features", FEATURES)) == FEATURES:
        model = dict(model, features=FEATURES)  # the very tuple, which ``vector`` reads fastest
    return model


def _compile_forest(model: dict):
    """The trees as one Python function of the feature row, each tree one nested conditional expression
    (several times faster than walking node lists; comparing local names is about twice as fast again as
    indexing the row, and expressions compile in half the time of if-statements).  The source is built from
    the model's numbers only, each cast to int or float."""
    width = 2 * len(model.get("features", FEATURES))  # each feature, then the same less the best candidate's

    def expression(tree, i):
        feature, threshold, left, right, value = tree[i]
        if int(feature) < 0:
            return repr(float(value))
        return (f"({expression(tree, int(left))} if x{int(feature)} <= {float(threshold)!r} "
                f"else {expression(tree, int(right))})")

    lines = ["def forest(x):", "    " + ", ".join(f"x{i}" for i in range(width)) + ", = x",
             f"    s = {float(model['base'])!r}"]
    lines += [f"    s += {expression(tree, 0)}" for tree in model["trees"]]
    lines.append("    return s")
    namespace: dict = {}
    exec(compile("\n".join(lines), "<attribution_ranker trees>", "exec"), namespace)  # noqa: S102
    return namespace["forest"]


def candidate_features(info, turns, salience, exclude, context) -> dict[str, dict[str, float]]:
    """``context``: gender_of, narrator, names_in_par (set), names_in_prev_par (set), named_inside (set),
    next_speakers ([id or None, id or None]), mention_share ({id: share})."""
    gender_of = context["gender_of"]
    narrator = context["narrator"]
    ranked = salience.ranked(30)
    recent = [c for _, c, _ in salience.recent[-20:]]
    in_scene = salience.in_scene()
    speakers = [t.speaker for t in turns]
    cands: list[str] = []
    acting = info.acting
    prev_vocatives = context.get("prev_vocatives", [])
    pool = speakers[:3] + list(prev_vocatives) + ranked[:POOL_SALIENT]
    if acting is not None and acting.character:
        pool.append(acting.character)
    if narrator:
        pool.append(narrator)
    pool += [c for c in context["next_speakers"] if c]
    tagged_back, tagged_ahead = context.get("tagged_back"), context.get("tagged_ahead")
    pool += [t[1] for t in (tagged_back, tagged_ahead) if t]
    narrated = context.get("narrated_last", {})
    pool += list(narrated.values())
    pool += list(context.get("narration_subjects", {}).values())
    pool.append(context.get("beat_answered"))
    for c in pool:
        if c and c not in cands:
            cands.append(c)
    two_sided = len(turns) >= 2 and speakers[0] and speakers[1] and speakers[0] != speakers[1]
    tag = info.tag if (info.tag is not None and info.tag.character is None) else None
    tag_gender = tag.gender if tag is not None else None
    act_gender = acting.gender if (acting is not None and acting.character is None) else None
    def fits(gender):
        order = [c for c in ranked if c not in exclude] + [c for c in cands if c not in ranked and c not in exclude]
        return [c for c in order if (("I" if c == narrator else gender_of.get(c)) == gender)]

    voice = context.get("voice")
    tag_fits = fits(tag_gender) if tag_gender in ("M", "F", "I") else []
    act_fits = fits(act_gender) if act_gender in ("M", "F", "I") else []
    out = {}
    for c in cands:
        rank = ranked.index(c) if c in ranked else 30
        g = gender_of.get(c)
        is_narr = c == narrator
        if is_narr:
            g = "I"
        alt2 = float(len(speakers) > 1 and speakers[1] == c and speakers[0] != c)
        f = {
            "alt2": alt2,
            "prev": float(bool(speakers) and speakers[0] == c),
            "turn3": float(len(speakers) > 2 and speakers[2] == c),
            "prev_addressed": float(c in prev_vocatives),
            "salience_top": float(rank == 0),
            "salience_inv": 1.0 / (1 + rank),
            "addressed": float(c in exclude),
            "no_turns": float(not turns),
            "alt2_x_turns": alt2 * float(bool(two_sided)),
            "tag_match": 0.0,
            "tag_mismatch": 0.0,
            "tag_unknown": 0.0,
            "acting": float(acting is not None and acting.character == c),
            "acting_match": 0.0,
            "acting_mismatch": 0.0,
            "in_paragraph": float(c in context["names_in_par"]),
            "in_prev_paragraph": float(c in context["names_in_prev_par"]),
            "named_inside": float(c in context["named_inside"]),
            "next_speaker": float(context["next_speakers"][0] == c),
            "next2_speaker": float(context["next_speakers"][1] == c and context["next_speakers"][0] != c),
            "narrator": float(is_narr),
            "narrator_i_tag": float(is_narr and tag_gender == "I"),
            "frequency": math.log(1e-4 + context["mention_share"].get(c, 0.0)),
            "recent_count": recent.count(c) / 20.0,
        }
        f["tag_first_fit"] = float(bool(tag_fits) and tag_fits[0] == c)
        f["tag_second_fit"] = float(len(tag_fits) > 1 and tag_fits[1] == c)
        f["tag_fit_alt2"] = float(c in tag_fits) * alt2
        f["tag_fit_prev"] = float(c in tag_fits) * f["prev"]
        f["acting_first_fit"] = float(bool(act_fits) and act_fits[0] == c)
        bare = bool(context.get("bare"))
        f["alt2_bare"] = alt2 * bare
        f["prev_bare"] = f["prev"] * bare
        f["prev_par_subject"] = float(context.get("prev_par_subject") == c)
        for key, t in (("tagged_back", tagged_back), ("tagged_ahead", tagged_ahead)):
            f[key + "_even"] = float(t is not None and t[1] == c and t[0] % 2 == 0)
            f[key + "_odd"] = float(t is not None and t[1] == c and t[0] % 2 == 1)
        f["narrated_last"] = float(narrated.get("any") == c)
        f["narrated_last_tag_fit"] = float(tag_gender in ("M", "F") and narrated.get(tag_gender) == c)
        f["narrated_last_acting_fit"] = float(act_gender in ("M", "F") and narrated.get(act_gender) == c)
        f["only_in_paragraph"] = float(context["names_in_par"] == {c})
        f["alt2_no_acting"] = alt2 * float(acting is None)
        f["prev_addressed_bare"] = f["prev_addressed"] * float(bool(context.get("bare")))
        f["acting_no_tag"] = f["acting"] * float(tag is None)
        next_turns = context.get("next_turns", [None, None])
        f["next_turn"] = float(next_turns[0] == c)
        f["next2_turn"] = float(next_turns[1] == c and next_turns[0] != c)
        f["next_addressed"] = float(c in context.get("next_vocatives", ()))
        subjects = context.get("narration_subjects", {})
        f["subject_last"] = float(subjects.get("any") == c)
        f["subject_last_tag_fit"] = float(tag_gender in ("M", "F") and subjects.get(tag_gender) == c)
        f["subject_last_acting_fit"] = float(act_gender in ("M", "F") and subjects.get(act_gender) == c)
        f["tagged_back_near"] = f["tagged_back_even"] * float(tagged_back is not None and tagged_back[0] <= 4)
        f["alt2_adjacent"] = alt2 * float(bool(turns) and turns[0].paragraph == info.paragraph - 1)
        sounds = voice(c) if voice is not None else 0.0
        f["voice"] = max(-2.0, min(2.0, sounds))
        f["voice_evidence"] = max(-1.0, min(1.0, sounds * len(info.quote.text.split()) / 20.0))
        f["voice_best"] = 0.0
        f["in_scene"] = float(c in in_scene)
        f["beat_answered"] = float(context.get("beat_answered") == c and f["prev"] == 0.0)
        # A B A is no echo across someone else's turn: 'Burr: "Sit down." / "I can't." / Eliza, coming in: "..." /
        # "...," Priya said' does not make Priya the second line's speaker
        between = next_turns[0] or context.get("next_acting")
        f["next2_past_third"] = float((f["next2_speaker"] or f["next2_turn"]) > 0 and between is not None
                                      and between != c and not (speakers and between == speakers[0]))
        if tag_gender in ("M", "F", "I"):
            if g is None:
                f["tag_unknown"] = 1.0
            elif g == tag_gender:
                f["tag_match"] = 1.0
            else:
                f["tag_mismatch"] = 1.0
        if act_gender in ("M", "F", "I") and g is not None:
            f["acting_match" if g == act_gender else "acting_mismatch"] = 1.0
        out[c] = f
    if voice is not None and out:
        best = max(out, key=lambda c: out[c]["voice"])
        if out[best]["voice"] > 0:
            out[best]["voice_best"] = 1.0
    return out


def vector(features: dict[str, float], names=FEATURES) -> list[float]:
    if len(features) == len(FEATURES) and names is FEATURES:  # every feature set: one C-level lookup
        return list(_ALL_FEATURES(features))
    return [features.get(k, 0.0) for k in names]


_ALL_FEATURES = operator.itemgetter(*FEATURES)


def with_relative(rows):
    """Each candidate's features followed by the same features less the best of its quotation's candidates
    (whether another candidate has what this one lacks).  Works on lists of lists and on numpy arrays."""
    if hasattr(rows, "max"):  # numpy, in training
        import numpy as np

        return np.hstack([rows, rows - rows.max(axis=0)])
    if len(rows) < 2:
        return [row + [0.0] * len(row) for row in rows]
    best = list(map(max, *rows))
    return [row + list(map(operator.sub, row, best)) for row in rows]


def score_matrix(rows: list[list[float]], model: dict) -> list[float]:
    """Scores of one quotation's candidates (rows of ``vector``) under ``model``."""
    if model.get("kind") == "trees":
        forest = model["_forest"]  # log-odds that the candidate speaks
        memo = model["_memo"]  # sequences read side by side score many rows alike
        if len(memo) > 50000:
            memo.clear()
        out = []
        for row in with_relative(rows):
            key = tuple(row)
            s = memo.get(key)
            if s is None:
                s = memo[key] = forest(row)
            out.append(s)
        return out
    w = [model["weights"].get(k, 0.0) for k in model.get("features", FEATURES)]
    bias = model["weights"].get("_bias", 0.0)
    return [bias + sum(a * b for a, b in zip(w, row)) for row in rows]


def rank(features: dict[str, dict[str, float]], model: dict) -> list[tuple[str, float]]:
    """Candidates best first with their scores, less those addressed in the quotation."""
    names = list(features)
    order = model.get("features", FEATURES)
    scores = score_matrix([vector(features[c], order) for c in names], model)
    scored = sorted(zip(names, scores), key=lambda cs: -cs[1])
    return [(c, s) for c, s in scored if not features[c]["addressed"]]


def score(features: dict[str, float], w: dict[str, float]) -> float:
    return w.get("_bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in features.items())


def rank_with(features: dict[str, dict[str, float]], w: dict[str, float]) -> list[tuple[str, float]]:
    scored = sorted(((c, score(f, w)) for c, f in features.items()), key=lambda cs: -cs[1])
    return [(c, s) for c, s in scored if not features[c]["addressed"]]


def probability(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))
