"""Shared test helpers."""

from pathlib import Path

from analysis.sources.catalogue import Source
from analysis.tables.readers import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"


def source_file(path, vintage: str = "2025", dataset: str = "test") -> SourceFile:
    """A reader's input: ``path`` with a minimal catalogue entry of the given vintage."""
    source = Source(id=f"{dataset}_{vintage}", dataset=dataset, vintage=vintage, citation="Test",
                    file=Path(path).name, publisher="Test", publication="Test", release=vintage,
                    landing_page="https://example.invalid", format="csv", years="", time_identifier="",
                    geographic_levels=(), licence="OGL-3.0", sha256="0" * 64, url_confidence="none")
    return SourceFile(Path(path), source)
