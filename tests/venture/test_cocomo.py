"""COCOMO II.2000 Post-Architecture against hand-computed values of the published
model (USC COCOMO II Model Definition Manual, 2000). The arithmetic is written out."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from shared.venture import cocomo
from shared.venture.cocomo import EffortMultipliers, ScaleFactors, estimate


def test_constants_are_the_2000_calibration() -> None:
    # A = 2.45 is the 1997 calibration (a known pitfall); 2000 uses 2.94.
    assert (cocomo.A, cocomo.B, cocomo.C, cocomo.D) == (2.94, 0.91, 3.67, 0.28)


def test_all_nominal_10_ksloc_by_hand() -> None:
    # Nominal scale factors: PREC 3.72 + FLEX 3.04 + RESL 4.24 + TEAM 3.29 + PMAT 4.68 = 18.97
    # E = 0.91 + 0.01 x 18.97 = 1.0997
    # 10^1.0997 = e^(1.0997 x ln 10) = e^(1.0997 x 2.302585) = e^2.532153 = 12.5818
    # PM = 2.94 x 12.5818 x 1.0 (all EMs nominal) = 36.99
    # F = 0.28 + 0.2 x (1.0997 - 0.91) = 0.28 + 0.03794 = 0.31794
    # ln 36.99 = 3.61065; 36.99^0.31794 = e^(0.31794 x 3.61065) = e^1.14797 = 3.15170
    # TDEV = 3.67 x 3.15170 = 11.57 months; staff = 36.99 / 11.57 = 3.20
    result = estimate(10)
    assert result.sum_scale_factors == pytest.approx(18.97)
    assert result.exponent_e == pytest.approx(1.0997)
    assert result.exponent_f == pytest.approx(0.31794)
    assert result.effort_person_months == pytest.approx(36.99, abs=0.01)
    assert result.schedule_months == pytest.approx(11.57, abs=0.01)
    assert result.average_staff == pytest.approx(3.20, abs=0.01)


@pytest.mark.parametrize(
    ("ksloc", "pm", "tdev"),
    [
        # 2^1.0997 = e^(1.0997 x 0.693147) = e^0.762254 = 2.14313; PM = 2.94 x 2.14313 = 6.30
        # 6.30^0.31794 = e^(0.31794 x 1.84079) = e^0.585261 = 1.79552; TDEV = 3.67 x 1.79552 = 6.59
        (2, 6.30, 6.59),
        # 100^1.0997 = e^(1.0997 x 4.605170) = e^5.064306 = 158.27; PM = 2.94 x 158.27 = 465.3
        # 465.3^0.31794 = e^(0.31794 x 6.14269) = e^1.95302 = 7.0500; TDEV = 3.67 x 7.05 = 25.87
        (100, 465.3, 25.87),
    ],
)
def test_published_test_vectors(ksloc: float, pm: float, tdev: float) -> None:
    result = estimate(ksloc)
    assert result.effort_person_months == pytest.approx(pm, abs=0.05)
    assert result.schedule_months == pytest.approx(tdev, abs=0.01)


def test_rated_project_by_hand() -> None:
    # 50 KSLOC; PREC high 2.48, FLEX very high 1.01, RESL low 5.65, TEAM nominal 3.29,
    # PMAT high 3.12: sum SF = 15.55, E = 0.91 + 0.1555 = 1.0655
    # EMs: RELY high 1.10, CPLX high 1.17, ACAP high 0.85, PCAP high 0.88, TOOL low 1.09
    # EAF = 1.10 x 1.17 x 0.85 x 0.88 x 1.09 = 1.287 x 0.85 = 1.09395 x 0.88 = 0.962676
    #     x 1.09 = 1.049317
    # 50^1.0655 = e^(1.0655 x 3.912023) = e^4.168261 = 64.6030
    # PM = 2.94 x 64.6030 x 1.049317 = 199.30
    # F = 0.28 + 0.2 x 0.1555 = 0.3111; TDEV = 3.67 x 199.30^0.3111
    #   = 3.67 x e^(0.3111 x 5.294809) = 3.67 x e^1.647215 = 3.67 x 5.19250 = 19.06
    sf = ScaleFactors(prec="high", flex="very_high", resl="low", pmat="high")
    em = EffortMultipliers(rely="high", cplx="high", acap="high", pcap="high", tool="low")
    result = estimate(50, sf, em)
    assert result.sum_scale_factors == pytest.approx(15.55)
    assert result.effort_adjustment_factor == pytest.approx(1.049317, abs=1e-6)
    assert result.effort_person_months == pytest.approx(199.30, abs=0.01)
    assert result.schedule_months == pytest.approx(19.06, abs=0.01)


def test_schedule_compression_raises_effort_and_shortens_schedule() -> None:
    # SCED very low: EM 1.43 on effort; TDEV = 3.67 x PM_NS^F x 75 % (manual section 3)
    # PM = 36.99 x 1.43 = 52.90; TDEV = 11.57 x 0.75 = 8.68
    result = estimate(10, multipliers=EffortMultipliers(sced="very_low"))
    assert result.effort_person_months == pytest.approx(52.90, abs=0.02)
    assert result.schedule_months == pytest.approx(8.68, abs=0.01)


def test_extra_high_scale_factors_are_zero_and_every_em_nominal_is_one() -> None:
    best = ScaleFactors(
        prec="extra_high",
        flex="extra_high",
        resl="extra_high",
        team="extra_high",
        pmat="extra_high",
    )
    assert sum(best.values().values()) == 0
    assert set(EffortMultipliers().values().values()) == {1.0}
    # E = B exactly: PM = 2.94 x 10^0.91 = 2.94 x 8.1283 = 23.90
    assert estimate(10, best).effort_person_months == pytest.approx(23.90, abs=0.01)


@pytest.mark.parametrize(
    ("driver", "rating"),
    [("data", "very_low"), ("time", "low"), ("stor", "very_low"), ("sced", "extra_high")],
)
def test_ratings_the_model_does_not_define_are_rejected_by_name(driver: str, rating: str) -> None:
    with pytest.raises(ValidationError) as info:
        EffortMultipliers.model_validate({driver: rating})
    [error] = info.value.errors()
    assert error["loc"] == (driver,)
    assert f"{driver} has no {rating} rating" in error["msg"]


def test_size_must_be_positive() -> None:
    for bad in (0, -1, math.inf, math.nan):
        with pytest.raises(ValueError, match="positive"):
            estimate(bad)


def test_function_point_weights_and_feature_convention() -> None:
    # one ILF + 3 EI + 2 EO + 1 EQ: low 7+9+8+3 = 27, average 10+12+10+4 = 36, high 15+18+14+6 = 53
    assert cocomo.feature_function_points("low") == 27
    assert cocomo.feature_function_points("average") == 36
    assert cocomo.feature_function_points("high") == 53
    assert cocomo.sloc_per_fp("Java")[0] == 53
    ratio, source = cocomo.sloc_per_fp("python")
    assert ratio == 53 and "proxy" in source
