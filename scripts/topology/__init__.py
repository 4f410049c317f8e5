"""The production topology run on this machine (`make run-cloud`, docs/decisions/0035):
every function of the manifest in its own process (the image's launcher,
`shared.runtime.function_server`: functions-framework plus GET /ready), as Cloud Run runs
them, wired to the Google Cloud stand-ins (`tests/emulators`) with `AIA_BACKEND=gcp`.

- `launcher`: starts and stops the whole of it; `python -m scripts.topology` runs it.
- `cloud_admin`: topics, subscriptions, secrets and queues created from the manifest.
- `relay`: the pull-to-push relay standing in for Pub/Sub's push delivery.
- `processes`: the function processes, restarted when one dies (a new instance)."""
