"""The admin's merge of duplicate partijen and vergeten of a partij, for a functional
manager (docs/regie.md).

The partij admin of the partijen register, with two actions more: regie builds on partijen,
not the other way round.
"""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from rest_framework import serializers

from logboek.beheer import wie_van
from logboek.vastleggen import scrub_text
from partijen.admin import PartijAdmin
from partijen.models import Partij

from .samenvoegen import MAX_DUPLICATEN, partij_samenvoegen
from .vergeten import PartijVerdwenen, partij_vergeten


class SamenvoegenForm(forms.Form):
    overblijver = forms.TypedChoiceField(
        label="Overblijvende partij", coerce=int, widget=forms.RadioSelect
    )
    toelichting = forms.CharField(
        label="Toelichting (komt in de audit trail)",
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, *args, partijen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overblijver"].choices = [
            (partij.pk, f"{partij} ({partij.soort_partij}, {partij.uuid})") for partij in partijen
        ]


class VergetenForm(forms.Form):
    toelichting = forms.CharField(
        label="Toelichting (komt in de audit trail; noem geen gegevens van de partij)",
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
    )


admin.site.unregister(Partij)


@admin.register(Partij)
class SamenvoegenPartijAdmin(PartijAdmin):
    actions = [*(PartijAdmin.actions or ()), "samenvoegen", "vergeten"]

    @admin.action(description="Samenvoegen in …", permissions=["change", "delete"])
    def samenvoegen(self, request, queryset):
        partijen = list(queryset.order_by("pk")[: MAX_DUPLICATEN + 2])
        if not 2 <= len(partijen) <= MAX_DUPLICATEN + 1:
            self.message_user(
                request,
                f"Kies twee tot {MAX_DUPLICATEN + 1} partijen om samen te voegen.",
                messages.WARNING,
            )
            return None
        form = SamenvoegenForm(
            request.POST if "bevestigd" in request.POST else None, partijen=partijen
        )
        if form.is_bound and form.is_valid():
            overblijver = next(p for p in partijen if p.pk == form.cleaned_data["overblijver"])
            wie = dataclasses.replace(
                wie_van(request), toelichting=scrub_text(form.cleaned_data["toelichting"])
            )
            try:
                with transaction.atomic():
                    partij_samenvoegen(
                        overblijver=overblijver,
                        uuids=[p.uuid for p in partijen if p.pk != overblijver.pk],
                        wie=wie,
                        context={"request": request},
                        naam="beheer.partij.samenvoegen",
                        start=timezone.now(),
                    )
            except serializers.ValidationError as exc:
                self.message_user(
                    request, "Niet samengevoegd: " + _reasons(exc.detail), messages.ERROR
                )
                return None
            self.message_user(
                request,
                f"{len(partijen) - 1} partij(en) samengevoegd in {overblijver}.",
                messages.SUCCESS,
            )
            return None
        return self._bevestigen(
            request, "samenvoegen", "Partijen samenvoegen", partijen, form, beheer_getoond=partijen
        )

    @admin.action(description="Vergeten (AVG art. 17) …", permissions=["change", "delete"])
    def vergeten(self, request, queryset):
        try:
            return self._vergeten(request, queryset)
        except PartijVerdwenen:
            self.message_user(
                request, "De partij is intussen samengevoegd of verwijderd.", messages.WARNING
            )
            return None

    def _vergeten(self, request, queryset):
        partijen = list(queryset.order_by("pk")[:2])
        if len(partijen) != 1:
            self.message_user(request, "Kies één partij om te vergeten.", messages.WARNING)
            return None
        partij = partijen[0]
        form = VergetenForm(request.POST if "bevestigd" in request.POST else None)
        wie = wie_van(request)
        if form.is_bound and form.is_valid():
            wie = dataclasses.replace(wie, toelichting=scrub_text(form.cleaned_data["toelichting"]))
            with transaction.atomic():
                samenvatting = partij_vergeten(
                    partij=partij,
                    wie=wie,
                    context={"request": request},
                    naam="beheer.partij.vergeten",
                    start=timezone.now(),
                )
            if samenvatting["alVergeten"]:
                self.message_user(request, f"{partij.nummer} was al vergeten.", messages.INFO)
            else:
                self.message_user(
                    request,
                    f"De gegevens van partij {partij.nummer} zijn gewist.",
                    messages.SUCCESS,
                )
            return None
        # What would go, without a change: the officer confirms after seeing it.
        with transaction.atomic():
            proef = partij_vergeten(
                partij=partij,
                wie=wie,
                context={"request": request},
                naam="beheer.partij.vergeten",
                dry_run=True,
                start=timezone.now(),
            )
        return self._bevestigen(
            request, "vergeten", "Partij vergeten", [partij], form, partij=partij, proef=proef
        )

    def _bevestigen(self, request, actie, titel, partijen, form, **extra):
        """The page that asks to confirm an action on the selected partijen."""
        context = {
            **self.admin_site.each_context(request),
            "title": titel,
            "opts": self.model._meta,
            "actie": actie,
            "knop": actie.capitalize(),
            "partijen": partijen,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, f"regie/{actie}.html", context)


def _reasons(detail) -> str:
    if isinstance(detail, dict):
        return " ".join(_reasons(value) for value in detail.values())
    if isinstance(detail, list):
        return " ".join(_reasons(value) for value in detail)
    return str(detail)
