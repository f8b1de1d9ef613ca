"""FollowTheMoney entities, one JSON object per line, for Aleph and OpenSanctions tooling.

Agencies are PublicBody, vendors Company; a contract is a Contract (the agency's)
with a ContractAward to the vendor; lawsuits are CourtCase with CourtCaseParty
links; regulators' fines and orders and export-control or sanctions listings are
Sanction; acquisitions, subsidiaries and investments are Ownership; deployments
with a known vendor are UnknownLink. FtM has no schema for jurisdictions,
bans, products or sources: those stay in the RDF exports (sources appear as sourceUrl).
"""

from __future__ import annotations

import json

from kg.models import Agency, Contract, Deployment, LegalAction, Relationship, Vendor
from kg.records import Loaded

COURT_TYPES = {"lawsuit", "class-action", "settlement", "ruling", "appeal"}
OWNERSHIP_TYPES = {"acquisition", "subsidiary", "investment"}


def _id(rid: str, *parts: str) -> str:
    return "-".join(["skg", rid, *parts])


def _dates(value) -> list[str]:
    if value is None:
        return []
    return [v.value for v in value] if isinstance(value, list) else [value]


def _entity(eid: str, schema: str, **properties) -> dict:
    props = {}
    for name, values in properties.items():
        values = values if isinstance(values, list) else [values]
        values = sorted({str(v) for v in values if v not in (None, "")})
        if values:
            props[name] = values
    return {"id": eid, "schema": schema, "properties": props}


def entities(records: list[Loaded]) -> list[dict]:
    by_id = {r.record.id: r for r in records}
    urls = {r.record.id: r.record.url for r in records if r.kind == "source"}
    out: list[dict] = []
    for r in sorted(records, key=lambda r: r.record.id):
        rec = r.record
        source_url = [urls[c.source] for c in getattr(rec, "sources", [])]
        if isinstance(rec, Agency):
            out.append(_entity(_id(rec.id), "PublicBody", name=rec.name, alias=rec.aliases, description=rec.description,
                               wikidataId=_ident(rec, "wikidata"), sourceUrl=source_url))
        elif isinstance(rec, Vendor):
            out.append(_entity(_id(rec.id), "Company", name=rec.name, alias=rec.aliases, description=rec.description,
                               country=(rec.country or "").lower(), address=rec.headquarters, website=rec.website,
                               incorporationDate=rec.founded, wikidataId=_ident(rec, "wikidata"),
                               leiCode=_ident(rec, "lei"), uniqueEntityId=_ident(rec, "uei"), sourceUrl=source_url))
        elif isinstance(rec, Contract):
            amounts = rec.amounts
            out.append(_entity(_id(rec.id), "Contract", name=rec.title, title=rec.title, description=rec.description,
                               authority=_id(rec.agency), amount=[a.value for a in amounts],
                               currency=[a.currency for a in amounts], contractDate=_dates(rec.signed),
                               procedureNumber=_ident(rec, "piid"), status=rec.status, sourceUrl=source_url))
            out.append(_entity(_id(rec.id, "award"), "ContractAward", contract=_id(rec.id), supplier=_id(rec.vendor),
                               amount=[a.value for a in amounts], currency=[a.currency for a in amounts],
                               date=_dates(rec.signed), startDate=_dates(rec.start), endDate=_dates(rec.end),
                               recordId=_ident(rec, "award_key"), sourceUrl=source_url))
        elif isinstance(rec, LegalAction):
            out += _legal_action(rec, by_id, source_url)
        elif isinstance(rec, Relationship) and rec.type in OWNERSHIP_TYPES and by_id[rec.object].kind == "vendor":
            out.append(_entity(_id(rec.id), "Ownership", owner=_id(rec.subject), asset=_id(rec.object),
                               startDate=_dates(rec.date), role=rec.type, summary=rec.description, sourceUrl=source_url))
        elif isinstance(rec, Deployment) and rec.vendor:
            out.append(_entity(_id(rec.id), "UnknownLink", subject=_id(rec.agency), object=_id(rec.vendor),
                               role=f"uses {', '.join(rec.technologies)}", startDate=_dates(rec.start),
                               endDate=_dates(rec.end), summary=rec.description, sourceUrl=source_url))
    return out


def _ident(rec, name: str):
    identifiers = getattr(rec, "identifiers", None)
    return getattr(identifiers, name, None) if identifiers else None


def _legal_action(rec: LegalAction, by_id: dict, source_url: list[str]) -> list[dict]:
    exported = [d for d in rec.defendants if by_id[d].kind in ("vendor", "agency")]
    if rec.type in COURT_TYPES:
        out = [_entity(_id(rec.id), "CourtCase", name=rec.title, caseNumber=_ident(rec, "case_number"), court=rec.court,
                       fileDate=_dates(rec.filed), closeDate=_dates(rec.decided), status=rec.status,
                       summary=rec.outcome, sourceUrl=source_url)]
        parties = [("defendant", d) for d in exported] + [
            ("plaintiff", p) for p in rec.plaintiffs if by_id[p].kind in ("vendor", "agency")]
        out += [_entity(_id(rec.id, role, party), "CourtCaseParty", case=_id(rec.id), party=_id(party), role=role)
                for role, party in parties]
        return out
    authority = by_id[rec.authority].record.name if rec.authority else None
    penalties = "; ".join(f"{p.kind} {p.value} {p.currency}" for p in rec.penalties)
    return [_entity(_id(rec.id, d), "Sanction", entity=_id(d), authority=authority, reason=rec.outcome or rec.title,
                    provisions=penalties, startDate=_dates(rec.decided),
                    listingDate=_dates(rec.decided) if "listing" in rec.type else [],
                    program=rec.type, sourceUrl=source_url)
            for d in exported]


def lines(records: list[Loaded]) -> bytes:
    return "".join(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n" for e in entities(records)).encode()
