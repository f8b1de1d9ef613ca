"""Importers: records written from what a machine can read (news items, USAspending awards, Atlas of Surveillance rows).

Each importer reads its input into a Batch (kg.ingest.batch), which matches what it reads against the
records already in the facts directory, checks the new records with the same checks as `kg validate`,
and writes them (or, on a dry run, shows them) with a report of every row it rejected and why.
"""
