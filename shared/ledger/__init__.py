"""The token ledger: AIA (utility) and AIA_GOV (governance) in a double-entry journal of
integer minor units, with idempotent postings, supply caps and an audit trail."""
