"""Compare a generated OpenAPI document with the reference one, difference by difference.

Each difference is one stable line, e.g.
    `GET /partijen query expand: enum ours=[...] reference=[...]`
    `schema Partij.nummer: maxLength ours=20 reference=10`
so that deliberate deviations can be listed, with a reason, in docs/deviations.md.

Usage: python -m tests.contract.parity openapi/klantinteracties.yaml tests/contract/reference/klantinteracties-openapi.yaml
"""

import sys

import yaml

METHODS = ("get", "post", "put", "patch", "delete")
PARAM_KEYS = ("type", "format", "enum", "minimum", "maximum", "default", "required", "deprecated")
PROPERTY_KEYS = (
    "type",
    "format",
    "enum",
    "readOnly",
    "writeOnly",
    "nullable",
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "default",
    "deprecated",
)


def load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


class Resolver:
    def __init__(self, document):
        self.schemas = document.get("components", {}).get("schemas", {})

    def deref(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            schema = self.schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return schema or {}

    def name(self, schema):
        if isinstance(schema, dict) and "$ref" in schema:
            return schema["$ref"].rsplit("/", 1)[-1]
        return None

    def flat(self, schema):
        """Merge allOf parts into one object schema: (properties, required)."""
        schema = self.deref(schema)
        properties, required = {}, set()
        for part in schema.get("allOf", []):
            sub_properties, sub_required = self.flat(part)
            properties.update(sub_properties)
            required |= sub_required
        properties.update(schema.get("properties", {}))
        required |= set(schema.get("required", []))
        return properties, required

    def describe(self, schema):
        """The comparable facts of one property (following a single-item allOf/$ref).

        A string that may also be empty is generated as `anyOf: [<constrained>, {maxLength:
        0}]`: described as the constrained form with `blank: True`, one line per property.
        """
        facts = {}
        blank = unblank(schema)
        if blank is not schema:
            schema = blank
            facts["blank"] = True
        if "allOf" in schema and len(schema["allOf"]) == 1:
            inner = schema["allOf"][0]
            facts["ref"] = self.name(inner)
            target = self.deref(inner)
            if "enum" in target:
                facts["enum"] = sorted(str(v) for v in target["enum"] if v not in ("", None))
        elif "$ref" in schema:
            facts["ref"] = self.name(schema)
            target = self.deref(schema)
            if "enum" in target:
                facts["enum"] = sorted(str(v) for v in target["enum"] if v not in ("", None))
        for key in PROPERTY_KEYS:
            if key in schema:
                value = schema[key]
                if key == "enum":
                    value = sorted(str(v) for v in value if v not in ("", None))
                facts[key] = value
        if schema.get("type") == "array":
            items = schema.get("items", {})
            facts["items"] = self.name(items) or items.get("type")
        if "oneOf" in schema:
            facts["oneOf"] = sorted(self.name(s) or "?" for s in schema["oneOf"])
        facts.setdefault("readOnly", False)
        facts.setdefault("nullable", False)
        return facts


def unblank(schema):
    """The constrained form of an `anyOf: [<constrained>, {maxLength: 0}]` string, merged
    with the keys beside the anyOf; the schema itself when it is not one."""
    alternatives = schema.get("anyOf")
    empty = {"type": "string", "maxLength": 0}
    if isinstance(alternatives, list) and len(alternatives) == 2 and empty in alternatives:
        main = next(alt for alt in alternatives if alt != empty)
        return {**{k: v for k, v in schema.items() if k != "anyOf"}, **main}
    return schema


def diff_facts(label, ours, reference, keys):
    lines = []
    for key in keys:
        if ours.get(key) != reference.get(key):
            lines.append(f"{label}: {key} ours={ours.get(key)!r} reference={reference.get(key)!r}")
    return lines


def compare_operations(ours, reference, our_resolver, ref_resolver):
    lines = []
    for path, ref_item in reference.get("paths", {}).items():
        our_item = ours.get("paths", {}).get(path)
        if our_item is None:
            lines.append(f"path {path}: missing")
            continue
        for method in METHODS:
            ref_op, our_op = ref_item.get(method), our_item.get(method)
            if ref_op is None and our_op is None:
                continue
            label = f"{method.upper()} {path}"
            if our_op is None:
                lines.append(f"{label}: missing")
                continue
            if ref_op is None:
                lines.append(f"{label}: not in reference")
                continue
            if our_op.get("operationId") != ref_op.get("operationId"):
                lines.append(
                    f"{label}: operationId ours={our_op.get('operationId')!r} reference={ref_op.get('operationId')!r}"
                )
            our_params = {(p["in"], p["name"]): p for p in our_op.get("parameters", [])}
            ref_params = {(p["in"], p["name"]): p for p in ref_op.get("parameters", [])}
            for key in sorted(set(ref_params) - set(our_params)):
                lines.append(f"{label} {key[0]} {key[1]}: missing")
            for key in sorted(set(our_params) - set(ref_params)):
                lines.append(f"{label} {key[0]} {key[1]}: not in reference")
            for key in sorted(set(ref_params) & set(our_params)):
                our_schema = our_params[key].get("schema", {})
                ref_schema = ref_params[key].get("schema", {})
                if our_schema.get("type") == "array":
                    our_schema = {**our_schema, **our_schema.get("items", {}), "type": "array"}
                if ref_schema.get("type") == "array":
                    ref_schema = {**ref_schema, **ref_schema.get("items", {}), "type": "array"}
                our_facts = {k: our_schema.get(k) for k in PARAM_KEYS}
                ref_facts = {k: ref_schema.get(k) for k in PARAM_KEYS}
                # `required` and `deprecated` belong to the parameter, not its schema.
                for facts, parameter in (
                    (our_facts, our_params[key]),
                    (ref_facts, ref_params[key]),
                ):
                    facts["required"] = parameter.get("required", False)
                    facts["deprecated"] = parameter.get("deprecated", False)
                for facts in (our_facts, ref_facts):
                    if facts["enum"] is not None:
                        facts["enum"] = sorted(str(v) for v in facts["enum"] if v not in ("", None))
                lines += diff_facts(f"{label} {key[0]} {key[1]}", our_facts, ref_facts, PARAM_KEYS)
            lines += compare_bodies(label, our_op, ref_op, our_resolver, ref_resolver)
            # Another way to authenticate (a JWT beside the token) is an addition: every
            # requirement of the reference must be one of ours.
            our_security = our_op.get("security") or []
            if any(entry not in our_security for entry in ref_op.get("security") or []):
                lines.append(
                    f"{label}: security ours={our_op.get('security')!r} reference={ref_op.get('security')!r}"
                )
    for path in sorted(set(ours.get("paths", {})) - set(reference.get("paths", {}))):
        lines.append(f"path {path}: not in reference")
    return lines


def body_schema_name(content, resolver):
    schema = (content or {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    return resolver.name(schema) or schema.get("type")


def compare_bodies(label, our_op, ref_op, our_resolver, ref_resolver):
    lines = []
    our_body = body_schema_name(our_op.get("requestBody", {}).get("content"), our_resolver)
    ref_body = body_schema_name(ref_op.get("requestBody", {}).get("content"), ref_resolver)
    if our_body != ref_body:
        lines.append(f"{label} request body: ours={our_body!r} reference={ref_body!r}")
    ref_statuses = set(ref_op.get("responses", {}))
    our_statuses = set(our_op.get("responses", {}))
    for status in sorted(ref_statuses - our_statuses):
        lines.append(f"{label} response {status}: missing")
    for status in sorted(ref_statuses & our_statuses):
        ours = body_schema_name(our_op["responses"][status].get("content"), our_resolver)
        reference = body_schema_name(ref_op["responses"][status].get("content"), ref_resolver)
        if ours != reference:
            lines.append(f"{label} response {status}: ours={ours!r} reference={reference!r}")
        our_headers = sorted(our_op["responses"][status].get("headers", {}))
        ref_headers = sorted(ref_op["responses"][status].get("headers", {}))
        if our_headers != ref_headers:
            lines.append(
                f"{label} response {status}: headers ours={our_headers!r} reference={ref_headers!r}"
            )
    return lines


def compare_schemas(ours, reference, our_resolver, ref_resolver):
    lines = []
    for name, ref_schema in reference.get("components", {}).get("schemas", {}).items():
        our_schema = ours.get("components", {}).get("schemas", {}).get(name)
        if our_schema is None:
            lines.append(f"schema {name}: missing")
            continue
        if "oneOf" in ref_schema or "oneOf" in our_schema:
            ref_one = sorted(ref_resolver.name(s) for s in ref_schema.get("oneOf", []))
            our_one = sorted(our_resolver.name(s) for s in our_schema.get("oneOf", []))
            if ref_one != our_one:
                lines.append(f"schema {name}: oneOf ours={our_one!r} reference={ref_one!r}")
            if ref_schema.get("discriminator") != our_schema.get("discriminator"):
                lines.append(f"schema {name}: discriminator differs")
            continue
        if "enum" in ref_schema:
            if sorted(map(str, ref_schema["enum"])) != sorted(map(str, our_schema.get("enum", []))):
                lines.append(
                    f"schema {name}: enum ours={sorted(map(str, our_schema.get('enum', [])))!r} "
                    f"reference={sorted(map(str, ref_schema['enum']))!r}"
                )
            continue
        ref_props, ref_required = ref_resolver.flat(ref_schema)
        our_props, our_required = our_resolver.flat(our_schema)
        for prop in sorted(set(ref_props) - set(our_props)):
            lines.append(f"schema {name}.{prop}: missing")
        for prop in sorted(set(our_props) - set(ref_props)):
            lines.append(f"schema {name}.{prop}: not in reference")
        for prop in sorted(set(ref_props) & set(our_props)):
            ours_facts = our_resolver.describe(our_props[prop])
            ref_facts = ref_resolver.describe(ref_props[prop])
            keys = sorted(set(ours_facts) | set(ref_facts))
            lines += diff_facts(f"schema {name}.{prop}", ours_facts, ref_facts, keys)
            if (prop in our_required) != (prop in ref_required):
                lines.append(
                    f"schema {name}.{prop}: required ours={prop in our_required} reference={prop in ref_required}"
                )
    return lines


def compare_security(ours, reference):
    ours_schemes = ours.get("components", {}).get("securitySchemes", {})
    ref_schemes = reference.get("components", {}).get("securitySchemes", {})
    lines = []
    for name, scheme in ref_schemes.items():
        mine = ours_schemes.get(name)
        if mine is None:
            lines.append(f"securityScheme {name}: missing")
        elif {k: mine.get(k) for k in ("type", "in", "name")} != {
            k: scheme.get(k) for k in ("type", "in", "name")
        }:
            lines.append(f"securityScheme {name}: differs")
    return lines


def compare(ours, reference) -> list[str]:
    our_resolver, ref_resolver = Resolver(ours), Resolver(reference)
    return (
        compare_operations(ours, reference, our_resolver, ref_resolver)
        + compare_schemas(ours, reference, our_resolver, ref_resolver)
        + compare_security(ours, reference)
    )


if __name__ == "__main__":
    for line in compare(load(sys.argv[1]), load(sys.argv[2])):
        print(line)
