"""Authentication of applications: `Authorization: Token <key>`, exactly as the reference,
and ZGW JWTs (`Authorization: Bearer <jwt>`, HS256, signed with the application's secret).

Either way `request.user` is the application and `request.auth` the request context
(autorisatie.context.RequestContext), made here once per request.

Keys are stored as SHA-256 hashes, so a database leak reveals no usable key and a lookup
by hash leaks nothing useful through timing. A short per-process cache saves queries per
request; a deactivated token or application stops working within TOKEN_CACHE_SECONDS.
"""

import time

import jwt
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from autorisatie.context import RequestContext
from autorisatie.models import Applicatie, ClientCredential, Verwerkingsactiviteit

from .models import Token, hash_key

TOKEN_CACHE_SECONDS = 10
LAST_USED_RESOLUTION_SECONDS = 60

_cache: dict[str, tuple[float, object]] = {}


def _clear_cache(**kwargs) -> None:
    _cache.clear()


for _model in (Token, Applicatie, ClientCredential, Verwerkingsactiviteit):
    post_save.connect(_clear_cache, sender=_model)
    post_delete.connect(_clear_cache, sender=_model)
# An application's purposes (a many-to-many) change without saving it.
m2m_changed.connect(_clear_cache, sender=Applicatie.verwerkingsactiviteiten.through)


def _cached(key: str, load):
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and cached[0] > now:
        return cached[1]
    value = load()
    if value is None:
        _cache.pop(key, None)
        return None
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[key] = (now + TOKEN_CACHE_SECONDS, value)
    return value


def lookup_token(key: str) -> Token | None:
    """The active token with this key, with its application and that one's purposes."""

    def load():
        token = (
            Token.objects.select_related("applicatie")
            .prefetch_related("applicatie__verwerkingsactiviteiten")
            .filter(key_hash=digest, is_active=True)
            .first()
        )
        if token is not None and (
            token.last_used is None
            or (timezone.now() - token.last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            token.last_used = timezone.now()
            Token.objects.filter(pk=token.pk).update(last_used=token.last_used)
        return token

    digest = hash_key(key)
    return _cached(f"token:{digest}", load)


def lookup_client(client_id: str) -> ClientCredential | None:
    def load():
        return (
            ClientCredential.objects.select_related("applicatie")
            .prefetch_related("applicatie__verwerkingsactiviteiten")
            .filter(client_id=client_id)
            .first()
        )

    return _cached(f"client:{client_id}", load)


def _active(applicatie: Applicatie) -> Applicatie:
    if not applicatie.actief:
        raise exceptions.AuthenticationFailed("De applicatie is niet actief.")
    return applicatie


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige token header.")
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Ongeldige token header.") from exc
        token = lookup_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Ongeldig of ingetrokken token.")
        applicatie = _active(token.applicatie)
        return applicatie, RequestContext.for_request(request, applicatie)

    def authenticate_header(self, request):
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "klantinteracties.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


class JWTAuthentication(authentication.BaseAuthentication):
    """ZGW JWT: `Authorization: Bearer <jwt>`, HS256 with the secret of the `client_id` it
    names; `iat` required, not in the future and at most JWT_EXPIRY_SECONDS old, `exp` (if
    any) not passed. `user_id` and `user_representation` go into the request context."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige Bearer header.")
        token = header[1]
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise exceptions.AuthenticationFailed("Ongeldige JWT.") from exc
        client_id = unverified.get("client_id")
        plain = isinstance(client_id, str) and 0 < len(client_id) <= 200
        credential = lookup_client(client_id) if plain and "\x00" not in client_id else None
        if credential is None:
            raise exceptions.AuthenticationFailed("Onbekende client_id.")
        leeway = settings.JWT_LEEWAY_SECONDS
        try:
            claims = jwt.decode(
                token,
                credential.secret,
                algorithms=["HS256"],
                options={"require": ["iat", "client_id"]},
                leeway=leeway,
            )
        except jwt.PyJWTError as exc:
            raise exceptions.AuthenticationFailed(f"Ongeldige JWT: {exc}.") from exc
        issued = claims["iat"]
        now = time.time()
        if not isinstance(issued, int | float) or issued > now + leeway:
            raise exceptions.AuthenticationFailed("Ongeldige JWT: iat ligt in de toekomst.")
        if issued < now - settings.JWT_EXPIRY_SECONDS - leeway:
            raise exceptions.AuthenticationFailed("Ongeldige JWT: verlopen (iat te oud).")
        applicatie = _active(credential.applicatie)
        context = RequestContext.for_request(
            request,
            applicatie,
            user_id=str(claims.get("user_id") or ""),
            user_representation=str(claims.get("user_representation") or ""),
        )
        return applicatie, context

    def authenticate_header(self, request):
        return self.keyword


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "klantinteracties.api.auth.JWTAuthentication"
    name = "JWT-Claims"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
