"""What the import from a running Open Klant has copied, to sync again without copying twice."""

from django.db import models


class Bronobject(models.Model):
    """One object of the source as last copied: its resource, uuid and a hash of its
    representation (urls without host, derived lists left out: overstap/definities.py).

    A re-run copies an object only when its hash differs. The hash is written in the
    transaction that writes the object, so an interrupted run resumes where it stopped.
    """

    resource = models.CharField(max_length=40)
    uuid = models.UUIDField()
    hash = models.CharField(max_length=64)
    gekopieerd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bronobject"
        verbose_name_plural = "bronobjecten"
        constraints = [
            models.UniqueConstraint(fields=["resource", "uuid"], name="uniek_bronobject")
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.uuid}"


class Importrun(models.Model):
    """One run of `manage.py importeren`: the import writes no audit records or events per
    object (docs/overstappen.md), so each run is accounted for here, with its report."""

    bron = models.CharField(max_length=1000)
    begonnen_op = models.DateTimeField(auto_now_add=True)
    geeindigd_op = models.DateTimeField(null=True, blank=True)
    # Per resource the counts (gelezen, nieuw, gewijzigd, ongewijzigd, geweigerd, ...).
    tellingen = models.JSONField(default=dict, blank=True)
    geweigerd = models.JSONField(default=list, blank=True)
    waarschuwingen = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "importrun"
        verbose_name_plural = "importruns"
        ordering = ["-begonnen_op"]

    def __str__(self) -> str:
        return f"{self.bron} {self.begonnen_op:%Y-%m-%d %H:%M}"
