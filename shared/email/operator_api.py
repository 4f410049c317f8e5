"""Operator routes of the email feature: the suppression list (who receives nothing, or
not some categories, and why; lift one) and delivery figures over a window."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.api.pagination import NEXT_CURSOR_DESCRIPTION, OffsetPageQuery, offset_page
from shared.api.params import Instant
from shared.api.spec import ApiError, ApiRequest, FieldError, route
from shared.email.audience import SOFT_BOUNCE_LIMIT
from shared.email.delivery_stats import LONGEST_WINDOW, delivery_stats
from shared.errors import NotFound
from shared.ports.documents import Document

log = logging.getLogger("aia.email")
DEFAULT_WINDOW = timedelta(days=7)


class SuppressionQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Addresses per page")


class SuppressionReason(BaseModel):
    reason: Literal["hard_bounce", "complaint", "soft_bounce", "unsubscribed"] = Field(
        description="`hard_bounce`: the address does not exist (nothing is sent); "
        "`complaint`: its owner reported our mail as spam (only security mail is sent); "
        f"`soft_bounce`: {SOFT_BOUNCE_LIMIT} soft bounces in a row (nothing is sent); "
        "`unsubscribed`: its owner turned `category` off"
    )
    category: str | None = Field(
        default=None, description="The category unsubscribed from; null for other reasons"
    )
    since: datetime | None = Field(
        description="When it began (UTC); null for soft bounces (they are only counted)"
    )
    detail: str = Field(description="What the provider or the bounce said; empty if nothing")


class Suppression(BaseModel):
    suppression_id: str = Field(
        description="This record's id (a hash of the address), for the lift route"
    )
    address: str = Field(description="The suppressed address, lower case")
    suppressed: bool = Field(
        description="True when some mail to the address is withheld; false once lifted "
        "and no unsubscribe remains"
    )
    reasons: list[SuppressionReason] = Field(
        description="Why mail is withheld, every reason in force; empty when none is"
    )
    soft_bounces: int = Field(description="Soft bounces in a row counted so far")
    updated_at: datetime = Field(description="When the record last changed (UTC)")


class SuppressionList(BaseModel):
    suppressions: list[Suppression] = Field(
        description="This page, the most recently changed first"
    )
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class StatsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_: Instant | None = Field(
        default=None,
        alias="from",
        description="Start of the window (inclusive, with its offset, e.g. Z); default: "
        "7 days before `to`",
    )
    to: Instant | None = Field(
        default=None,
        description="End of the window (exclusive, with its offset); default: now",
    )

    @field_validator("to")
    @classmethod
    def _window(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("from_")
        if value is not None and start is not None:
            if value <= start:
                raise ValueError("`to` must be later than `from`")
            if value - start > LONGEST_WINDOW:
                raise ValueError(
                    f"a window is at most {LONGEST_WINDOW.days} days (the send log's retention)"
                )
        return value


class DeliveryStatsReply(BaseModel):
    window_start: datetime = Field(description="Start of the window (UTC, inclusive)")
    window_end: datetime = Field(description="End of the window (UTC, exclusive)")
    sent: int = Field(description="Emails handed to the provider in the window")
    bounced: int = Field(
        description="Addresses that hard-bounced for the first time in the window (refused "
        "at sending or reported by the provider)"
    )
    complained: int = Field(
        description="Addresses whose owner first reported our mail as spam in the window"
    )
    unsubscribed: int = Field(
        description="Unsubscribes (an address from one category) made in the window"
    )
    sends: dict[str, int] = Field(
        description="Every send step settled in the window, by outcome: sent, suppressed "
        "(the address or a preference withheld it), skipped (no recipient, or the user was "
        "active), bounced (the provider refused the address), rejected (the provider "
        "refused the message)"
    )


def _instant(stamp: object) -> datetime | None:
    return datetime.fromisoformat(stamp) if isinstance(stamp, str) else None


def _reasons(doc: Document) -> list[SuppressionReason]:
    reasons = [
        SuppressionReason(
            reason=mark,
            since=_instant(doc[mark]),
            detail=str(doc.get(f"{mark}_detail", "")),
        )
        for mark in ("hard_bounce", "complaint")
        if doc.get(mark)
    ]
    soft = int(doc.get("soft_bounces", 0))
    if soft >= SOFT_BOUNCE_LIMIT:
        reasons.append(
            SuppressionReason(
                reason="soft_bounce", since=None, detail=f"{soft} soft bounces in a row"
            )
        )
    for category, at in sorted((doc.get("unsubscribed") or {}).items()):
        reasons.append(
            SuppressionReason(
                reason="unsubscribed", category=category, since=_instant(at), detail=""
            )
        )
    return reasons


def suppression_record(doc_id: str, doc: Document) -> Suppression:
    reasons = _reasons(doc)
    return Suppression(
        suppression_id=doc_id,
        address=str(doc.get("address", "")),
        suppressed=bool(reasons),
        reasons=reasons,
        soft_bounces=int(doc.get("soft_bounces", 0)),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
    )


def list_suppressions(req: ApiRequest[None, SuppressionQuery]) -> SuppressionList:
    query = req.query
    skip = query.skip()
    rows = req.features.email.suppressions.listed(query.limit + 1, skip)
    page, next_cursor = offset_page(rows, query, skip)
    return SuppressionList(
        suppressions=[suppression_record(doc_id, doc) for doc_id, doc in page],
        next_cursor=next_cursor,
    )


def lift_suppression(req: ApiRequest) -> Suppression:
    """Clear bounces and complaints so the address receives mail again; its owner's own
    unsubscribes stay. Repeating it changes nothing more."""
    doc_id = req.path_params["suppression_id"]
    feature = req.features.email
    doc = feature.suppressions.lift(doc_id, feature.clock.now())
    if doc is None:
        raise NotFound("suppression", doc_id)
    log.info(
        "suppression lifted",
        extra={"suppression_id": doc_id, "actor": req.require_principal().user_id},
    )
    return suppression_record(doc_id, doc)


def email_delivery_stats(req: ApiRequest[None, StatsQuery]) -> DeliveryStatsReply:
    query = req.query
    feature = req.features.email
    end = query.to or feature.clock.now()
    start = query.from_ or end - DEFAULT_WINDOW
    # with `to` left to default, `from` is checked against now here
    if end <= start or end - start > LONGEST_WINDOW:
        problem = "`from` must be earlier than `to` (now, by default), by at most " + (
            f"{LONGEST_WINDOW.days} days (the send log's retention)"
        )
        raise ApiError(400, problem, errors=[FieldError("from", problem, "query")])
    stats = delivery_stats(feature.ledger, feature.suppressions, start, end)
    return DeliveryStatsReply(
        window_start=stats.start,
        window_end=stats.end,
        sent=stats.sends["sent"],
        bounced=stats.bounced,
        complained=stats.complained,
        unsubscribed=stats.unsubscribed,
        sends=stats.sends,
    )


ROUTES = [
    route(
        "GET",
        "/v1/admin/email/suppressions",
        list_suppressions,
        "The email suppression list: each address, why and since when",
        "admin",
        query=SuppressionQuery,
        response=SuppressionList,
        auth="admin",
    ),
    route(
        "POST",
        "/v1/admin/email/suppressions/{suppression_id}/lift",
        lift_suppression,
        "Lift a suppression: bounces and complaints are cleared",
        "admin",
        response=Suppression,
        auth="admin",
        errors=(404,),
        description="For an address that works again (a full mailbox emptied, a domain "
        "fixed) or whose owner asks for mail after a spam report. The owner's unsubscribes "
        "stay: only they turn a category back on, in their preferences. Safe to repeat.",
    ),
    route(
        "GET",
        "/v1/admin/email/stats",
        email_delivery_stats,
        "Delivery figures over a window: sent, bounced, complained, unsubscribed",
        "admin",
        query=StatsQuery,
        response=DeliveryStatsReply,
        auth="admin",
        errors=(400,),
        description="Counted from the platform's own records (the send log, kept 60 days, "
        "and the suppression list), not from the provider's: a window is at most 60 days, "
        "and a lifted suppression no longer counts.",
    ),
]
