"""Token authentication, exactly as the reference: `Authorization: Token <key>`.

Keys are stored as SHA-256 hashes, so a database leak reveals no usable key and a lookup
by hash leaks nothing useful through timing. A short per-process cache saves one query per
request; a deactivated token stops working within TOKEN_CACHE_SECONDS.
"""

import time

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import Token, hash_key

TOKEN_CACHE_SECONDS = 10
LAST_USED_RESOLUTION_SECONDS = 60

_cache: dict[str, tuple[float, Token]] = {}


def _clear_cache(**kwargs) -> None:
    _cache.clear()


post_save.connect(_clear_cache, sender=Token)
post_delete.connect(_clear_cache, sender=Token)


def lookup_token(key: str) -> Token | None:
    digest = hash_key(key)
    now = time.monotonic()
    cached = _cache.get(digest)
    if cached and cached[0] > now:
        return cached[1]
    token = Token.objects.filter(key_hash=digest, is_active=True).first()
    if token is None:
        _cache.pop(digest, None)
        return None
    if token.last_used is None or (
        (timezone.now() - token.last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        token.last_used = timezone.now()
        Token.objects.filter(pk=token.pk).update(last_used=token.last_used)
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[digest] = (now + TOKEN_CACHE_SECONDS, token)
    return token


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
        return token, token

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
