"""HTTP function: the public API of api.013a.tech."""

import functions_framework
from flask import Request

from shared.adapters.http.api import dispatch


@functions_framework.http
def api(request: Request):  # functions-framework accepts any Flask reply
    return dispatch(request)
