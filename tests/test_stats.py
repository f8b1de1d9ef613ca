"""`kg stats`: counts and coverage, with known answers on the fixture world."""

import json


def test_stats_counts_and_coverage(kg, facts):
    result = kg("stats", "--facts", facts, "--json")
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["records"] == 25 and stats["sources"] == 3 and stats["per_kind"]["contract"] == 3
    coverage = stats["coverage"]
    assert coverage["per_kind_and_year"]["contract"] == {"2018": 2, "2020": 1}
    assert coverage["per_kind_and_year"]["ban"] == {"2019": 3, "2020": 1}
    # Only the federal contract cites two outlets (Example News and Second Paper).
    assert coverage["two_or_more_independent_sources"] == {"count": 1, "of": 22, "share": 0.045}
    # police-a-beta-2018 cites s2 without a quote.
    assert coverage["every_citation_quoted"] == {"count": 21, "of": 22, "share": 0.955}
    assert coverage["citations_with_quote"]["count"] == 22


def test_stats_as_text(kg, facts):
    text = kg("stats", "--facts", facts).stdout
    assert "fact-bearing records with two or more independent sources: 1 of 22 (4.5%)" in text
    assert "    contract      2018: 2, 2020: 1" in text
