"""The web app's pages (docs/decisions/0023-web-stack.md): server-rendered HTML that works
without JavaScript, enhanced by htmx, served by the platform itself with its assets.

A face above the features, like the CLI: a page may show several features at once, and it
calls the same domain services the API's routes call, so whatever a page does a script can
do through the API. Framework-free like `shared.api`: `shared.adapters.http.pages` binds
the pages to Flask (session cookie, CSRF check, security headers)."""
