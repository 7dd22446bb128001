from __future__ import annotations

import re
from collections.abc import Iterator

from tracking_plan.core.model import Property
from tracking_plan.core.naming import identifier_key
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Option, Rule

# Matched against the name's words joined by '_' (`firstName` → `first_name`).
PERSONAL_NAMES = re.compile(
    r"(^|_)(e_?mail|email_address|phone|phone_number|mobile_number|mobile_phone|telephone|msisdn"
    r"|first_?name|last_?name|full_?name|sur_?name|given_?name|family_?name|maiden_name"
    r"|address|street|street_address|address_line_?\d?|postcode|post_code|postal_code|zip|zip_code"
    r"|ip|ip_address|ipv4|ipv6|user_agent"
    r"|device_id|advertising_id|idfa|idfv|gaid|aaid|adid|android_id|imei|mac_address"
    r"|birth_?date|date_of_birth|birthday|dob|age"
    r"|ssn|social_security_number|national_id|passport|passport_number|tax_id|iban|card_number|credit_card"
    r"|latitude|longitude|lat|lng|geolocation)($|_)")
PERSONAL_FORMATS = frozenset({"email", "idn-email", "ipv4", "ipv6"})
_NOT_PERSONAL_SUFFIXES = ("_method", "_type", "_count", "_opt_in", "_verified", "_domain", "_status", "_provider",
                          "_model", "_brand", "_os", "_version")


def looks_personal(name: str, fmt: str | None) -> str | None:
    """Why a property looks like personal data, or None."""
    if fmt in PERSONAL_FORMATS:
        return f"its format is {fmt}"
    key = identifier_key(name)
    if key.endswith(_NOT_PERSONAL_SUFFIXES):
        return None
    match = PERSONAL_NAMES.search(key)
    return f"its name contains '{match.group(2)}'" if match else None


# Numbers that are personal data as such: phone numbers, postal codes, national, card and bank numbers,
# device ids and precise coordinates. Other numbers (an age, a count, a price) are not flagged.
NUMERIC_PERSONAL = re.compile(
    r"(^|_)(phone|phone_number|mobile_number|mobile_phone|telephone|msisdn|postcode|post_code|postal_code|zip"
    r"|zip_code|ssn|social_security_number|national_id|tax_id|iban|card_number|credit_card|imei"
    r"|latitude|longitude|lat|lng)($|_)")


def can_carry_personal_data(prop: Property) -> bool:
    """Text (or any value) can; true/false never can; a number only for the names in NUMERIC_PERSONAL."""
    kinds = set(prop.value_types)
    if not kinds:
        return True
    if kinds & {"string"}:
        return True
    if kinds & {"number", "integer"}:
        return NUMERIC_PERSONAL.search(identifier_key(prop.name)) is not None
    return False


def check(ctx: RuleContext) -> Iterator[Finding]:
    ignored = set(ctx.options["ignore"])
    for use in defined_properties(ctx):
        prop = use.prop
        if prop.pii or prop.name in ignored or "object" in prop.type or "array" in prop.type \
                or not can_carry_personal_data(prop) or ctx.index.is_data_key(use):
            continue
        reason = looks_personal(prop.name, prop.constraints.format)
        if reason:
            yield Finding(f"Property '{use.path}' looks like personal data ({reason}) but is not marked pii: true.",
                          prop.location, "Add 'pii: true' (then only pii_destinations may receive it), or add the "
                          "name to this rule's 'ignore' option if it is not personal.", use.event, prop)


RULE = Rule(
    id="pii-not-marked",
    summary="Properties that look like personal data are marked pii: true.",
    explanation="Names and formats that usually carry personal data — e-mail, phone, first/last name, postal "
                "address, IP address, device and advertising ids, birth date, national ids, bank and card "
                "numbers, precise location — must be marked `pii: true`, so that the pii-destination rule can "
                "keep them out of tools not allowed to hold personal data (GDPR, CCPA). Names that only describe "
                "such data (`signup_method`, `email_verified`) are not flagged, nor are values that cannot carry it: "
                "true/false, and numbers other than phone, postal, national, card and device numbers and "
                "coordinates. The keys of a dictionary-like object (`additional_properties: {type: ...}`) are "
                "data, not names, and are not read. List false positives in the `ignore` option.",
    bad="properties:\n  email: {type: string}\n",
    good="properties:\n  email: {type: string, format: email, pii: true}\n",
    scope="property",
    options={"ignore": Option([], "Property names never to flag.")},
    check=check,
)
