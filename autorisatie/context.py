"""The request context: who processes data in this request, for whom and why.

Made once, when the request is authenticated, and read by everything after it (scopes,
purpose binding, the processing log): `request.auth` is this object.
"""

import contextvars
import secrets
from dataclasses import dataclass, field

from klantinteracties import waarneming

from .models import Applicatie, Verwerkingsactiviteit
from .scopes import LEZEN, REGISTERS, VERTROUWELIJK

PURPOSE_HEADER = "X-Verwerkingsactiviteit"


def _new_id(hex_digits: int) -> str:
    return secrets.token_hex(hex_digits // 2)


@dataclass(frozen=True)
class RequestContext:
    applicatie: Applicatie
    # From a JWT's claims (`user_id`, `user_representation`); empty for a token.
    user_id: str = ""
    user_representation: str = ""
    # The purpose the request names (header X-Verwerkingsactiviteit), when it names one of the
    # application's; `purpose_uri` is what was sent, known or not.
    verwerkingsactiviteit: Verwerkingsactiviteit | None = None
    purpose_uri: str = ""
    trace_id: str = field(default_factory=lambda: _new_id(32))
    parent_span_id: str = ""
    span_id: str = field(default_factory=lambda: _new_id(16))
    # The groups of fields the application may not see (autorisatie.afscherming): its
    # shielded groups, and `register:<name>` for each register it may not read.
    afgeschermd: frozenset = frozenset()
    # Whether confidential klantcontacten are hidden from it (autorisatie.vertrouwelijk).
    vertrouwelijk_verborgen: bool = False

    @classmethod
    def for_request(cls, request, applicatie: Applicatie, **claims) -> "RequestContext":
        meta = request.META
        # The request's trace context, as its log lines and span have it
        # (klantinteracties/waarneming.py).
        huidig = waarneming.trace()
        if huidig is not None:
            tracing = {
                "trace_id": huidig.trace_id,
                "span_id": huidig.span_id,
                "parent_span_id": huidig.parent_span_id,
            }
        elif ouder := waarneming.uit_traceparent(meta.get("HTTP_TRACEPARENT", "")):
            # An all-zero trace or parent id is invalid (W3C): a new trace is started.
            tracing = {"trace_id": ouder[0], "parent_span_id": ouder[1]}
        else:
            tracing = {}
        purpose_uri = meta.get("HTTP_X_VERWERKINGSACTIVITEIT", "").strip()
        purpose = None
        if purpose_uri:
            purpose = next(
                (v for v in applicatie.verwerkingsactiviteiten.all() if v.uri == purpose_uri),
                None,
            )
        afgeschermd = set(applicatie.afgeschermd) | {
            f"register:{register}"
            for register in REGISTERS
            if not applicatie.heeft_scope(f"{register}.{LEZEN}")
        }
        return cls(
            applicatie=applicatie,
            verwerkingsactiviteit=purpose,
            purpose_uri=purpose_uri,
            afgeschermd=frozenset(afgeschermd),
            vertrouwelijk_verborgen=not applicatie.heeft_scope(VERTROUWELIJK),
            **claims,
            **tracing,
        )


# The context of the request being handled, set by the base viewset for its duration (None
# outside a request: the admin, commands), for what decides per request what an application
# may see (autorisatie.vertrouwelijk).
_current = contextvars.ContextVar("request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(context: RequestContext | None):
    return _current.set(context)


def deactivate(token) -> None:
    _current.reset(token)
