"""OpenAPI generation: reference-style operationIds, the `expand` parameter, one file per API."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import patched_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from autorisatie import afscherming
from autorisatie.permissions import register_of
from autorisatie.scopes import scope_for

from .errors import JSON_CONTENT_TYPE, PROBLEM_CONTENT_TYPE
from .serializers import camelize

APIS = {
    "klantinteracties": {
        "urlconf": "klantinteracties.urls_api",
        "settings": {
            "TITLE": "klantinteracties",
            "VERSION": settings.API_VERSION,
            "SERVERS": [{"url": "/klantinteracties/api/v1"}],
            "SCHEMA_PATH_PREFIX": "/klantinteracties/api/v1",
        },
    },
    "contactgegevens": {
        "urlconf": "contactgegevens.urls_api",
        "settings": {
            "TITLE": "contactgegevens",
            "VERSION": settings.CONTACTGEGEVENS_API_VERSION,
            "DESCRIPTION": "Contactgegevens API: personen en organisaties.",
            "CONTACT": {
                "email": "standaarden.ondersteuning@vng.nl",
                "name": "VNG",
                "url": "https://zaakgerichtwerken.vng.cloud",
            },
            "LICENSE": {"name": "EUPL 1.2", "url": "https://opensource.org/licenses/EUPL-1.2"},
            "TAGS": [{"name": "organisaties"}, {"name": "personen"}],
            "SERVERS": [{"url": "/contactgegevens/api/v1"}],
            "SCHEMA_PATH_PREFIX": "/contactgegevens/api/v1",
        },
    },
}

ACTION_SUFFIX = {
    "list": "List",
    "retrieve": "Retrieve",
    "create": "Create",
    "update": "Update",
    "partial_update": "PartialUpdate",
    "destroy": "Destroy",
}


# Component names the reference gives the `{uuid, url}` reference of each resource.
REFERENCE_COMPONENTS = {
    "partijen": "PartijForeignKey",
    "digitaleadressen": "DigitaalAdresForeignKey",
    "rekeningnummers": "RekeningnummerForeignKey",
    "partij-identificatoren": "PartijIdentificatorForeignkey",
    "categorieen": "CategorieForeignKey",
    "categorie-relaties": "CategorieRelatieForeignKey",
    "klantcontacten": "KlantcontactForeignKey",
    "betrokkenen": "BetrokkeneForeignKey",
    "onderwerpobjecten": "OnderwerpobjectForeignKey",
    "bijlagen": "BijlageForeignKey",
    "actoren": "ActorForeignKey",
    "internetaken": "InterneTaakForeignKey",
}

REFERENCE_SCHEMA = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string", "format": "uuid"},
        "url": {
            "type": "string",
            "format": "uri",
            "readOnly": True,
            "maxLength": 1000,
            "minLength": 1,
        },
    },
    "required": ["url", "uuid"],
}


BLANK_ALTERNATIVE = {"type": "string", "maxLength": 0}


def is_blank_alternative(alternatives) -> bool:
    """Whether a oneOf/anyOf is drf-spectacular's "a constrained string, or empty"."""
    return (
        isinstance(alternatives, list)
        and len(alternatives) == 2
        and alternatives.count(BLANK_ALTERNATIVE) == 1
    )


# Problem details as the ZGW APIs document them.
FOUT_PROPERTIES = {
    "type": {
        "type": "string",
        "description": "URI referentie naar het type fout, bedoeld voor developers",
    },
    "code": {"type": "string", "description": "Systeemcode die het type fout aangeeft"},
    "title": {"type": "string", "description": "Generieke titel voor het type fout"},
    "status": {"type": "integer", "description": "De HTTP status code"},
    "detail": {"type": "string", "description": "Extra informatie bij de fout, indien beschikbaar"},
    "instance": {
        "type": "string",
        "description": "URI met referentie naar dit specifiek voorkomen van de fout.",
    },
}
FOUT_REQUIRED = ["code", "detail", "instance", "status", "title"]
ERROR_COMPONENTS = {
    "Fout": {
        "type": "object",
        "description": "Formaat van HTTP 4xx en 5xx fouten.",
        "properties": FOUT_PROPERTIES,
        "required": FOUT_REQUIRED,
    },
    "FieldValidationError": {
        "type": "object",
        "description": "Formaat van validatiefouten.",
        "properties": {
            "name": {"type": "string", "description": "Naam van het veld met ongeldige gegevens"},
            "code": {"type": "string", "description": "Systeemcode die het type fout aangeeft"},
            "reason": {"type": "string", "description": "Uitleg wat er precies fout is"},
        },
        "required": ["code", "name", "reason"],
    },
    "ValidatieFout": {
        "type": "object",
        "description": "Formaat van HTTP 400 fouten: ongeldige invoer. `invalidParams` ontbreekt "
        "alleen als de body geen geldige JSON is.",
        "properties": {
            **FOUT_PROPERTIES,
            "invalidParams": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FieldValidationError"},
            },
        },
        "required": FOUT_REQUIRED,
    },
}
API_VERSION_HEADER = {
    "schema": {"type": "string"},
    "description": "Geeft een specifieke API-versie aan in de context van een specifieke "
    "aanroep. Voorbeeld: 1.2.1.",
}

ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer",
    "401": "Niet geauthenticeerd",
    "403": "Geen toegang",
    "404": "Niet gevonden",
    "406": "Niet acceptabel",
    "409": "Gelijktijdige wijziging: niets opgeslagen, het verzoek kan worden herhaald",
    "413": "Request body te groot",
    "415": "Medium type niet ondersteund",
    "500": "Serverfout",
}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)

        # A list of references: items are the plain component, as in the contract; a
        # nullable child means the list itself may be null.
        if isinstance(field, serializers.ManyRelatedField) and isinstance(schema, dict):
            items = schema.get("items")
            if isinstance(items, dict) and len(items.get("allOf", [])) == 1:
                if items.get("nullable"):
                    schema["nullable"] = True
                schema["items"] = items["allOf"][0]
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # drf-spectacular documents a constrained string that may also be "" as
        # `oneOf: [<constrained>, {maxLength: 0}]`. "" satisfies a `format` (email, uri) under
        # validators that do not assert formats, and then matches both: `anyOf` says the same
        # without that trap.
        if is_blank_alternative(schema.get("oneOf")):
            schema["anyOf"] = schema.pop("oneOf")
        # A field an application can have shielded reads as "" then (autorisatie.afscherming).
        elif (
            afscherming.group_of(field.parent, field.field_name)
            and schema.get("type") == "string"
            and {"pattern", "minLength", "format"} & set(schema)
        ):
            outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {key: schema.pop(key) for key in list(schema) if key not in outer}
            schema["anyOf"] = [inner, BLANK_ALTERNATIVE]

    def get_description(self):
        # The scope each operation needs (autorisatie), after the operation's own text.
        description = super().get_description()
        register = register_of(self.view)
        if register is None:
            return description
        scope = f"**Scope:** `{scope_for(register, self.method)}`."
        if self.method in ("PUT", "PATCH"):
            scope = f"**Scopes:** `{register}.schrijven` en `{register}.lezen`."
        if self.view.action in ("audittrail", "audittrail_detail"):
            scope = f"**Scopes:** `{register}.lezen` en `audittrails.lezen`."
        elif self._expands():
            scope += (
                " Een `expand` in een ander register vraagt ook diens scope `<register>.lezen`."
            )
        return f"{description}\n\n{scope}" if description else scope

    def _expands(self) -> bool:
        """Whether the operation takes `expand`: a resource's list and detail."""
        return (
            bool(getattr(self.view, "expand_paths", ()))
            and self.method == "GET"
            and getattr(self.view, "action", None) in ("list", "retrieve")
        )

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] in ("uuid", "audit_uuid"):
                parameter["schema"] = {"type": "string", "format": "uuid"}
        return parameters

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        expandable = getattr(serializer, "expandable", None)
        if str(status_code) != "200" or not self._expands() or not expandable:
            return response
        component = self.resolve_serializer(serializer, "response")
        if getattr(self.view, "expand_beyond_reference", False):
            # Where the reference has no `expand`, its response schemas keep their names
            # (a generated client keeps its types): `_expand` is an optional property of the
            # resource's own component.
            component.schema.setdefault("properties", {})["_expand"] = {
                **self._expand_object(serializer, expandable),
                "readOnly": True,
            }
            return response
        expand_ref = self._expand_component(component, serializer, expandable)
        if self._is_list_view(serializer):
            paginator = self._get_paginator()
            paginated = ResolvedComponent(
                name=f"PaginatedExpand{component.name}List",
                type=ResolvedComponent.SCHEMA,
                object=f"PaginatedExpand{component.name}List",
                schema=paginator.get_paginated_response_schema(
                    {"type": "array", "items": expand_ref}
                ),
            )
            self.registry.register_on_missing(paginated)
            target = paginated.ref
        else:
            target = expand_ref
        for content in response.get("content", {}).values():
            content["schema"] = target
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for name, schema in ERROR_COMPONENTS.items():
            self.registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
                )
            )
        for status_code, component in self._error_responses():
            # The same body as `application/json` (the default, as the reference sends it)
            # or `application/problem+json` (when the request's Accept names it).
            schema = {"$ref": f"#/components/schemas/{component}"}
            responses.setdefault(
                status_code,
                {
                    "content": {
                        JSON_CONTENT_TYPE: {"schema": schema},
                        PROBLEM_CONTENT_TYPE: {"schema": schema},
                    },
                    "description": ERROR_DESCRIPTIONS[status_code],
                },
            )
        # APIVersionMiddleware sends the header on every response; documented, as in the
        # contract, on the successful ones.
        for status_code, response in responses.items():
            if str(status_code).startswith("2"):
                headers = {"API-version": API_VERSION_HEADER, **response.pop("headers", {})}
                responses[status_code] = {"headers": headers, **response}
        return responses

    def _error_responses(self):
        """The problem responses this operation can give (see errors.py)."""
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
        elif self.method == "GET":
            codes.append("404")  # a page number past the last page
        codes.append("406")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        codes.append("500")
        for code in codes:
            yield code, "ValidatieFout" if code == "400" else "Fout"

    def _expand_object(self, serializer, expandable) -> dict:
        """The schema of `_expand`: the view's top-level expansions."""
        top_level = {path.split(".")[0] for path in self.view.expand_paths}
        properties = {}
        for name, expansion in expandable.items():
            if name not in top_level:
                continue
            child = self.resolve_serializer(expansion.serializer_class(), "response").ref
            if expansion.many:
                properties[name] = {"type": "array", "items": child, "readOnly": True}
            else:
                properties[name] = {"allOf": [child], "nullable": True}
        return {
            "type": "object",
            "description": "Display details of the linked resources requested in the "
            "`expand` parameter",
            "properties": properties,
        }

    def _expand_component(self, component, serializer, expandable) -> dict:
        expanded = ResolvedComponent(
            name=f"Expand{component.name}",
            type=ResolvedComponent.SCHEMA,
            object=f"Expand{component.name}",
            schema={
                "allOf": [
                    component.ref,
                    {
                        "type": "object",
                        "properties": {"_expand": self._expand_object(serializer, expandable)},
                    },
                ]
            },
        )
        self.registry.register_on_missing(expanded)
        return expanded.ref

    def get_operation_id(self):
        # /partij-identificatoren + list -> partijIdentificatorenList, as the reference names it.
        tokenized = self._tokenize_path()
        tokenized = [t for t in tokenized if not t.startswith("{")]
        base = camelize("_".join(tokenized).replace("-", "_"))
        if self.method == "GET" and self._is_list_view():
            action = "list"
        else:
            action = {
                "GET": "retrieve",
                "POST": "create",
                "PUT": "update",
                "PATCH": "partial_update",
                "DELETE": "destroy",
            }[self.method]
        return base + ACTION_SUFFIX[action]

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        paths = getattr(self.view, "expand_paths", ())
        if self._expands():
            params.append(
                OpenApiParameter(
                    name="expand",
                    type={"type": "array", "items": {"type": "string", "enum": sorted(paths)}},
                    location=OpenApiParameter.QUERY,
                    description="Sluit de gespecifieerde gerelateerde resources in in het antwoord.\n\n",
                    explode=False,
                    style="form",
                )
            )
        return params

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        # A FilterSet names the filters the contract deprecates in `deprecated_filters`.
        filterset_class = getattr(self.view, "filterset_class", None)
        deprecated = set(getattr(filterset_class, "deprecated_filters", ()))
        for parameter in parameters:
            if parameter.get("name") in deprecated:
                parameter["deprecated"] = True
        return parameters

    def get_tags(self):
        tokenized = [t for t in self._tokenize_path() if not t.startswith("{")]
        return [tokenized[0]] if tokenized else super().get_tags()


def generate(api: str, request=None) -> dict:
    config = APIS[api]
    with patched_settings(config["settings"]):
        generator = SchemaGenerator(urlconf=config["urlconf"])
        return generator.get_schema(request=request, public=True)


def render_yaml(schema: dict) -> str:
    with patched_settings({}):
        return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


__all__ = ["AutoSchema", "OpenApiTypes", "generate", "render_yaml"]


def discriminator_pin(discriminator: str, value: str) -> dict:
    """An allOf part that limits a oneOf variant to its own discriminator value.

    The identificaties of the variants do not exclude each other, so without it a payload
    matches several variants under plain JSON Schema (which ignores `discriminator`). It is
    written as `not` (present with another value), which leaves the variant's properties as
    the contract documents them and keeps the discriminator optional in PATCH bodies.
    """
    return {
        "not": {
            "required": [discriminator],
            "properties": {discriminator: {"not": {"enum": [value]}}},
        }
    }


def polymorphic_schema(auto_schema, direction, *, name, discriminator, base, variants, wrapper):
    """Document a serializer whose identificatie depends on a discriminator, as the reference
    does: `oneOf` of `<soort>_<Name>Serializer` = allOf[Base_<Name>Serializer,
    <wrapper>_<Identificatie>], with a discriminator mapping.

    base: a serializer instance without the identificatie field; variants: {soort:
    identificatie serializer class}; wrapper: name of the identificatie property.
    """
    registry = auto_schema.registry
    base_component = ResolvedComponent(
        name=f"Base_{name}Serializer",
        type=ResolvedComponent.SCHEMA,
        object=f"Base_{name}Serializer",
        schema=auto_schema._map_basic_serializer(base, direction),
    )
    registry.register_on_missing(base_component)
    base_ref = base_component.ref
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in wrapper).lstrip("_")
    one_of, mapping = [], {}
    for soort, identificatie in variants.items():
        identificatie_ref = auto_schema.resolve_serializer(identificatie, direction).ref
        ident_name = identificatie_ref["$ref"].rsplit("/", 1)[-1]
        holder = ResolvedComponent(
            name=f"{snake}_{ident_name}",
            type=ResolvedComponent.SCHEMA,
            object=f"{snake}_{ident_name}",
            schema={"type": "object", "properties": {wrapper: identificatie_ref}},
        )
        registry.register_on_missing(holder)
        variant = ResolvedComponent(
            name=f"{soort}_{name}Serializer",
            type=ResolvedComponent.SCHEMA,
            object=f"{soort}_{name}Serializer",
            schema={"allOf": [base_ref, holder.ref, discriminator_pin(discriminator, soort)]},
        )
        registry.register_on_missing(variant)
        one_of.append(variant.ref)
        mapping[soort] = variant.ref["$ref"]
    return {"oneOf": one_of, "discriminator": {"propertyName": discriminator, "mapping": mapping}}


class ReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """`{uuid, url}` references as the contract's named components (`PartijForeignKey`)."""

    target_class = "klantinteracties.api.fields.ReferenceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        name = field.component or REFERENCE_COMPONENTS.get(field.resource)
        if name is None:
            return REFERENCE_SCHEMA
        schema = REFERENCE_SCHEMA
        if name == "CategorieForeignKey":
            # The reference also shows the categorie's naam in its references.
            schema = {
                **schema,
                "properties": {
                    **schema["properties"],
                    "naam": {"type": "string", "readOnly": True},
                },
                "required": ["naam", "url", "uuid"],
            }
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
