"""The socioeconomic simulation: a vectorised household economy (numpy) advanced one
month per tick by pure functions, run by events in the serverless functions and
in-process by `aia simulate`. See docs/decisions/0004-simulation-state-layout.md."""
