"""The HSDS 3.0 tables as the standard defines them (files, columns, required and typed fields)."""

from __future__ import annotations

HSDS_VERSION = "3.0"

#: resource name -> (CSV file, columns in the official order)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", tuple(
        "id name alternate_name description email website tax_status tax_id year_incorporated "
        "legal_status logo uri parent_organization_id".split())),
    "service": ("services.csv", tuple(
        "id organization_id program_id name alternate_name description url email status "
        "interpretation_services application_process fees_description wait_time fees "
        "accreditations eligibility_description minimum_age maximum_age assured_date "
        "assurer_email licenses alert last_modified".split())),
    "location": ("locations.csv", tuple(
        "id location_type url organization_id name alternate_name description transportation "
        "latitude longitude external_identifier external_identifier_type".split())),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "address": ("addresses.csv", tuple(
        "id location_id attention address_1 address_2 city region state_province postal_code "
        "country address_type".split())),
    "phone": ("phones.csv", tuple(
        "id location_id service_id organization_id contact_id service_at_location_id number "
        "extension type description".split())),
    "accessibility": ("accessibility.csv", ("id", "location_id", "description", "details", "url")),
    "schedule": ("schedules.csv", tuple(
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone "
        "until count wkst freq interval byday byweekno bymonthday byyearday description opens_at "
        "closes_at schedule_link attending_type notes".split())),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term": ("taxonomy_terms.csv", tuple(
        "id code name description parent_id taxonomy language taxonomy_id term_uri".split())),
    "attribute": ("attributes.csv", (
        "id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value")),
}  # fmt: skip

REQUIRED: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "description"),
    "service": ("id", "organization_id", "name", "status"),
    "location": ("id", "location_type"),
    "service_at_location": ("id", "service_id", "location_id"),
    "address": ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "phone": ("id", "number"),
    "taxonomy": ("id", "name", "description"),
    "taxonomy_term": ("id", "name", "description"),
    "attribute": ("id", "link_id", "taxonomy_term_id", "link_entity"),
}  # fmt: skip

NUMBERS = {"year_incorporated", "minimum_age", "maximum_age", "latitude", "longitude"}
NUMBERS |= {"extension", "timezone", "count", "interval"}
DATES = {"assured_date", "valid_from", "valid_to", "dtstart", "until"}
TIMES = {"opens_at", "closes_at"}
URIS = {"website", "uri", "url", "term_uri", "schedule_link"}
