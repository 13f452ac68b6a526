import pytest

from analysis.sources.catalogue import CatalogueError, cite, load_catalogue, parse_catalogue
from analysis.tables.definitions import TABLES

ENTRY = '''
[[release]]
publisher = "DfE"
publication = "P"
release = "R {vintage}"
vintage = "{vintage}"
landing_page = "https://example.invalid"
licence = "OGL-3.0"
citation = "DfE, P, {{releases}}"
url_confidence = "none"
[[release.file]]
id = "{id}"
dataset = "{dataset}"
file = "{file}"
format = "csv"
years = "2022"
time_identifier = "calendar year"
geographic_levels = ["national"]
sha256 = "{sha}"
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
    with pytest.raises(CatalogueError, match=r"release #1 \(R 2022\) lacks \['licence'\]"):
        parse_catalogue(one.replace('licence = "OGL-3.0"\n', ""))
    with pytest.raises(CatalogueError, match=r"file a lacks \['citation'\] \(on the file or its release\)"):
        parse_catalogue(one.replace('citation = "DfE, P, {releases}"\n', ""))
    with pytest.raises(CatalogueError, match=r"file a: unknown fields \['vintage'\]"):
        parse_catalogue(one + 'vintage = "2023"\n')   # a file of another vintage is another release
    with pytest.raises(CatalogueError, match="unknown top-level entries"):
        parse_catalogue("[[source]]\n" + 'id = "a"\n')


def test_a_release_is_written_once_and_its_files_inherit_it():
    two = parse_catalogue('''
[[release]]
publisher = "DfE"
publication = "P"
release = "R"
vintage = "2026"
landing_page = "https://example.invalid/r"
licence = "OGL-3.0"
citation = "DfE, P, {releases}"
url_confidence = "high"
[[release.download]]
url = "https://example.invalid/r.zip"
official = true
[[release.file]]
id = "a"
dataset = "d"
file = "x/a.csv"
member = "data/a.csv"
format = "csv"
years = "2026"
time_identifier = "calendar year"
geographic_levels = ["national"]
sha256 = "''' + "a" * 64 + '''"
[[release.file]]
id = "b"
dataset = "e"
publisher = "MoJ"
file = "x/b.csv"
member = "data/b.csv"
format = "csv"
years = "2026"
time_identifier = "calendar year"
geographic_levels = ["national"]
sha256 = "''' + "b" * 64 + '''"
[[release.file.download]]
url = "https://example.invalid/b.csv"
official = true
''')
    a, b = two["a"], two["b"]
    assert (a.vintage, a.release, a.landing_page, a.publisher) == (
        "2026", "R", "https://example.invalid/r", "DfE")
    assert b.publisher == "MoJ" and b.vintage == "2026"
    assert [(d.url, d.member) for d in a.downloads] == [("https://example.invalid/r.zip", "data/a.csv")]
    assert [(d.url, d.member) for d in b.downloads] == [("https://example.invalid/b.csv", None),
                                                        ("https://example.invalid/r.zip", "data/b.csv")]


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
