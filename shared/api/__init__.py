"""The public HTTP API, described without any web framework: routes with pydantic
request/response models and plain handler functions. `shared.adapters.http` binds it
to Flask; `shared.api.openapi` turns it into the OpenAPI 3.1 document."""
