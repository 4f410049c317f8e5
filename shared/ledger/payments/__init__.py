"""Buying AIA with a card, part of the wallet: Stripe Checkout sessions and the signed
webhook that credits the ledger (and debits it back on refunds) in the same transaction
as the purchase it records (docs/decisions/0014-payments.md)."""
