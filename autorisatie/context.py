"""The request context: who processes data in this request, for whom and why.

Made once, when the request is authenticated, and read by everything after it (scopes,
purpose binding, the processing log): `request.auth` is this object.
"""

import contextvars
import re
import secrets
from dataclasses import dataclass, field

from .models import Applicatie, Verwerkingsactiviteit
from .scopes import LEZEN, REGISTERS, VERTROUWELIJK

PURPOSE_HEADER = "X-Verwerkingsactiviteit"
# W3C Trace Context: version-traceid-parentid-flags, lower-case hex.
TRACEPARENT = re.compile(
    r"\A[0-9a-f]{2}-(?P<trace>[0-9a-f]{32})-(?P<parent>[0-9a-f]{16})-[0-9a-f]{2}\Z"
)


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
        trace = TRACEPARENT.match(meta.get("HTTP_TRACEPARENT", "").strip())
        # An all-zero trace or parent id is invalid (W3C): a new trace is started.
        if trace and set(trace["trace"]) != {"0"} and set(trace["parent"]) != {"0"}:
            tracing = {"trace_id": trace["trace"], "parent_span_id": trace["parent"]}
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
