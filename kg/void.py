"""void.ttl: a VoID and DCAT description of the release: what it is, its licence, version, counts, files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple, serialize

from kg import __version__
from kg.rdf import KG, PREFIXES, XSD

DATASET = NamedNode("https://w3id.org/surveillance-kg/dataset")
DOWNLOADS = "https://w3id.org/surveillance-kg/exports/"
TITLE = "Surveillance-tech knowledge graph"
DESCRIPTION = ("Sourced facts on who sells surveillance technology to whom: government agencies, vendors, products, "
               "contracts, deployments, legal actions, bans and corporate ties, each record citing its sources.")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"


def describe(store: Store, files: dict[str, tuple[str, Path]], base: str, issued: str) -> bytes:
    """`files`: name -> (media type, where it is written) of every other file in the release, graph.nt among them."""
    t = []

    def add(s, p, o):
        t.append(Triple(s, NamedNode(p), o))

    def lit(value, datatype=None):
        return Literal(str(value), datatype=NamedNode(XSD + datatype)) if datatype else Literal(str(value))

    add(DATASET, PREFIXES["rdf"] + "type", NamedNode(VOID + "Dataset"))
    add(DATASET, PREFIXES["rdf"] + "type", NamedNode(DCAT + "Dataset"))
    add(DATASET, DCT + "title", Literal(TITLE, language="en"))
    add(DATASET, DCT + "description", Literal(DESCRIPTION, language="en"))
    add(DATASET, DCT + "license", NamedNode(LICENSE))
    add(DATASET, DCAT + "version", lit(__version__))
    add(DATASET, DCT + "issued", lit(issued, "date"))
    add(DATASET, VOID + "uriSpace", lit(base))
    for vocabulary in (KG, PREFIXES["schema"], PREFIXES["prov"]):
        add(DATASET, VOID + "vocabulary", NamedNode(vocabulary))
    triples, subjects = _counts(files["graph.nt"][1])
    add(DATASET, VOID + "triples", lit(triples, "integer"))
    add(DATASET, VOID + "distinctSubjects", lit(subjects, "integer"))
    counts = store.query("SELECT ?class (COUNT(?r) AS ?n) WHERE { GRAPH ?r { ?r a ?class } } GROUP BY ?class")
    for row in counts:
        partition = NamedNode(f"{DATASET.value}#class-{row['class'].value.removeprefix(KG)}")
        add(DATASET, VOID + "classPartition", partition)
        add(partition, VOID + "class", row["class"])
        add(partition, VOID + "entities", lit(row["n"].value, "integer"))
    for name, (media_type, path) in sorted(files.items()):
        dist = NamedNode(DOWNLOADS + name)
        add(DATASET, DCAT + "distribution", dist)
        if name.startswith("graph."):
            add(DATASET, VOID + "dataDump", dist)
        add(dist, PREFIXES["rdf"] + "type", NamedNode(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", dist)
        add(dist, DCAT + "mediaType", NamedNode("https://www.iana.org/assignments/media-types/" + media_type))
        add(dist, DCAT + "byteSize", lit(path.stat().st_size, "nonNegativeInteger"))
        checksum = NamedNode(f"{dist.value}#sha256")
        add(dist, SPDX + "checksum", checksum)
        add(checksum, PREFIXES["rdf"] + "type", NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", lit(_sha256(path), "hexBinary"))
    t.sort(key=lambda x: (str(x.subject), str(x.predicate), str(x.object)))
    prefixes = {"void": VOID, "dcterms": DCT, "dcat": DCAT, "spdx": SPDX, "xsd": XSD, "kg": KG}
    return serialize(t, format=RdfFormat.TURTLE, prefixes=prefixes)


def _counts(ntriples: Path) -> tuple[int, int]:
    """Triples and distinct subjects in graph.nt: a distinct triple a line, its subject (an IRI) before the first space."""
    subjects = set()
    lines = 0
    with open(ntriples, "rb") as file:
        for line in file:
            subjects.add(line[:line.index(b" ")])
            lines += 1
    return lines, len(subjects)


def _sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
