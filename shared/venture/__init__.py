"""Venture analysis: sector data, market sizing, competitive landscape, MVP blueprints
with COCOMO II estimates, resource plans, and the full report the venture-report
workflow assembles. Pure domain code: no web framework, no cloud clients."""
