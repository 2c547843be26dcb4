"""The participation code and the advocacy answer must not contradict each other."""

from __future__ import annotations

import pytest

from chair_app.domain.enums import ParticipationCode as PN
from chair_app.rules.participation import check_advocacy


@pytest.mark.parametrize("code", [PN.PN2, PN.PN5])
def test_a_code_saying_an_advocate_spoke_disagrees_with_advocacy_not_offered(code):
    problem = check_advocacy(code, False)
    assert problem is not None
    assert problem.startswith("Advocacy offered:")  # names the field
    assert code.value in problem and "answer Yes" in problem  # says why, and the fix
    assert "\n" not in problem


@pytest.mark.parametrize("code", [PN.PN2, PN.PN5])
def test_a_code_saying_an_advocate_spoke_agrees_with_advocacy_offered_or_not_yet_answered(code):
    assert check_advocacy(code, True) is None
    assert check_advocacy(code, None) is None


@pytest.mark.parametrize("code", [None, PN.PN0, PN.PN1, PN.PN3, PN.PN4, PN.PN6, PN.PN7])
@pytest.mark.parametrize("offered", [True, False, None])
def test_other_codes_fit_any_advocacy_answer(code, offered):
    # An advocate offered and declined fits PN1, PN4 or PN7; not offered fits any code without an advocate.
    assert check_advocacy(code, offered) is None
