"""The local runtime behind `make run`: hosts every function of the manifest in one
process, delivers events the way Pub/Sub would (at least once, backoff, dead-letter,
ordering keys), runs Cloud Tasks and the scheduled jobs. Only adapters differ from
production: the functions and the code under them are the same."""
