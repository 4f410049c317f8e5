"""Accounts and access: users, passwords, JWT access tokens with rotating refresh
tokens, API keys, roles, password resets and rate limits."""
