"""The surveillance-tech knowledge graph: sourced facts on who sells surveillance technology to whom."""

__version__ = "0.1.0"
