from decimal import Decimal as D

from app.domain.achievement import Band, absorption, achievement, band


def test_higher_is_better_as_in_tc23() -> None:
    # TC-23 of the Renstra: realisation 97 % of a target of 87 % → ratio 111,49 %.
    assert achievement(D(87), D(97)) == D("111.49")


def test_lower_is_better_rewards_fewer_cases() -> None:
    assert achievement(D(10), D(10), "lower") == D(100)
    assert achievement(D(10), D(5), "lower") == D(150)
    assert achievement(D(10), D(20), "lower") == D(0)
    assert achievement(D(10), D(0), "lower") == D(200)


def test_no_target_or_no_figure_has_no_achievement() -> None:
    assert achievement(None, D(5)) is None
    assert achievement(D(0), D(5)) is None
    assert achievement(D(5), None) is None


def test_absorption_and_bands() -> None:
    assert absorption(D(1_000_000), D(900_000)) == D(90)
    assert absorption(D(0), D(1)) is None
    assert band(D(100)) is Band.MET
    assert band(D("99.99")) is Band.NEAR
    assert band(D(75)) is Band.NEAR
    assert band(D("74.99")) is Band.LOW
    assert band(None) is Band.NONE
