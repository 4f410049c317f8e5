"""HTTP function: the public API of api.013a.tech."""

import functions_framework
from flask import Request, Response

from shared.adapters.http.api import dispatch


@functions_framework.http
def api(request: Request) -> Response:
    return dispatch(request)
