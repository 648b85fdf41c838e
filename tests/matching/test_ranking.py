"""Ranking and pairing, pure: rarity weighting, bonuses, exclusions and rounds with odd numbers."""

from datetime import UTC, datetime, timedelta

from bot.features.matching.ranking import Member, Pool, Rules

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
RULES = Rules(NOW, inactive_after=timedelta(days=180))


def member(person: str, *challenges: str, **details: object) -> Member:
    return Member(person, frozenset(challenges), **details)  # type: ignore[arg-type]


def crowd(count: int, *challenges: str) -> list[Member]:
    return [member(f"console:crowd{n}", *challenges) for n in range(count)]


def test_a_rare_shared_challenge_outweighs_a_common_one() -> None:
    anna = member("console:anna", "it-security", "open-data")
    common = member("console:common", "it-security")
    rare = member("console:rare", "open-data")
    pool = Pool([anna, common, rare, *crowd(20, "it-security")], RULES)
    best = pool.best_for(anna)
    assert best[0].person == "console:rare"
    assert best[0].shared == ("open-data",)


def test_more_shared_challenges_rank_higher() -> None:
    anna = member("console:anna", "funding", "e-files")
    one = member("console:one", "funding")
    two = member("console:two", "funding", "e-files")
    assert [s.person for s in Pool([anna, one, two], RULES).best_for(anna)] == ["console:two", "console:one"]


def test_someone_who_offers_help_with_my_challenge_gets_a_bonus() -> None:
    anna = member("console:anna", "funding")
    plain = member("console:plain", "funding")
    helper = member("console:helper", "funding", offers=frozenset({"funding"}))
    best = Pool([anna, plain, helper], RULES).best_for(anna)
    assert best[0].person == "console:helper"
    assert best[0].helps == ("funding",)


def test_the_same_organisation_type_and_region_break_ties() -> None:
    anna = member("console:anna", "ai", org_type="culture", region="Berlin")
    other = member("console:other", "ai", org_type="company", region="Bayern")
    alike = member("console:alike", "ai", org_type="culture", region="Berlin")
    half = member("console:half", "ai", org_type="culture", region="Bayern")
    order = [s.person for s in Pool([anna, other, alike, half], RULES).best_for(anna)]
    assert order == ["console:alike", "console:half", "console:other"]


def test_at_most_three_are_suggested_and_never_the_member_themself() -> None:
    anna = member("console:anna", "ai")
    best = Pool([anna, *crowd(10, "ai")], RULES).best_for(anna)
    assert len(best) == 3
    assert "console:anna" not in [s.person for s in best]


def test_nobody_without_a_shared_challenge_or_offer_is_suggested() -> None:
    anna = member("console:anna", "ai")
    assert Pool([anna, member("console:bob", "funding", region="x")], RULES).best_for(anna) == []


def test_paused_switched_off_and_inactive_members_are_never_suggested() -> None:
    anna = member("console:anna", "ai")
    paused = member("console:paused", "ai", paused_until=NOW + timedelta(days=3))
    was_paused = member("console:back", "ai", paused_until=NOW - timedelta(days=1))
    off = member("console:off", "ai", opted_in=False)
    inactive = member("console:gone", "ai", active_at=NOW - timedelta(days=181))
    active = member("console:active", "ai", active_at=NOW - timedelta(days=179))
    found = {s.person for s in Pool([anna, paused, was_paused, off, inactive, active], RULES).best_for(anna)}
    assert found == {"console:back", "console:active"}


def test_someone_introduced_within_the_window_is_not_suggested_again() -> None:
    anna, bob, carl = member("console:anna", "ai"), member("console:bob", "ai"), member("console:carl", "ai")
    rules = Rules(NOW, timedelta(days=180), recent=frozenset({frozenset(("console:anna", "console:bob"))}))
    assert [s.person for s in Pool([anna, bob, carl], rules).best_for(anna)] == ["console:carl"]


def test_members_without_a_common_language_are_not_matched() -> None:
    anna = member("console:anna", "ai", languages="de")
    english = member("console:eve", "ai", languages="en")
    both = member("console:bo", "ai", languages="both")
    assert [s.person for s in Pool([anna, english, both], RULES).best_for(anna)] == ["console:bo"]


def test_a_round_pairs_everyone_once_and_leaves_the_odd_one_out() -> None:
    members = crowd(7, "ai")
    pairing = Pool(members, RULES).pair("2026-11-23")
    paired = [p for first, partner in pairing.pairs for p in (first, partner.person)]
    assert len(pairing.pairs) == 3
    assert len(set(paired)) == 6
    assert len(pairing.unmatched) == 1
    assert set(paired) | set(pairing.unmatched) == {m.person for m in members}


def test_a_round_prefers_the_pairs_with_the_rarest_shared_challenges() -> None:
    members = [
        member("console:a", "open-data", "it-security"),
        member("console:b", "open-data", "it-security"),
        member("console:c", "it-security"),
        member("console:d", "it-security"),
    ]
    pairs = {frozenset((first, partner.person)) for first, partner in Pool(members, RULES).pair("r").pairs}
    assert pairs == {frozenset(("console:a", "console:b")), frozenset(("console:c", "console:d"))}


def test_a_round_is_the_same_when_computed_again() -> None:
    members = [member(f"console:m{n}", ("ai", "funding", "e-files")[n % 3], "it-security") for n in range(40)]
    assert Pool(members, RULES).pair("2026-11-23") == Pool(list(reversed(members)), RULES).pair("2026-11-23")


def test_a_large_round_leaves_almost_nobody_out() -> None:
    members = [member(f"console:m{n}", ("ai", "funding", "e-files", "open-data")[n % 4]) for n in range(400)]
    pairing = Pool(members, RULES).pair("2026-11-23")
    assert len(pairing.unmatched) == 0
    assert len(pairing.pairs) == 200
