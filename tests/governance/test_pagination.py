"""Proposals and votes page by cursor: walked with a small `limit`, every item comes once;
the deprecated `before` and `offset` still page, and share the cursor's checks."""

from __future__ import annotations

from tests.governance.conftest import DAY, Gov
from tests.support.pages import walk


def test_proposals_and_votes_walk_without_repeats_or_gaps(gov_sqlite: Gov) -> None:
    gov = gov_sqlite
    voters = [gov.user(f"v{i}", gov="2000") for i in range(5)]
    proposed = [gov.propose(v, title=f"Cut tax {i}")["id"] for i, v in enumerate(voters)]
    reader = voters[0]

    pages = walk(reader, "/v1/governance/proposals", "proposals", limit=2)
    assert [p["id"] for p in pages] == sorted(proposed, reverse=True)

    gov.advance(DAY + 1)  # voting opens after the delay
    first = proposed[0]
    for i, voter in enumerate(voters):
        assert gov.vote(voter, {"id": first}, ["for", "against"][i % 2]).status_code == 201
    votes = walk(reader, f"/v1/governance/proposals/{first}/votes", "votes", limit=2)
    assert sorted(v["voter_id"] for v in votes) == sorted(v.user_id for v in voters)

    # the deprecated parameters still page, from the same positions a cursor names
    older = reader.get("/v1/governance/proposals", query_string={"before": proposed[2]})
    assert [p["id"] for p in older.json["proposals"]] == [proposed[1], proposed[0]]
    skipped = reader.get(
        f"/v1/governance/proposals/{first}/votes", query_string={"offset": 3, "limit": 5}
    )
    assert len(skipped.json["votes"]) == 2 and skipped.json["next_cursor"] is None


def test_old_and_new_paging_parameters_are_checked_alike(gov_sqlite: Gov) -> None:
    reader = gov_sqlite.user("reader")
    for query in ({"before": "0"}, {"cursor": "WzBd"}):  # WzBd: the cursor of position [0]
        answer = reader.get("/v1/governance/proposals", query_string=query)
        assert answer.status_code == 400, answer.get_data(as_text=True)
        [error] = answer.json["errors"]
        assert error["field"] == next(iter(query)) and error["in"] == "query"
    both = reader.get("/v1/governance/proposals", query_string={"before": "3", "cursor": "WzNd"})
    assert both.status_code == 400
    assert both.json["errors"][0]["field"] == "before"
    forged = reader.get("/v1/governance/proposals", query_string={"cursor": "not a cursor"})
    assert forged.status_code == 400 and forged.json["errors"][0]["field"] == "cursor"
