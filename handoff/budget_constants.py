"""Constants of Dataverse's execution-time budget that the in-process limiter (handoff.dynamics.limits) and
the shared ledger (handoff.spool.budget) must agree on. No I/O and no imports: both import it, and a spool
backend must not pull in the Dataverse client to read two numbers."""

from __future__ import annotations

# What Dataverse reports of the user's execution (TIME_REMAINING on its responses) may lower our own count by
# at most this share of the budget: Microsoft calls the header a debugging aid, and it restarts when a request
# lands on another web server. Our time for a request includes the trip, so a count of our own times alone
# runs some 6% above the server's, and would leave that much of the budget unused.
SERVER_CREDIT = 0.1

# How much later than the server's end of a request we may read its answer (a busy event loop): a request
# answered this close to the window's edge when the server reported may have left its count already, so it
# is not taken off the report again.
EXPIRY_MARGIN = 0.2
