"""Types for request parameters that reach SQL or arithmetic, bounded to what every
backend holds, so a value out of range is a 400 naming the parameter, not an overflow
deep in a driver (SQLite and PostgreSQL integers are 64-bit, INTEGER columns 32-bit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

INT32_MAX = 2**31 - 1  # SQL INTEGER: governance proposal ids, simulation ticks
BIGINT_MAX = 2**63 - 1  # SQL BIGINT: OFFSET, amounts in minor units

# An id or position kept in an INTEGER column (add the lower bound where used).
Int32 = Annotated[int, Field(le=INT32_MAX)]
# Rows to skip: SQL's OFFSET is a BIGINT.
Offset = Annotated[int, Field(ge=0, le=BIGINT_MAX)]


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ValueError("the instant is out of range once converted to UTC") from None


# A point in time given by a client (a cursor such as `before`, a cut-off): it must carry
# its offset (`Z` or `+02:00`): a naive value is refused rather than guessed as UTC, since
# the cursors we hand out are always aware and a guess would page a client in another
# zone silently wrong. Converted to UTC here, so storage never sees an odd offset.
Instant = Annotated[AwareDatetime, AfterValidator(_in_utc)]
