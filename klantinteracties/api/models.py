import hashlib
import secrets

from django.db import models
from django.utils import timezone

from autorisatie.models import Applicatie


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class TokenQuerySet(models.QuerySet):
    def create_token(self, name: str, applicatie=None, **fields) -> tuple["Token", str]:
        """Create a token and return it with its key; only the hash is stored.

        Without an applicatie, the token is a credential of the application named `name`,
        which is made with all rights if it does not exist (as every token was before
        applications had scopes).
        """
        if applicatie is None:
            applicatie, _ = Applicatie.objects.get_or_create(
                naam=name, defaults={"alle_rechten": True}
            )
        key = secrets.token_hex(20)
        token = self.create(
            name=name, applicatie=applicatie, key_hash=hash_key(key), prefix=key[:8], **fields
        )
        return token, key


class Token(models.Model):
    """An API token. The key is shown once on creation; the database keeps only its hash."""

    applicatie = models.ForeignKey(
        "autorisatie.Applicatie",
        on_delete=models.CASCADE,
        related_name="tokens",
        help_text="De applicatie die zich met dit token aanmeldt: haar scopes gelden.",
    )
    name = models.CharField(
        "naam", max_length=200, help_text="Wie of welk systeem dit token gebruikt."
    )
    prefix = models.CharField(
        max_length=8, editable=False, help_text="Eerste tekens van de sleutel."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("actief", default=True)
    created = models.DateTimeField("aangemaakt", default=timezone.now, editable=False)
    last_used = models.DateTimeField("laatst gebruikt", null=True, blank=True, editable=False)
    contact_person = models.CharField("contactpersoon", max_length=200, blank=True)
    email = models.EmailField("e-mailadres", blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
