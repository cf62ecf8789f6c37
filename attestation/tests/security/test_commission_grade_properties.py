"""Properties of the commission's grade (R33, commissions.grading.rule.commission_grade) for any set of members'
grades: within the members' range, the same in any order, and a letter tie settled by the chair as the rule says."""

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attestation.grading.models import GradeBand
from attestation.grading.scale import DEFAULT_BANDS, Scale
from attestation.institutions.models import Policy
from commissions.grading.rule import TieUndecided, Vote, commission_grade

SCALE = Scale(
    [
        GradeBand(
            letter=letter,
            gpa=Decimal(gpa),
            min_points=Decimal(low),
            max_points=Decimal(high),
            traditional=traditional,
            five_point=five,
        )
        for letter, gpa, low, high, traditional, five in DEFAULT_BANDS
    ]
)
RULES = [Policy.GradeRule.MEAN_POINTS, Policy.GradeRule.MAJORITY_LETTER]
points = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def panels(draw, *, letters_from: list[str] | None = None):
    """A commission's grades as grade_submit writes them: points with the scale's letter; exactly one chair."""
    if letters_from:  # few distinct letters make ties likely
        picks = draw(st.lists(st.sampled_from(letters_from), min_size=2, max_size=9))
        values = [
            draw(st.decimals(min_value=SCALE.by_letter[x].min_points, max_value=SCALE.by_letter[x].max_points, places=2))
            for x in picks
        ]
    else:
        values = draw(st.lists(points, min_size=1, max_size=9))
    chair = draw(st.integers(min_value=0, max_value=len(values) - 1))
    return [Vote(p, SCALE.from_points(p).letter, i == chair) for i, p in enumerate(values)]


def _outcome(rule, votes, tie_break=None):
    try:
        grade = commission_grade(rule=rule, votes=votes, scale=SCALE, tie_break=tie_break)
    except TieUndecided as tie:
        return ("tie", tuple(tie.letters))
    return (grade.letter, grade.points)


@settings(max_examples=300, deadline=None)
@given(votes=panels(), rule=st.sampled_from(RULES))
def test_the_grade_lies_within_the_members_range(votes, rule):
    try:
        grade = commission_grade(rule=rule, votes=votes, scale=SCALE)
    except TieUndecided:
        return  # the chair must decide first; covered below
    given_points = [v.points for v in votes]
    given_gpas = [SCALE.from_letter(v.letter).gpa for v in votes]
    assert min(given_points) <= grade.points <= max(given_points)
    assert min(given_gpas) <= grade.gpa <= max(given_gpas)
    assert SCALE.from_points(grade.points).letter == grade.letter or rule == Policy.GradeRule.MAJORITY_LETTER


@settings(max_examples=300, deadline=None)
@given(votes=panels(letters_from=["A", "B", "C"]), rule=st.sampled_from(RULES), data=st.data())
def test_the_order_of_the_members_does_not_matter(votes, rule, data):
    shuffled = data.draw(st.permutations(votes))
    assert _outcome(rule, shuffled) == _outcome(rule, votes)


@settings(max_examples=300, deadline=None)
@given(votes=panels(letters_from=["A", "B", "C", "D"]), data=st.data())
def test_a_letter_tie_is_settled_by_the_chair(votes, data):
    rule = Policy.GradeRule.MAJORITY_LETTER
    counts = Counter(v.letter for v in votes)
    top = max(counts.values())
    leaders = {letter for letter, n in counts.items() if n == top}
    chair_letter = next(v.letter for v in votes if v.is_chair)
    outcome = _outcome(rule, votes)
    if len(leaders) == 1:
        assert outcome[0] in leaders
    elif chair_letter in leaders:
        assert outcome[0] == chair_letter
    else:
        assert outcome[0] == "tie" and set(outcome[1]) == leaders
        choice = data.draw(st.sampled_from(sorted(leaders)))
        assert _outcome(rule, votes, tie_break=choice)[0] == choice
        outsider = data.draw(st.sampled_from([x for x in ("A", "B", "C", "D", "F") if x not in leaders]))
        assert _outcome(rule, votes, tie_break=outsider)[0] == "tie"
    if outcome[0] != "tie":
        givers = [v.points for v in votes if v.letter == outcome[0]]
        assert min(givers) <= outcome[1] <= max(givers)


def test_no_grades_is_refused_whatever_the_rule():
    for rule in RULES:
        with pytest.raises(Exception, match="graded"):
            commission_grade(rule=rule, votes=[], scale=SCALE)
