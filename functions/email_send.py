"""HTTP function: the send step of email journeys (/send, /enqueue, /fan-out), called by
Workflows and Cloud Tasks with OIDC."""

import functions_framework
from flask import Request

from shared.adapters.mail.send_function import dispatch


@functions_framework.http
def email_send(request: Request):  # functions-framework accepts any Flask reply
    return dispatch(request)
