"""The confidence rules of the fusion on hand-made evidence: which agreement of the two views, which
lead in the fused ranking and which lexical support make an answer. Entry 0 is the candidate under
test, entry 1 its runner-up; the numbers mean the same on any knowledge base (lexical scores in
[0, 1], semantic standing as the chance that an unrelated entry would stand out as far)."""

from knowledge.fusion import FUSED_LEAD, PLAUSIBLE, SINGLED_OUT, STANDS_OUT, Decision, Evidence, Lexical, decide

HOLDS = Lexical(0.35, holds=True, specific=True, coverage=0.4)
"""Below the lexical answer score, but holding the question's words by a real reading."""


def evidence(number: int, lexical: Lexical | None, chance: float, fused: float, semantic: float = 0.85) -> Evidence:
    return Evidence(number, lexical, semantic, standout=3.0 if chance < 1 else 0.5, chance=chance, fused=fused)


def decided(ranked: list[Evidence], lexical_answer: int | None = None, lexical_first: int | None = 0,
            semantic_first: int | None = 0, informative: bool = True, unknown_words: bool = False) -> Decision:
    return decide(ranked, lexical_answer, lexical_first, semantic_first, suggest=0.35, max_choices=3,
                  informative=informative, unknown_words=unknown_words)


def test_an_entry_both_views_put_first_and_that_clearly_leads_the_fused_ranking_is_answered() -> None:
    ranked = [evidence(0, HOLDS, chance=0.3, fused=0.35), evidence(1, HOLDS, chance=1.0, fused=0.35 - 2 * FUSED_LEAD)]
    found = decided(ranked)
    assert (found.outcome, found.path) == ("answer", "agreement")


def test_agreement_without_a_clear_lead_in_the_fused_ranking_is_not_answered() -> None:
    ranked = [evidence(0, HOLDS, chance=0.3, fused=0.35), evidence(1, HOLDS, chance=1.0, fused=0.35 - FUSED_LEAD / 2)]
    assert decided(ranked).outcome != "answer"


def test_agreement_on_an_entry_the_semantic_view_finds_unremarkable_is_not_answered() -> None:
    ranked = [evidence(0, HOLDS, chance=min(1.0, 2 * PLAUSIBLE), fused=0.35), evidence(1, None, 1.0, fused=-0.5)]
    assert decided(ranked).outcome != "answer"


def test_a_lexical_answer_is_withheld_when_the_semantic_view_finds_the_entry_unremarkable() -> None:
    strong = Lexical(0.6, holds=True, specific=True, coverage=0.7)
    ranked = [evidence(0, strong, chance=1.0, fused=0.6), evidence(1, HOLDS, chance=1.0, fused=0.55)]
    assert decided(ranked, lexical_answer=0).outcome != "answer"
    found = decided(ranked, lexical_answer=0, informative=False)
    assert (found.outcome, found.path) == ("answer", "lexical")


def test_the_semantic_standout_with_lexical_support_is_answered_though_the_lexical_view_prefers_a_sibling() -> None:
    ranked = [evidence(0, HOLDS, chance=STANDS_OUT / 2, fused=0.35),
              evidence(1, Lexical(0.5, True, True, 0.5), chance=1.0, fused=0.35 - 2 * FUSED_LEAD)]
    found = decided(ranked, lexical_first=1)
    assert (found.outcome, found.path) == ("answer", "fused")


def test_an_entry_lacking_most_of_the_question_needs_the_semantic_view_to_vouch_for_it() -> None:
    partial = Lexical(0.45, holds=False, specific=True, coverage=0.35, missing=0.6)
    runner_up = evidence(1, None, 1.0, fused=0.45 - 2 * FUSED_LEAD)
    assert decided([evidence(0, partial, chance=0.3, fused=0.45), runner_up]).outcome != "answer"
    assert decided([evidence(0, partial, chance=STANDS_OUT / 2, fused=0.45), runner_up]).outcome == "answer"


def test_holding_the_one_known_word_of_a_mostly_unknown_question_is_no_support() -> None:
    one_word = Lexical(0.3, holds=True, specific=True, coverage=0.2)
    runner_up = evidence(1, None, 1.0, fused=0.3 - 2 * FUSED_LEAD)
    assert decided([evidence(0, one_word, chance=0.05, fused=0.3), runner_up], unknown_words=True).outcome != "answer"
    singled_out = decided([evidence(0, one_word, chance=SINGLED_OUT / 2, fused=0.3), runner_up], unknown_words=True)
    assert singled_out.outcome == "answer"


def test_a_coincidence_of_spelling_never_carries_an_answer() -> None:
    coincidence = Lexical(0.6, holds=True, specific=False, coverage=0.7)
    ranked = [evidence(0, coincidence, chance=SINGLED_OUT / 2, fused=0.6), evidence(1, None, 1.0, fused=0.0)]
    assert decided(ranked, lexical_answer=0).outcome != "answer"
