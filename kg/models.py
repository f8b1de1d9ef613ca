"""The record format: one pydantic model per kind of record.

These models are the one source of truth: the loader validates YAML against
them, kg.rdf maps their fields to triples, and kg.schemas generates the JSON
Schemas and the ontology from them. Every field carries a description, which
becomes the ontology's rdfs:comment.
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, get_origin
from urllib.parse import urlsplit

import pycountry
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def parse_date(value: Any) -> str:
    """A date at the precision its source gives: YYYY, YYYY-MM or YYYY-MM-DD."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value):
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return value


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a URL is a string")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname or " " in value:
        raise ValueError(f"{value!r} is not a valid http(s) URL")
    return value


def _currency(value: Any) -> str:
    if not isinstance(value, str) or pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError(f"unknown currency code {value!r}: use ISO 4217, e.g. USD, EUR, GBP")
    return value


def _country(value: Any) -> str:
    if not isinstance(value, str) or pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"unknown country code {value!r}: use ISO 3166-1 alpha-2, e.g. US, GB")
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(parse_date),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer"}]}),
]
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
Currency = Annotated[str, BeforeValidator(_currency), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})]
Country = Annotated[str, BeforeValidator(_country), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
Id = Annotated[str, Field(pattern=ID_PATTERN)]


def ref(*kinds: str, description: str, default: Any = ...) -> Any:
    """A field that names other records by id; `kinds` are the kinds allowed. Required unless given a default."""
    return Field(default, description=description, json_schema_extra={"x-ref": list(kinds)})


def is_list(info: Any) -> bool:
    """Whether a model field holds a list (a date field holding several sourced dates does not count)."""
    return get_origin(info.annotation) is list


def ref_kinds(info: Any) -> list[str] | None:
    """The kinds of record a reference field may name, or None for a field that is not a reference."""
    return (info.json_schema_extra or {}).get("x-ref")


def value_type(info: Any) -> str | None:
    """What a field's values are, beyond their Python type: "date", "duration" or "technology"."""
    return (info.json_schema_extra or {}).get("x-type")


def dated(description: str) -> Any:
    """An optional date field: typed in RDF by its precision (xsd:gYear, xsd:gYearMonth, xsd:date)."""
    return Field(None, description=description, json_schema_extra={"x-type": "date"})


class Technology(str, Enum):
    face_recognition = "face-recognition"
    license_plate_recognition = "license-plate-recognition"
    gunshot_detection = "gunshot-detection"
    predictive_policing = "predictive-policing"
    social_media_monitoring = "social-media-monitoring"
    location_data = "location-data"
    phone_forensics = "phone-forensics"
    spyware = "spyware"
    biometrics = "biometrics"
    data_analytics = "data-analytics"
    video_surveillance = "video-surveillance"
    drones = "drones"
    cell_site_simulator = "cell-site-simulator"
    body_worn_cameras = "body-worn-cameras"
    voice_recognition = "voice-recognition"
    other = "other"


TECHNOLOGY = {"x-type": "technology"}  # marks fields whose values are Technology concepts (IRIs in RDF)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    def __reduce__(self):
        # Pickled (kg.cache, one record at a time) as its field values in field order, with a bit per field
        # set: the field names are not written again for every record, and unpickling is 3x faster than
        # pydantic's own way.
        names = _field_names(type(self))
        fields_set = self.__pydantic_fields_set__
        return _unpickle, (type(self), tuple(self.__dict__[n] for n in names),
                           sum(1 << i for i, n in enumerate(names) if n in fields_set))


@functools.cache
def _field_names(model: type[Strict]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def _unpickle(model: type[Strict], values: tuple, fields_set: int) -> Strict:
    names = _field_names(model)
    record = model.__new__(model)
    object.__setattr__(record, "__dict__", dict(zip(names, values)))
    object.__setattr__(record, "__pydantic_fields_set__", {n for i, n in enumerate(names) if fields_set >> i & 1})
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


class Citation(Strict):
    """A source a record relies on, with the words in it that support the record."""

    source: Id = ref("source", description="The Source record cited.")
    quote: str | None = Field(None, min_length=1, description="A short verbatim quote from the source supporting the facts.")


class AmountKind(str, Enum):
    obligated = "obligated"
    ceiling = "ceiling"
    total_value = "total-value"
    base_value = "base-value"
    fine = "fine"
    settlement = "settlement"
    damages = "damages"
    reported = "reported"  # a figure given without saying which of the above it is


class Amount(Strict):
    """A sum of money, in a currency, and what the figure is."""

    value: Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0})] = Field(
        ge=0, description="The figure, in units of the currency; never negative.")
    currency: Currency = Field(description="ISO 4217 currency code.")
    kind: AmountKind = Field(description="What the figure is: obligated, ceiling, total-value, base-value, fine, settlement, damages, or reported (the source does not say).")
    source: Id | None = ref("source", description="The source stating this figure; required where sources disagree.", default=None)
    note: str | None = Field(None, description="What else the source says about the figure.")


class SourcedDate(Strict):
    """One of several dates that sources give for the same event."""

    value: PartialDate = Field(description="The date as this source gives it.", json_schema_extra={"x-type": "date"})
    source: Id = ref("source", description="The source that gives this date.")


def _date_shape(value: Any) -> str:
    return "several" if isinstance(value, list) else "one"


# A date that sources agree on, or a list of dates that they disagree on, each with its source.
DateField = Annotated[
    Annotated[PartialDate, Tag("one")] | Annotated[list[SourcedDate], Tag("several")],
    Discriminator(_date_shape),
]


class Identifiers(Strict):
    """Identifiers that link a record to other datasets."""

    wikidata: str | None = Field(None, pattern=r"^Q[1-9][0-9]*$", description="Wikidata item id (QID).")
    uei: str | None = Field(None, pattern=r"^[A-Z0-9]{12}$", description="SAM.gov Unique Entity Identifier.")
    lei: str | None = Field(None, pattern=r"^[A-Z0-9]{18}[0-9]{2}$", description="Legal Entity Identifier (ISO 17442).")
    ori: str | None = Field(None, pattern=r"^[A-Z]{2}[A-Z0-9]{7}$", description="FBI Originating Agency Identifier.")
    fips: str | None = Field(None, pattern=r"^[0-9]{2}([0-9]{3}|[0-9]{5})?$", description="FIPS code: state (2 digits), county (5) or place (7).")
    piid: str | None = Field(None, pattern=r"^[A-Z0-9-]+$", description="Federal procurement instrument identifier of a contract or order.")
    parent_piid: str | None = Field(None, pattern=r"^[A-Z0-9-]+$", description="PIID of the parent contract an order was placed under.")
    award_key: str | None = Field(None, pattern=r"^[A-Z0-9_-]+$", description="USAspending unique award key.")
    case_number: str | None = Field(None, min_length=1, description="A court's or regulator's case or docket number.")


class Record(Strict):
    """Fields every record has."""

    id: Id = Field(description="Stable id, lowercase words joined by hyphens; equals the file name. Never reused or changed once released.")
    notes: str | None = Field(None, description="A curator's remarks, for example on how sources differ.")


class Sourced(Record):
    """A record that states facts, and so must cite at least one source."""

    sources: list[Citation] = Field(min_length=1, description="The sources this record relies on, each with a supporting quote.")
    identifiers: Identifiers | None = Field(None, description="Identifiers in other datasets, where a source gives them.")


class Entity(Sourced):
    name: str = Field(min_length=1, description="The name in common use.")
    aliases: list[str] = Field(default_factory=list, description="Other names, former names, abbreviations.")
    description: str | None = Field(None, description="A sentence on what it is.")


class Source(Record):
    """A document facts come from: news story, procurement record, court filing, legislation, press release."""

    class Type(str, Enum):
        news = "news"
        procurement_record = "procurement-record"
        court_filing = "court-filing"
        legislation = "legislation"
        press_release = "press-release"
        government_record = "government-record"
        report = "report"
        dataset = "dataset"
        other = "other"

    url: Url = Field(description="The original publication's URL.")
    via_url: Url | None = Field(None, description="Where the text was read, when that was a copy of the original (a repost or archive).")
    title: str = Field(min_length=1, description="The document's title.")
    publisher: str | None = Field(None, description="The outlet, court, agency or company that published it.")
    authors: list[str] = Field(default_factory=list, description="Authors, as the document names them.")
    published: PartialDate | None = dated("Date of publication.")
    retrieved: PartialDate | None = dated("Date the curator read it.")
    type: Type = Field(description="What kind of document it is.")


class Jurisdiction(Entity):
    """A country, state, county, city or other area with a government."""

    class Level(str, Enum):
        supranational = "supranational"
        country = "country"
        state = "state"
        county = "county"
        city = "city"
        other = "other"

    level: Level = Field(description="What kind of area it is.")
    part_of: Id | None = ref("jurisdiction", description="The jurisdiction this one lies within.", default=None)
    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code of the country it is in, or is.")


class Agency(Entity):
    """A government body: police department, federal agency, regulator, military unit, court."""

    class Level(str, Enum):
        international = "international"
        national = "national"
        state = "state"
        county = "county"
        city = "city"
        other = "other"

    level: Level | None = Field(None, description="The level of government it belongs to.")
    jurisdiction: Id | None = ref("jurisdiction", description="The jurisdiction it serves.", default=None)
    parent: Id | None = ref("agency", description="The agency it is a component of.", default=None)


class Vendor(Entity):
    """A company or other organisation that sells or supplies surveillance technology, or owns one that does."""

    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code of the country it is based in.")
    headquarters: str | None = Field(None, description="City of its headquarters, as a source gives it.")
    founded: PartialDate | None = dated("Date it was founded.")
    website: Url | None = Field(None, description="Its own website.")


class Product(Entity):
    """A named tool or service, such as a face search service."""

    vendor: Id = ref("vendor", description="The vendor that makes or sells it.")
    technologies: list[Technology] = Field(min_length=1, description="The kinds of technology it is.", json_schema_extra=TECHNOLOGY)


class Contract(Sourced):
    """A contract, purchase order or agreement between an agency and a vendor."""

    class Status(str, Enum):
        active = "active"
        ended = "ended"
        cancelled = "cancelled"
        planned = "planned"

    title: str = Field(min_length=1, description="A short title: what is bought, from whom.")
    description: str | None = Field(None, description="What the contract covers, as sources describe it.")
    agency: Id = ref("agency", description="The buying agency.")
    funding_office: Id | None = ref("agency", description="The component of the agency that funds or uses it, where named.", default=None)
    vendor: Id = ref("vendor", description="The vendor the agency contracted with.")
    products: list[Id] = ref("product", description="Products bought.", default=[])
    technologies: list[Technology] = Field(min_length=1, description="The kinds of technology bought.", json_schema_extra=TECHNOLOGY)
    signed: DateField | None = dated("Date signed or awarded.")
    start: DateField | None = dated("Start of the period of performance.")
    end: DateField | None = dated("End of the period of performance.")
    duration: str | None = Field(None, pattern=r"^P([0-9]+Y([0-9]+M)?([0-9]+D)?|[0-9]+M([0-9]+D)?|[0-9]+D)$", description="Term as an ISO 8601 duration (P1Y) where a source gives a term but no dates.", json_schema_extra={"x-type": "duration"})
    amounts: list[Amount] = Field(default_factory=list, description="Sums of money, each with what the figure is.")
    status: Status | None = Field(None, description="Where the contract stands.")


class Deployment(Sourced):
    """An agency's use of a technology or product, with or without a known contract."""

    class Status(str, Enum):
        active = "active"
        pilot = "pilot"
        ended = "ended"

    agency: Id = ref("agency", description="The agency using it.")
    vendor: Id | None = ref("vendor", description="The vendor supplying it, where known.", default=None)
    products: list[Id] = ref("product", description="Products used.", default=[])
    contract: Id | None = ref("contract", description="The contract it is used under, where known.", default=None)
    technologies: list[Technology] = Field(min_length=1, description="The kinds of technology used.", json_schema_extra=TECHNOLOGY)
    description: str | None = Field(None, description="How it is used, as sources describe it.")
    start: DateField | None = dated("When use began.")
    end: DateField | None = dated("When use ended.")
    status: Status | None = Field(None, description="Where the use stands.")


class LegalAction(Sourced):
    """A lawsuit, regulator's fine or order, court ruling or appeal, or an export-control or sanctions listing."""

    class Type(str, Enum):
        lawsuit = "lawsuit"
        class_action = "class-action"
        settlement = "settlement"
        regulator_fine = "regulator-fine"
        regulator_order = "regulator-order"
        ruling = "ruling"
        appeal = "appeal"
        export_control_listing = "export-control-listing"
        sanctions_listing = "sanctions-listing"

    class Status(str, Enum):
        pending = "pending"
        decided = "decided"
        settled = "settled"
        dismissed = "dismissed"
        appealed = "appealed"
        in_force = "in-force"
        withdrawn = "withdrawn"

    title: str = Field(min_length=1, description="A short title, such as the case name.")
    type: Type = Field(description="What kind of action it is.")
    authority: Id | None = ref("agency", description="The regulator, court or government body that acts or decides.", default=None)
    court: str | None = Field(None, description="The court, where it is not an Agency record.")
    plaintiffs: list[Id] = ref("agency", "vendor", "jurisdiction", description="Plaintiffs that are records of the graph.", default=[])
    plaintiff_names: list[str] = Field(default_factory=list, description="Plaintiffs by name: people, groups, classes.")
    defendants: list[Id] = ref("vendor", "agency", "jurisdiction", description="Those sued, fined, ordered or listed.", default=[])
    jurisdiction: Id | None = ref("jurisdiction", description="Where the action is brought.", default=None)
    laws: list[str] = Field(default_factory=list, description="Laws relied on, such as the Illinois Biometric Information Privacy Act.")
    technologies: list[Technology] = Field(default_factory=list, description="The technologies the action concerns.", json_schema_extra=TECHNOLOGY)
    filed: DateField | None = dated("When it was filed, opened or announced.")
    decided: DateField | None = dated("When it was decided, settled or took effect.")
    status: Status | None = Field(None, description="Where it stands.")
    outcome: str | None = Field(None, description="What was decided or agreed, in a sentence.")
    penalties: list[Amount] = Field(default_factory=list, description="Fines, settlements, damages.")
    appeal_of: Id | None = ref("legal-action", description="The action this one appeals.", default=None)


class Ban(Sourced):
    """A ban, moratorium or limit on government or private use of a technology, or the repeal of one."""

    class Action(str, Enum):
        ban = "ban"
        moratorium = "moratorium"
        limit = "limit"
        repeal = "repeal"

    class Scope(str, Enum):
        government = "government"
        police = "police"
        private_sector = "private-sector"
        public_accommodation = "public-accommodation"
        schools = "schools"

    title: str = Field(min_length=1, description="A short title, such as the ordinance's name.")
    action: Action = Field(description="ban, moratorium (ends on a date), limit, or repeal of an earlier one.")
    jurisdiction: Id = ref("jurisdiction", description="Where it applies.")
    scope: list[Scope] = Field(min_length=1, description="Whose use it covers.")
    technologies: list[Technology] = Field(min_length=1, description="The technologies it covers.", json_schema_extra=TECHNOLOGY)
    enacted_by: str | None = Field(None, description="The body that passed it, such as a city council.")
    instrument: str | None = Field(None, description="The ordinance, bill or law number.")
    vote: str | None = Field(None, description="The vote, as sources give it.")
    passed: DateField | None = dated("When it was passed.")
    effective: DateField | None = dated("When it took effect.")
    expires: DateField | None = dated("When a moratorium or ban lapses.")
    repeals: Id | None = ref("ban", description="For a repeal: the ban it repeals.", default=None)
    description: str | None = Field(None, description="What it prohibits and allows.")


class Relationship(Sourced):
    """A corporate tie: acquisition, parent and subsidiary, investment, rename."""

    class Type(str, Enum):
        acquisition = "acquisition"
        subsidiary = "subsidiary"
        investment = "investment"
        rename = "rename"
        merger = "merger"
        partnership = "partnership"

    type: Type = Field(description="What kind of tie it is.")
    subject: Id = ref("vendor", "agency", description="The acquirer, parent or investor; for a rename, the renamed organisation.")
    object: Id | None = ref("vendor", "product", description="The acquired, subsidiary or investee; none for a rename.", default=None)
    former_name: str | None = Field(None, min_length=1, description="For a rename: the name before.")
    new_name: str | None = Field(None, min_length=1, description="For a rename: the name after.")
    date: DateField | None = dated("When it happened or was announced.")
    amounts: list[Amount] = Field(default_factory=list, description="Price paid or sum invested.")
    description: str | None = Field(None, description="The tie in a sentence.")


# The kinds, by the directory name their records live in under kg/facts/.
KINDS: dict[str, type[Record]] = {
    "agency": Agency,
    "vendor": Vendor,
    "product": Product,
    "jurisdiction": Jurisdiction,
    "contract": Contract,
    "deployment": Deployment,
    "legal-action": LegalAction,
    "ban": Ban,
    "relationship": Relationship,
    "source": Source,
}
