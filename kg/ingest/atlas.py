"""Atlas of Surveillance CSV -> Deployment records, with the Agency, Jurisdiction and Vendor records they need.

Each row says that an agency uses a technology, from a vendor when one is named. The row's entry in the
Atlas is the Source its records cite, quoted by the row's Summary; the documents it links (Link 1 to 3,
Other Links) become Sources too, cited without a quote until a curator reads them. Agencies are matched by
ORI (the first nine characters of NEWAOSNUMBER (ORI9)), then by name or alias within the row's state;
jurisdictions by name within the state; vendors by name or alias. What matches nothing is created.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pycountry

from kg.ingest import csvfile, names
from kg.ingest.batch import Batch, Rejected, Row
from kg.ingest.urls import unwrap
from kg.records import _shown

LINKS = [f"Link {i}" for i in (1, 2, 3)]
COLUMNS = ["AOSNUMBER", "NEWAOSNUMBER (ORI9)", "City", "County", "State", "Agency", "Type of LEA", "Summary",
           "Type of Juris", "Technology", "TECH ABV", "Vendor",
           *(f"{link}{part}" for link in LINKS for part in ("", " Snapshot", " Source", " Type", " Date")), "Other Links"]
ENTRY_URL = "https://kiosk.atlasofsurveillance.org/a/{}"  # an entry's page, as the curated Atlas sources give it
TECHNOLOGIES = {  # the Atlas's technologies, as ours; several of its kinds are wider than any of ours
    "Automated License Plate Readers": "license-plate-recognition",
    "Body-worn Cameras": "body-worn-cameras",
    "Camera Registry": "video-surveillance",
    "Cell-site Simulator": "cell-site-simulator",
    "Drones": "drones",
    "Face Recognition": "face-recognition",
    "Fusion Center": "other",
    "Gunshot Detection": "gunshot-detection",
    "Predictive Policing": "predictive-policing",
    "Real-Time Crime Center": "other",
    "Social Media Monitoring": "social-media-monitoring",
    "Third-party Investigative Platforms": "data-analytics",
    "Video Analytics": "video-surveillance",
}
LEVELS = {"Municipal": "city", "County": "county", "Parish": "county", "Statewide": "state", "State": "state",
          "Federal": "national"}  # Type of Juris -> Agency.level; any other type is "other"
SOURCE_TYPES = [("press", "press-release"), ("news", "news"), ("court", "court-filing"), ("procure", "procurement-record"),
                ("contract", "procurement-record"), ("report", "report"), ("data", "dataset"), ("gov", "government-record"),
                ("record", "government-record"), ("minutes", "government-record"), ("agenda", "government-record")]
ORI = re.compile(r"[A-Z]{2}[A-Z0-9]{7}")
SEVERAL = re.compile(r",(?!\s*(inc|llc|ltd|corp|co)\b\.?\s*$)|;|/|\band\b|&", re.IGNORECASE)  # "Autel, DJI"; not ", Inc."


def ingest(batch: Batch, path: Path) -> None:
    """Add the records each row of an Atlas of Surveillance CSV describes; a changed header is an error."""
    shown = _shown(path)
    for line, row in csvfile.rows(path, shown, COLUMNS, exact=True):
        with batch.row(f"{shown}:{line}") as out:
            if isinstance(row, Rejected):
                raise row
            _entry(batch, out, row)


def _entry(batch: Batch, out: Row, row: dict[str, str]) -> None:
    for column in ("AOSNUMBER", "Agency", "State", "Technology"):
        if not row[column]:
            raise Rejected(column, "required, and empty")
    aos, name = row["AOSNUMBER"], row["Agency"]
    technology = TECHNOLOGIES.get(row["Technology"])
    if not technology:
        raise Rejected("Technology", f"{row['Technology']!r} is none of the Atlas's: {', '.join(TECHNOLOGIES)}")
    state = pycountry.subdivisions.get(code=f"US-{row['State'].upper()}")
    if state is None:
        raise Rejected("State", f"{row['State']!r} is not the code of a US state or territory")
    ori = row["NEWAOSNUMBER (ORI9)"][:9]
    ori = ori if ORI.fullmatch(ori) else None
    federal = LEVELS.get(row["Type of Juris"]) == "national"
    links = _links(row)

    agency = _agency(batch, name, ori, _state(batch, state.name), federal)
    vendor = _vendor(batch, row["Vendor"])
    if agency and (vendor or not row["Vendor"]):
        for rid in batch.referring("deployment", "agency", agency):
            if technology in batch.get(rid)["technologies"] and batch.get(rid).get("vendor") == vendor:
                out.exists("deployment", rid, "same agency, technology and vendor")
                return

    entry, _ = out.source([f"atlasofsurveillance-{names.slug(aos)}"], {
        "url": ENTRY_URL.format(aos), "title": f"{name}: {row['Technology']}", "publisher": "Atlas of Surveillance",
        "type": "dataset"})
    citation = {"source": entry, "quote": row["Summary"]}
    if not agency:
        jurisdiction = _jurisdiction(batch, out, row, state.name, citation)
        level = LEVELS.get(row["Type of Juris"], "other" if row["Type of Juris"] else None)
        agency = out.add("agency", [names.slug(name, 80), names.slug(f"{name} {state.name}", 80)], {
            "name": name, "level": level, "jurisdiction": jurisdiction, "identifiers": {"ori": ori},
            "sources": [citation], "notes": _kinds(row)})
        out.note(f"agency {agency} is new: no agency has ORI {ori or '(none given)'} or the name {name!r} in "
                 f"{state.name} ({batch.suggest('agency', name)})")
    if row["Vendor"] and not vendor:
        vendor = out.add("vendor", [names.slug(names.key(row["Vendor"]))], {"name": row["Vendor"], "sources": [citation]})
        out.note(f"vendor {vendor} is new: no vendor has the name {row['Vendor']!r} ({batch.suggest('vendor', row['Vendor'])})")
    cited = {entry: citation}  # a link that is the entry, or another link, again is cited once
    for column, fields in links:
        rid, _ = out.source([f"{names.outlet(fields['url'])}-{_words(fields['url'])}"], fields,
                            {"url": column, "published": f"{column} Date"})
        cited.setdefault(rid, {"source": rid})
    out.add("deployment", ["-".join(filter(None, [agency, technology, vendor]))], {
        "agency": agency, "vendor": vendor, "technologies": [technology], "description": row["Summary"],
        "sources": list(cited.values()),
        "notes": f"Atlas of Surveillance {aos}: {row['Technology']}"})


def _state(batch: Batch, name: str) -> str | None:
    found = [j for j in batch.named("jurisdiction", name)
             if batch.get(j)["level"] == "state" and batch.get(j).get("country") in (None, "US")]
    return found[0] if len(found) == 1 else None


def _agency(batch: Batch, name: str, ori: str | None, state: str | None, federal: bool) -> str | None:
    """The recorded agency: by ORI; else by name, in the state (unless federal) or with no jurisdiction recorded."""
    found = batch.identified("agency", "ori", ori)
    if found:
        return found
    named = batch.named("agency", name)
    if not federal:
        named = ([a for a in named if state and batch.within(batch.get(a).get("jurisdiction"), state)]
                 or [a for a in named if not batch.get(a).get("jurisdiction")])
    if len(named) > 1:
        raise Rejected("Agency", f"{name!r} is the name of several agencies here: {', '.join(named)}")
    return named[0] if named else None


def _vendor(batch: Batch, name: str) -> str | None:
    if not name:
        return None
    found = batch.named("vendor", name)
    if len(found) > 1:
        raise Rejected("Vendor", f"{name!r} is the name of several vendors: {', '.join(found)}")
    if not found and SEVERAL.search(name):
        raise Rejected("Vendor", f"{name!r} matches no vendor and seems to name several; a deployment has one vendor: "
                                 "split the row, or add the name as an alias of the vendor it is")
    return found[0] if found else None


def _jurisdiction(batch: Batch, out: Row, row: dict[str, str], state_name: str, citation: dict) -> str | None:
    """The jurisdiction a new agency serves, by its Type of Juris: its city, county or state, or the country
    for a federal agency; recorded ones are used, missing ones created."""
    level = LEVELS.get(row["Type of Juris"])
    countries = [j for j in batch.named("jurisdiction", "United States") if batch.get(j)["level"] == "country"]
    country = countries[0] if len(countries) == 1 else None
    if level == "national":
        return country
    state = _state(batch, state_name) or out.add("jurisdiction", [names.slug(state_name), names.slug(f"{state_name} state")], {
        "name": state_name, "level": "state", "part_of": country, "country": "US", "sources": [citation]})
    for column, wanted in (("City", "city"), ("County", "county")):
        place = row[column]
        if level == wanted and place:
            found = [j for j in batch.named("jurisdiction", place)
                     if batch.get(j)["level"] == wanted and batch.within(j, state)]
            if len(found) > 1:
                raise Rejected(column, f"{place!r} is the name of several {wanted} jurisdictions: {', '.join(found)}")
            return found[0] if found else out.add("jurisdiction", [names.slug(f"{place} {state_name}", 80)], {
                "name": place, "level": wanted, "part_of": state, "country": "US", "sources": [citation]})
    return state


def _links(row: dict[str, str]) -> list[tuple[str, dict]]:
    """(column, Source fields) for each document the row links."""
    out = []
    for link in LINKS:
        url = row[link]
        if not url:
            continue
        original = unwrap(url)
        notes = [f"Title not known: the Atlas of Surveillance ({row['AOSNUMBER']}) gives the link, its source and date."]
        if row[f"{link} Snapshot"]:
            notes.append(f"Archived copy: {row[f'{link} Snapshot']}")
        kind = row[f"{link} Type"].lower()
        publisher = row[f"{link} Source"]
        out.append((link, {
            "url": original, "via_url": url if original != url else None,
            "title": f"{publisher or urlsplit(original).hostname}: document linked by the Atlas of Surveillance",
            "publisher": publisher, "published": _date(row[f"{link} Date"], f"{link} Date"),
            "type": next((t for word, t in SOURCE_TYPES if word in kind), "other"), "notes": " ".join(notes)}))
    for url in re.findall(r"https?://[^\s,;|]+", row["Other Links"]):
        out.append(("Other Links", {"url": url, "title": f"{urlsplit(url).hostname}: document linked by the Atlas of "
                                    "Surveillance", "type": "other"}))
    return out


def _date(text: str, column: str) -> str | None:
    """M/D/YYYY (as the Atlas writes dates), YYYY-MM-DD or YYYY -> YYYY[-MM-DD]."""
    if not text:
        return None
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return f"{m[3]}-{int(m[1]):02}-{int(m[2]):02}"
    if re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", text):
        return text
    raise Rejected(column, f"{text!r} is not a date (M/D/YYYY)")


def _words(url: str) -> str:
    """Words from a URL's path, for an id."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return names.slug(re.sub(r"\.\w+$", "", segments[-1]) if segments else "", 40) or "link"


def _kinds(row: dict[str, str]) -> str | None:
    kinds = [f"{label}: {row[column]}" for column, label in (("Type of LEA", "type of agency"),
                                                              ("Type of Juris", "type of jurisdiction")) if row[column]]
    return f"Atlas of Surveillance {'; '.join(kinds)}" if kinds else None
