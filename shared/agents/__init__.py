"""AI agents: a registry owned by users, scored task records, rankings with time decay,
daily AIA/AIA_GOV rewards through the ledger and a weekly performance report by email
(docs/decisions/0011-agents.md)."""
