"""Buying AIA with a card: Stripe Checkout sessions and the signed webhook that credits
the ledger (and debits it back on refunds)."""
