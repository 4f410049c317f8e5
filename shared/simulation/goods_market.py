"""Households' purchases through their supplier links (Lengnick 2013, section 2.3),
vectorised over households.

A household keeps its links of each sector in order of price as it last saw them:
its first link is the cheapest it knows. Round one: every household asks its first
link for the whole of its spending on that sector (one `bincount` over households);
a firm asked for more than it holds (inventory plus this month's output, at its
price) serves every buyer the same share and is out of stock. Each later round takes
only the households left with unspent demand and sends it to their next link, unless
that firm is out of stock too; demand no link can serve is not spent (it stays in
deposits). Bulk buyers (public purchases and firms' investment) are spread over a
sector's firms by market share in round one, and what they miss goes, in one
closed-form step at the end, to firms with goods left in proportion to what they have.

Afterwards households revise their links: one that rationed them is replaced with a
chance, and a share of households a month compare a random link with a firm drawn in
proportion to its market share and switch if it is cheaper by a threshold; a household
whose links changed orders them again by today's prices. Competition reaches
firms this way: a dear firm loses customers, its stock piles up and it lowers the
markup it aims for (goods.set_prices). Knowing prices only as of the last look keeps
demand from jumping between firms whenever two prices cross.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shared.simulation.dot import dot
from shared.simulation.month import BoolArray, F64Array, IntArray, Month
from shared.simulation.state import GOODS, GOODS_LINKS, HEALTH, draw_firms

UNSERVED = 0.0  # money a household could not buy: any is refunded (a floor leaked money)
FIRST_HEALTH_ROW = GOODS_LINKS


@dataclass
class Sales:
    """One sector's trading: what households could not buy and what firms sold."""

    short: IntArray  # households left with demand no link served ...
    unserved: F64Array  # ... and how much (money)
    revenue: F64Array  # per firm slot, from households and bulk buyers
    demand: F64Array  # per firm slot, money asked for (served or not)
    bulk_fill: float  # share of the bulk buyers' demand served
    rationed: IntArray  # households their first link rationed


def sell(
    mo: Month,
    rows: range,
    share: float,
    stock_value: F64Array,
    bulk: F64Array,
) -> Sales:
    """Households' demand, a `share` of their spending, meets the firms behind link
    `rows`, in order; `bulk` is bulk buyers' demand per firm; `stock_value` (price x
    units available) is what each firm can sell. Three passes over households (one
    bincount, one gather, one search); later rounds touch the rationed only."""
    links, spending = mo.suppliers, mo.spending
    f = stock_value.size
    # firm slots as intp once: bincount and take convert any other index type per call
    first = links[rows[0]].astype(np.intp)
    demand: F64Array = np.asarray(np.bincount(first, weights=spending, minlength=f), np.float64)
    demand *= share
    demand += bulk
    fill = np.minimum(stock_value / np.maximum(demand, 1e-300), 1.0)
    fill[demand <= 0] = 1.0
    sold = demand * fill
    left = stock_value - sold
    np.maximum(left, 0.0, out=left)
    out_of_stock = fill < 1.0
    bulk_served = dot(bulk, fill)
    # the households whose first link is out of stock (a gather of one byte each from
    # the firms' table), and what it left unserved
    who = np.flatnonzero(out_of_stock.take(first))
    unserved = np.subtract(1.0, fill).take(first.take(who))
    unserved *= spending.take(who) * share
    keep = np.flatnonzero(unserved > UNSERVED)
    if keep.size < who.size:  # a household that spends nothing asked for nothing
        who, unserved = who.take(keep), unserved.take(keep)
    rationed = who
    for r in rows[1:]:
        if who.size == 0:
            break
        firm = links[r].take(who).astype(np.intp)
        open_ = np.flatnonzero(~out_of_stock.take(firm))
        firm = firm.take(open_)
        asked = unserved.take(open_)
        more = np.asarray(np.bincount(firm, weights=asked, minlength=f), np.float64)
        demand += more
        fill = np.minimum(left / np.maximum(more, 1e-300), 1.0)
        fill[more <= 0] = 1.0
        taken = more * fill
        sold += taken
        left -= taken
        np.maximum(left, 0.0, out=left)
        out_of_stock |= fill < 1.0
        still = fill.take(firm)
        np.subtract(1.0, still, out=still)
        still *= asked
        unserved[open_] = still
        keep = np.flatnonzero(unserved > UNSERVED)
        who, unserved = who.take(keep), unserved.take(keep)
    bulk_total = float(bulk.sum())
    missed = bulk_total - bulk_served
    spare = float(left.sum())
    if missed > 0 and spare > 0:
        taken_by_bulk = min(missed, spare)
        sold += left * (taken_by_bulk / spare)
        bulk_served += taken_by_bulk
    mo.stocked_out |= out_of_stock
    return Sales(
        short=who,
        unserved=unserved,
        revenue=sold,
        demand=demand,
        bulk_fill=bulk_served / bulk_total if bulk_total > 0 else 1.0,
        rationed=rationed,
    )


def revise_links(mo: Month, rationed: tuple[IntArray, IntArray]) -> None:
    """Lengnick's two switches: a link that rationed the household is replaced with
    probability `ration_switching`; a share `price_search` of households compare one
    random link with another firm and take it if cheaper by `switch_threshold`. The
    other firm is drawn in proportion to its market share (Lengnick draws by employees:
    both are its size), never a firm already linked. The share is the firm's smoothed
    sales, bulk buyers' included, and an entrant opens with half the average share
    (goods.update_firms), so households find it: drawn by customers, as before ADR 0056,
    an entrant on a slot no household linked to was never found, closed within months,
    and its successor too. A household whose links changed orders them again by
    today's prices."""
    b, rng, links = mo.b, mo.rng, mo.suppliers
    # who replaces the first link that rationed them (`rationed`: per sector): a binomial
    # count of them, picked at random (a repeated pick replaces a link twice: harmless)
    changed: list[tuple[IntArray, BoolArray]] = []
    sectors = (range(0, FIRST_HEALTH_ROW), range(FIRST_HEALTH_ROW, links.shape[0]))
    for sector_rows, households in zip(sectors, rationed, strict=True):
        count = int(rng.binomial(households.size, b.ration_switching))
        if count:
            who = households.take(rng.integers(0, households.size, count))
            first_row = np.full(count, sector_rows[0])
            changed.append(_replace(mo, who, first_row, None, sector_rows))
    searching = rng.integers(0, mo.n, int(rng.binomial(mo.n, b.price_search)))
    if searching.size:
        row = rng.integers(0, links.shape[0], searching.size)
        current = mo.state.firms.price.take(
            links.ravel().take(row * mo.n + searching).astype(np.intp)
        )
        dearer_than = current * (1 - b.switch_threshold)
        changed.append(_replace(mo, searching, row, dearer_than, range(links.shape[0])))
    # each household once, in slot order: gathers in order are several times faster
    # than at random, and ordering a household's links twice did nothing more
    changed_mask = np.zeros(mo.n, dtype=np.bool_)
    for households, _ in changed:
        changed_mask[households] = True
    who = np.flatnonzero(changed_mask)
    _order_by_price(mo, who, 0, FIRST_HEALTH_ROW)
    _order_by_price(mo, who, FIRST_HEALTH_ROW, links.shape[0])


def _replace(
    mo: Month, who: IntArray, row: IntArray, dearer_than: F64Array | None, rows: range
) -> tuple[IntArray, BoolArray]:
    """Replace link `row` of households `who` by a firm of the same sector; returns the
    households whose link changed and whether it was a goods link. `rows` are the links
    that may already hold the candidate (a sector's links hold only its firms)."""
    links, n, firms = mo.suppliers, mo.n, mo.state.firms
    flat = links.ravel()  # (row, household) as one index: fancy 2-D indexing is slow
    in_goods = row < FIRST_HEALTH_ROW
    candidate = np.empty(who.size, dtype=flat.dtype)
    for sector, of_sector in ((GOODS, in_goods), (HEALTH, ~in_goods)):
        at = np.flatnonzero(of_sector)
        if at.size:
            candidate[at] = draw_firms(mo.rng, firms.share, firms.sector, sector, at.size)
    take = np.ones(who.size, dtype=np.bool_)
    if dearer_than is not None:
        take &= firms.price.take(candidate.astype(np.intp)) < dearer_than
    for r in rows:
        take &= links[r].take(who) != candidate
    taken = np.flatnonzero(take)
    who = who.take(taken)
    flat[row.take(taken) * n + who] = candidate.take(taken)
    return who, in_goods.take(taken)


def _order_by_price(mo: Month, who: IntArray, start: int, stop: int) -> None:
    """Links `start` to `stop` (one sector's) of households `who`, cheapest first at
    today's prices, by a sorting network of compare-and-swaps: a few vector operations
    on `who`, where a column-wise argsort of (links, households) is slow."""
    if who.size == 0:
        return
    links, price = mo.suppliers, mo.state.firms.price
    block = [links[r].take(who) for r in range(start, stop)]
    cost = [price.take(firm.astype(np.intp)) for firm in block]
    for i, j in _NETWORK[stop - start]:
        swap = cost[j] < cost[i]
        # the swap as bit operations and min/max: np.where is ~20x slower on these
        moved = block[i] ^ block[j]
        moved *= swap
        block[i] ^= moved
        block[j] ^= moved
        cost[i], cost[j] = np.minimum(cost[i], cost[j]), np.maximum(cost[i], cost[j])
    for r, firms in zip(range(start, stop), block, strict=True):
        links[r][who] = firms


# optimal sorting networks for 1 to 4 links of a sector
_NETWORK: dict[int, tuple[tuple[int, int], ...]] = {
    1: (),
    2: ((0, 1),),
    3: ((0, 1), (1, 2), (0, 1)),
    4: ((0, 1), (2, 3), (0, 2), (1, 3), (1, 2)),
}
