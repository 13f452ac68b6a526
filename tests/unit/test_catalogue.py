import pytest

from analysis.sources.catalogue import CatalogueError, cite, load_catalogue, parse_catalogue
from analysis.tables.definitions import TABLES

ENTRY = '''
[[source]]
id = "{id}"
dataset = "{dataset}"
vintage = "{vintage}"
citation = "DfE, P, {{releases}}"
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


def test_every_table_input_resolves_to_catalogued_files():
    catalogue = load_catalogue()
    for table in TABLES.values():
        assert table.source_list(catalogue), table.id


def _entry(id, file, sha="0" * 64, dataset="d", vintage="2022"):
    return ENTRY.format(id=id, file=file, sha=sha, dataset=dataset, vintage=vintage)


def test_duplicates_and_gaps_in_a_catalogue_are_errors():
    one = _entry("a", "x/a.csv")
    with pytest.raises(CatalogueError, match="duplicate source id"):
        parse_catalogue(one + _entry("a", "x/b.csv", vintage="2023"))
    with pytest.raises(CatalogueError, match="duplicate file"):
        parse_catalogue(one + _entry("b", "x/a.csv", vintage="2023"))
    with pytest.raises(CatalogueError, match="repeats vintage '2022' of dataset 'd'"):
        parse_catalogue(one + _entry("b", "x/b.csv"))
    with pytest.raises(CatalogueError, match="malformed sha256"):
        parse_catalogue(_entry("a", "x/a.csv", sha="abc"))
    with pytest.raises(CatalogueError, match="lacks"):
        parse_catalogue(one.replace('licence = "OGL-3.0"\n', ""))


def test_tables_ask_for_a_dataset_and_get_its_latest_or_every_vintage():
    catalogue = parse_catalogue(_entry("a25", "x/a25.csv", vintage="2025") + _entry("a22", "x/a22.csv")
                                + _entry("b", "x/b.csv", dataset="other"))
    assert catalogue.latest("d").id == "a25"
    assert [s.id for s in catalogue.of("d")] == ["a22", "a25"]
    with pytest.raises(CatalogueError, match="no source file of dataset 'missing'"):
        catalogue.of("missing")


def test_a_source_line_names_each_publication_once_with_its_releases():
    catalogue = parse_catalogue(_entry("a25", "x/a25.csv", vintage="2025") + _entry("a22", "x/a22.csv")
                                + _entry("b", "x/b.csv", dataset="other", vintage="2019"))
    assert cite([catalogue["a22"]]) == "DfE, P, 2022 release"
    assert cite([catalogue["a22"], catalogue["a25"]]) == "DfE, P, 2022 and 2025 releases"
    assert cite(catalogue.values()) == "DfE, P, 2019, 2022 and 2025 releases"


def test_the_baseline_source_lines_come_from_the_catalogue():
    catalogue = load_catalogue()
    sen2 = [catalogue["ehcp_r22_age_caseload"], catalogue["ehcp_r25_caseload"]]
    assert cite(sen2) == "DfE, Education, health and care plans (SEN2), 2022 and 2025 releases"
    assert cite([catalogue["ehcp_r25_tribunals_appeal_rate"]]) == (
        "MoJ SEND Tribunal appeals, republished in DfE EHC plans 2025 release")
