"""USAspending contract award downloads (CSV, one row per award or per transaction) -> Contract records.

Each award becomes a Contract with its award key, PIID and parent PIID, its amounts by kind, its period of
performance, and a Source for its USAspending page, quoted by its description. The awarding agency must be
recorded already (matched by name or alias: federal agencies are curated by hand); the recipient is matched
by UEI, then by name or alias, and becomes a new Vendor when nothing matches. USAspending does not say which
technology an award buys: the curator names it for the file.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.checks import bounds
from kg.ingest import csvfile, names
from kg.ingest.batch import Batch, Rejected, Row
from kg.records import _shown

COLUMNS = ["contract_award_unique_key", "award_id_piid", "parent_award_id_piid", "awarding_agency_name",
           "awarding_sub_agency_name", "recipient_name", "recipient_uei", "recipient_parent_name",
           "total_dollars_obligated", "potential_total_value_of_award", "period_of_performance_start_date",
           "period_of_performance_current_end_date", "naics_code", "product_or_service_code",
           "transaction_description", "usaspending_permalink"]
AMOUNTS = {"total_dollars_obligated": "obligated", "potential_total_value_of_award": "ceiling"}
INPUTS = {"identifiers.award_key": "contract_award_unique_key", "identifiers.piid": "award_id_piid",
          "identifiers.parent_piid": "parent_award_id_piid", "start": "period_of_performance_start_date",
          "end": "period_of_performance_current_end_date", "technologies": "--technology"}


def ingest(batch: Batch, path: Path, technologies: list[str]) -> None:
    """Add a Contract (and Source, and Vendor where new) for every award in the file."""
    shown = _shown(path)
    for line, row in csvfile.rows(path, shown, COLUMNS, exact=False):
        with batch.row(f"{shown}:{line}") as out:
            if isinstance(row, Rejected):
                raise row
            _award(batch, out, row, technologies)


def _award(batch: Batch, out: Row, row: dict[str, str], technologies: list[str]) -> None:
    key, piid = row["contract_award_unique_key"], row["award_id_piid"]
    for column in ("contract_award_unique_key", "award_id_piid", "recipient_name", "usaspending_permalink"):
        if not row[column]:
            raise Rejected(column, "required, and empty")
    found = batch.identified("contract", "award_key", key) or batch.identified("contract", "piid", piid)
    if found:
        out.exists("contract", found, "same award key or PIID")
        return
    agency = _agency(batch, row)
    amounts = [{"value": value, "currency": "USD", "kind": kind}
               for column, kind in AMOUNTS.items() if (value := _amount(row, column)) is not None]
    start, end = _date(row, "period_of_performance_start_date"), _date(row, "period_of_performance_current_end_date")
    if start and end and bounds(end)[1] < bounds(start)[0]:
        raise Rejected("period_of_performance_current_end_date", f"{end} is before the start, {start}")
    description = row["transaction_description"] or None
    source, _ = out.source([f"usaspending-{names.slug(piid)}"], {
        "url": row["usaspending_permalink"], "title": f"Contract award {piid} to {row['recipient_name']}",
        "publisher": "USAspending.gov", "type": "procurement-record"}, {"url": "usaspending_permalink"})
    citation = {"source": source, "quote": description}
    vendor = _vendor(batch, out, row, citation)
    notes = "; ".join(f"{label} {row[column]}" for column, label in [
        ("naics_code", "NAICS code"), ("product_or_service_code", "product or service code"),
        ("recipient_parent_name", "recipient's parent:")] if row[column] and row[column] != row["recipient_name"])
    out.add("contract", [f"{agency}-{vendor}-{names.slug(piid)}"], {
        "title": f"Award {piid} to {row['recipient_name']}", "description": description, "agency": agency,
        "vendor": vendor, "technologies": technologies, "start": start, "end": end, "amounts": amounts,
        "identifiers": {"award_key": key, "piid": piid, "parent_piid": row["parent_award_id_piid"] or None},
        "sources": [citation], "notes": f"USAspending: {notes}" if notes else None}, INPUTS)


def _agency(batch: Batch, row: dict[str, str]) -> str:
    """The awarding sub-agency (or, when none is given, agency): it must be recorded."""
    column = "awarding_sub_agency_name" if row["awarding_sub_agency_name"] else "awarding_agency_name"
    name = row[column]
    if not name:
        raise Rejected(column, "required, and empty")
    found = batch.named("agency", name)
    if len(found) > 1:
        raise Rejected(column, f"{name!r} is the name of several agencies: {', '.join(found)}")
    if not found:
        raise Rejected(column, f"no agency is named {name!r} ({batch.suggest('agency', name)}); "
                               "add the name as an alias of the agency it is, or record the agency")
    return found[0]


def _vendor(batch: Batch, out: Row, row: dict[str, str], citation: dict) -> str:
    """The recipient: the vendor with its UEI, else the one with its name, else a new vendor."""
    uei, name = row["recipient_uei"], row["recipient_name"]
    found = batch.identified("vendor", "uei", uei)
    if found:
        return found
    named = batch.named("vendor", name)
    if len(named) > 1:
        raise Rejected("recipient_name", f"{name!r} is the name of several vendors: {', '.join(named)}")
    if named:
        recorded = batch.get(named[0]).get("identifiers", {}).get("uei")
        if uei and recorded and recorded != uei:
            raise Rejected("recipient_uei", f"{uei} is not the UEI of {named[0]} ({recorded}), the vendor named {name!r}")
        return named[0]
    hint = batch.suggest("vendor", name)
    rid = out.add("vendor", [names.slug(names.key(name))], {
        "name": name, "identifiers": {"uei": uei or None}, "sources": [citation]}, {"identifiers.uei": "recipient_uei", "name": "recipient_name"})
    out.note(f"vendor {rid} is new: no vendor has UEI {uei or '(none given)'} or the name {name!r} ({hint})")
    return rid


def _amount(row: dict[str, str], column: str) -> int | float | None:
    """A sum in dollars; blank is unknown (None), never zero."""
    text = row.get(column, "").replace(",", "").removeprefix("$")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Rejected(column, f"{row[column]!r} is not an amount") from None
    if not value.is_finite():
        raise Rejected(column, f"{row[column]!r} is not an amount")
    if value < 0:
        raise Rejected(column, f"{row[column]} is negative: a de-obligation, which a contract's amounts cannot hold")
    return int(value) if value == value.to_integral_value() else float(value)


def _date(row: dict[str, str], column: str) -> str | None:
    text = row[column]
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?", text):
        raise Rejected(column, f"{text!r} is not a date (YYYY-MM-DD)")
    return text[:10]
