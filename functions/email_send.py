"""HTTP function: the send step of email journeys (/send, /enqueue, /fan-out), called by
Workflows and Cloud Tasks with OIDC."""

import functions_framework
from flask import Request, Response

from shared.adapters.mail.send_function import dispatch


@functions_framework.http
def email_send(request: Request) -> Response:
    return dispatch(request)
