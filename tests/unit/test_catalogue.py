import pytest

from analysis.catalogue import CatalogueError, load_catalogue, parse_catalogue
from analysis.tables import TABLES

ENTRY = '''
[[source]]
id = "{id}"
file = "{file}"
publisher = "DfE"
publication = "P"
release = "R"
landing_page = "https://example.invalid"
format = "csv"
years = "2022"
time_identifier = "calendar year"
geographic_levels = ["national"]
licence = "OGL-3.0"
sha256 = "{sha}"
url_confidence = "none"
'''


def test_catalogue_entries_are_complete():
    catalogue = load_catalogue()
    assert len(catalogue) >= 40
    for source in catalogue.values():
        assert source.landing_page.startswith("https://"), source.id
        assert source.licence == "OGL-3.0", source.id
        assert source.mirror_only or source.downloads or source.url_confidence == "none", source.id
        for download in source.downloads:
            assert download.url or (download.ees_publication and download.member), source.id


def test_mid_2014_population_is_mirror_only_and_says_so():
    source = load_catalogue()["population_mid2014"]
    assert source.mirror_only and not source.downloads
    assert "NOT the official file" in source.note


def test_official_routes_come_before_carrier_copies():
    for source in load_catalogue().values():
        flags = [d.official for d in source.downloads]
        assert flags == sorted(flags, reverse=True), source.id


def test_every_table_source_is_catalogued():
    catalogue = load_catalogue()
    for table in TABLES.values():
        for source_id in table.sources:
            assert source_id in catalogue, (table.id, source_id)


def test_duplicates_and_gaps_in_a_catalogue_are_errors():
    one = ENTRY.format(id="a", file="x/a.csv", sha="0" * 64)
    with pytest.raises(CatalogueError, match="duplicate source id"):
        parse_catalogue(one + ENTRY.format(id="a", file="x/b.csv", sha="0" * 64))
    with pytest.raises(CatalogueError, match="duplicate file"):
        parse_catalogue(one + ENTRY.format(id="b", file="x/a.csv", sha="0" * 64))
    with pytest.raises(CatalogueError, match="malformed sha256"):
        parse_catalogue(ENTRY.format(id="a", file="x/a.csv", sha="abc"))
    with pytest.raises(CatalogueError, match="lacks"):
        parse_catalogue(one.replace('licence = "OGL-3.0"\n', ""))
