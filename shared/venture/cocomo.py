"""COCOMO II.2000 Post-Architecture effort and schedule (Boehm et al., USC COCOMO II
Model Definition Manual, 2000), plus IFPUG function-point sizing.

    PM   = A x Size^E x prod(EM)       E = B + 0.01 x sum(SF)       A = 2.94, B = 0.91
    TDEV = C x PM_NS^F x SCED% / 100   F = D + 0.2 x (E - B)        C = 3.67, D = 0.28

PM_NS is the effort without the SCED multiplier; with SCED Nominal (the default)
TDEV = C x PM^F exactly. Size is in KSLOC. A person-month is 152 hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

A, B, C, D = 2.94, 0.91, 3.67, 0.28
HOURS_PER_PERSON_MONTH = 152

Rating = Literal["very_low", "low", "nominal", "high", "very_high", "extra_high"]
RATINGS: tuple[Rating, ...] = ("very_low", "low", "nominal", "high", "very_high", "extra_high")
_: None = None  # a rating the model does not define for that driver

# Scale factors, Very Low .. Extra High (manual Table 10).
SCALE_FACTORS: dict[str, tuple[float | None, ...]] = {
    "prec": (6.20, 4.96, 3.72, 2.48, 1.24, 0.00),
    "flex": (5.07, 4.05, 3.04, 2.03, 1.01, 0.00),
    "resl": (7.07, 5.65, 4.24, 2.83, 1.41, 0.00),
    "team": (5.48, 4.38, 3.29, 2.19, 1.10, 0.00),
    "pmat": (7.80, 6.24, 4.68, 3.12, 1.56, 0.00),
}

# Post-Architecture effort multipliers, Very Low .. Extra High (manual Tables 17-33).
EFFORT_MULTIPLIERS: dict[str, tuple[float | None, ...]] = {
    "rely": (0.82, 0.92, 1.00, 1.10, 1.26, _),
    "data": (_, 0.90, 1.00, 1.14, 1.28, _),
    "cplx": (0.73, 0.87, 1.00, 1.17, 1.34, 1.74),
    "ruse": (_, 0.95, 1.00, 1.07, 1.15, 1.24),
    "docu": (0.81, 0.91, 1.00, 1.11, 1.23, _),
    "time": (_, _, 1.00, 1.11, 1.29, 1.63),
    "stor": (_, _, 1.00, 1.05, 1.17, 1.46),
    "pvol": (_, 0.87, 1.00, 1.15, 1.30, _),
    "acap": (1.42, 1.19, 1.00, 0.85, 0.71, _),
    "pcap": (1.34, 1.15, 1.00, 0.88, 0.76, _),
    "pcon": (1.29, 1.12, 1.00, 0.90, 0.81, _),
    "apex": (1.22, 1.10, 1.00, 0.88, 0.81, _),
    "plex": (1.19, 1.09, 1.00, 0.91, 0.85, _),
    "ltex": (1.20, 1.09, 1.00, 0.91, 0.84, _),
    "tool": (1.17, 1.09, 1.00, 0.90, 0.78, _),
    "site": (1.22, 1.09, 1.00, 0.93, 0.86, 0.80),
    "sced": (1.43, 1.14, 1.00, 1.00, 1.00, _),
}
# Schedule compression/expansion applied to TDEV, by SCED rating (manual section 3).
SCED_PERCENT = {"very_low": 75, "low": 85, "nominal": 100, "high": 130, "very_high": 160}


def _driver(table: dict[str, tuple[float | None, ...]], name: str, meaning: str) -> Rating:
    """A rating defaulting to nominal, described with the values its ratings stand for."""
    values = ", ".join(
        f"{rating} {value:.2f}"
        for rating, value in zip(RATINGS, table[name], strict=True)
        if value is not None
    )
    role = "points added to the sum of scale factors" if table is SCALE_FACTORS else "multiplier"
    description = f"{meaning}. Ratings and their {role}: {values}"
    return Field(default="nominal", description=description)


def _scale(name: str, meaning: str) -> Rating:
    return _driver(SCALE_FACTORS, name, meaning)


def _cost(name: str, meaning: str) -> Rating:
    return _driver(EFFORT_MULTIPLIERS, name, meaning)


class _Ratings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    _table: ClassVar[dict[str, tuple[float | None, ...]]] = {}

    @field_validator("*")
    @classmethod
    def _defined(cls, rating: Rating, info: ValidationInfo) -> Rating:
        row = cls._table[info.field_name or ""]
        if row[RATINGS.index(rating)] is None:
            defined = [r for r, v in zip(RATINGS, row, strict=True) if v is not None]
            raise ValueError(
                f"{info.field_name} has no {rating} rating in COCOMO II.2000; "
                f"use one of {', '.join(defined)}"
            )
        return rating

    def values(self) -> dict[str, float]:
        return {
            name: float(self._table[name][RATINGS.index(rating)] or 0.0)
            for name, rating in self.model_dump().items()
        }


class ScaleFactors(_Ratings):
    """Precedentedness, development flexibility, architecture/risk resolution, team
    cohesion, process maturity. Each defaults to Nominal."""

    _table: ClassVar[dict[str, tuple[float | None, ...]]] = SCALE_FACTORS
    prec: Rating = _scale("prec", "Precedentedness: how familiar this kind of product is")
    flex: Rating = _scale("flex", "Development flexibility: how freely requirements may bend")
    resl: Rating = _scale("resl", "Architecture and risk resolution done up front")
    team: Rating = _scale("team", "Team cohesion among the stakeholders")
    pmat: Rating = _scale("pmat", "Process maturity (CMM level)")


class EffortMultipliers(_Ratings):
    """The 17 Post-Architecture cost drivers. Each defaults to Nominal (1.00)."""

    _table: ClassVar[dict[str, tuple[float | None, ...]]] = EFFORT_MULTIPLIERS
    rely: Rating = _cost("rely", "Required software reliability")
    data: Rating = _cost("data", "Database size relative to the program")
    cplx: Rating = _cost("cplx", "Product complexity")
    ruse: Rating = _cost("ruse", "Developed for reusability")
    docu: Rating = _cost("docu", "Documentation match to life-cycle needs")
    time: Rating = _cost("time", "Execution time constraint")
    stor: Rating = _cost("stor", "Main storage constraint")
    pvol: Rating = _cost("pvol", "Platform volatility")
    acap: Rating = _cost("acap", "Analyst capability")
    pcap: Rating = _cost("pcap", "Programmer capability")
    pcon: Rating = _cost("pcon", "Personnel continuity")
    apex: Rating = _cost("apex", "Applications experience")
    plex: Rating = _cost("plex", "Platform experience")
    ltex: Rating = _cost("ltex", "Language and tool experience")
    tool: Rating = _cost("tool", "Use of software tools")
    site: Rating = _cost("site", "Multisite development")
    sced: Rating = _cost(
        "sced", "Required development schedule (also stretches or compresses the schedule)"
    )


@dataclass(frozen=True)
class CocomoEstimate:
    size_ksloc: float
    sum_scale_factors: float
    exponent_e: float
    exponent_f: float
    effort_adjustment_factor: float
    effort_person_months_nominal_schedule: float
    effort_person_months: float
    schedule_months: float

    @property
    def average_staff(self) -> float:
        return self.effort_person_months / self.schedule_months

    def figures(self) -> CocomoFigures:
        return CocomoFigures(
            size_ksloc=round(self.size_ksloc, 3),
            A=A,
            B=B,
            C=C,
            D=D,
            sum_scale_factors=round(self.sum_scale_factors, 2),
            E=round(self.exponent_e, 4),
            F=round(self.exponent_f, 4),
            effort_adjustment_factor=round(self.effort_adjustment_factor, 4),
            effort_person_months=round(self.effort_person_months, 2),
            schedule_months=round(self.schedule_months, 2),
            average_staff=round(self.average_staff, 2),
            hours_per_person_month=HOURS_PER_PERSON_MONTH,
        )


class CocomoFigures(BaseModel):
    """An estimate as the API states it, with the model's constants."""

    size_ksloc: float = Field(description="The size estimated, thousands of source lines")
    A: float = Field(description="The effort constant (2.94)")
    B: float = Field(description="The base of the size exponent (0.91)")
    C: float = Field(description="The schedule constant (3.67)")
    D: float = Field(description="The base of the schedule exponent (0.28)")
    sum_scale_factors: float = Field(description="The sum of the five scale factors")
    E: float = Field(description="The size exponent: B + 0.01 x the scale factors' sum")
    F: float = Field(description="The schedule exponent: D + 0.2 x (E - B)")
    effort_adjustment_factor: float = Field(
        description="The product of the effort multipliers (1 when all are nominal)"
    )
    effort_person_months: float = Field(description="Effort, person-months of 152 hours")
    schedule_months: float = Field(description="Development schedule, months")
    average_staff: float = Field(description="Effort over schedule: people on average")
    hours_per_person_month: int = Field(description="Hours in a person-month (152)")


def estimate(
    size_ksloc: float,
    scale_factors: ScaleFactors | None = None,
    multipliers: EffortMultipliers | None = None,
) -> CocomoEstimate:
    if not size_ksloc > 0 or not math.isfinite(size_ksloc):
        raise ValueError("size_ksloc must be a positive number")
    sf = (scale_factors or ScaleFactors()).values()
    em = (multipliers or EffortMultipliers()).values()
    sum_sf = sum(sf.values())
    e = B + 0.01 * sum_sf
    eaf_without_sced = math.prod(v for k, v in em.items() if k != "sced")
    pm_ns = A * size_ksloc**e * eaf_without_sced
    pm = pm_ns * em["sced"]
    f = D + 0.2 * (e - B)
    sced = (multipliers or EffortMultipliers()).sced
    tdev = C * pm_ns**f * SCED_PERCENT[sced] / 100
    return CocomoEstimate(
        size_ksloc=size_ksloc,
        sum_scale_factors=sum_sf,
        exponent_e=e,
        exponent_f=f,
        effort_adjustment_factor=eaf_without_sced * em["sced"],
        effort_person_months_nominal_schedule=pm_ns,
        effort_person_months=pm,
        schedule_months=tdev,
    )


# IFPUG unadjusted function-point weights (Low, Average, High), as in the COCOMO II
# manual section 2.2: external inputs, outputs, inquiries, internal and external files.
FP_WEIGHTS = {
    "ei": (3, 4, 6),
    "eo": (4, 5, 7),
    "eq": (3, 4, 6),
    "ilf": (7, 10, 15),
    "eif": (5, 7, 10),
}
Complexity = Literal["low", "average", "high"]
# Our counting convention for a feature described only by its complexity: one
# internal logical file, three inputs, two outputs and one inquiry, all weighted at
# that complexity (a typical create/read/update/list feature).
FEATURE_MIX = {"ilf": 1, "ei": 3, "eo": 2, "eq": 1}


def feature_function_points(complexity: Complexity) -> int:
    column = ("low", "average", "high").index(complexity)
    return sum(count * FP_WEIGHTS[kind][column] for kind, count in FEATURE_MIX.items())


# Source lines per unadjusted function point ("backfiring"), with where each comes from.
SLOC_PER_FP: dict[str, tuple[float, str]] = {
    "java": (53, "COCOMO II.2000 manual, UFP-to-SLOC table"),
    "c++": (55, "COCOMO II.2000 manual, UFP-to-SLOC table"),
    "c": (128, "COCOMO II.2000 manual, UFP-to-SLOC table"),
    "c#": (54, "QSM Function Point Languages Table v5.0 (average)"),
    "javascript": (47, "QSM Function Point Languages Table v5.0 (average)"),
    "typescript": (47, "QSM v5.0 JavaScript average; TypeScript assumed equal"),
}
PROXY_LANGUAGE = "java"


def sloc_per_fp(language: str) -> tuple[float, str]:
    """The ratio for a language, or Java's as a declared proxy when we hold no
    published ratio for it (callers can always pass their own)."""
    key = language.casefold()
    if key in SLOC_PER_FP:
        return SLOC_PER_FP[key]
    ratio, _ = SLOC_PER_FP[PROXY_LANGUAGE]
    return ratio, f"no published ratio held for {language}; Java's {ratio:g} used as a proxy"
