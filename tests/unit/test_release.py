"""Adding a release of an existing dataset is a catalogue entry and nothing else: a fixture "next
release" of the EHC plans caseload file, added through the catalogue alone, reaches the table,
the series and a figure's source line. Also the table store: what it records and how it treats
a processed file that no longer matches its build record."""

import hashlib
import json

import matplotlib
import pandas as pd
import pytest

from analysis.series.store import SeriesStore
from analysis.settings import Settings, using
from analysis.studies.baseline import figures
from analysis.tables import state, store

matplotlib.use("Agg")

HEAD = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name")
MEASURES = ",characteristic_age,Total_st,Total_st_pc,Total_ehc,Total_ehc_pc,Total_all,Total_all_pc\n"
HISTORY = HEAD + MEASURES + (
    "2021,Calendar year,National,E92000001,England,,,,,,Total,z,z,900,100,900,100\n"
    "2021,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,940,E06000061,"
    "North Northamptonshire,Total,z,z,500,100,500,100\n"
    "2021,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,941,E06000062,"
    "West Northamptonshire,Total,z,z,400,100,400,100\n"
    "2022,Calendar year,National,E92000001,England,,,,,,Total,z,z,1000,100,1000,100\n"
    "2022,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,940,E06000061,"
    "North Northamptonshire,Total,z,z,600,100,600,100\n"
    "2022,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,941,E06000062,"
    "West Northamptonshire,Total,z,z,400,100,400,100\n")


def _current(years: dict[int, tuple[int, int]]) -> str:
    """The current caseload layout: January of each year -> (North, West Northamptonshire)."""
    rows = [HEAD + ",breakdown_topic,breakdown,ehcplans"]
    for year, (north, west) in years.items():
        period = f"{year - 1}{year % 100:02d}"
        rows.append(f"{period},Academic year,National,E92000001,England,,,,,,All EHC plans,All EHC plans,"
                    f"{north + west}")
        for code, ons, name, value in (("940", "E06000061", "North Northamptonshire", north),
                                       ("941", "E06000062", "West Northamptonshire", west)):
            rows.append(f"{period},Academic year,Local authority,E92000001,England,E12000004,"
                        f"East Midlands,{code},{ons},{name},All EHC plans,All EHC plans,{value}")
    return "\n".join(rows) + "\n"


ENTRY = '''
[[release]]
publisher = "Department for Education"
publication = "Education, health and care plans"
release = "Reporting year {vintage}"
vintage = "{vintage}"
landing_page = "https://example.invalid"
licence = "OGL-3.0"
citation = "{citation}"
url_confidence = "none"
[[release.file]]
id = "{id}"
dataset = "{dataset}"
file = "{file}"
format = "{format}"
years = ""
time_identifier = "calendar year"
geographic_levels = ["national", "local authority"]
sha256 = "{sha}"
'''
SEN2 = "DfE, Education, health and care plans (SEN2), {releases}"


def _entry(raw, id, dataset, vintage, file, content: bytes, citation=SEN2, format="csv") -> str:
    path = raw / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return ENTRY.format(id=id, dataset=dataset, vintage=vintage, citation=citation, file=file,
                        format=format, sha=hashlib.sha256(content).hexdigest())


@pytest.fixture
def project(tmp_path):
    raw = tmp_path / "raw"
    types = tmp_path / "types.xlsx"
    pd.DataFrame({"LA Number": ["940", "941"], "Type": ["UA", "UA"],
                  "Region": ["East Midlands"] * 2}).to_excel(types, index=False)
    catalogue = (_entry(raw, "history", "sen2_age_caseload", "2022", "ehcp/history.csv", HISTORY.encode())
                 + _entry(raw, "caseload_2025", "ehcp_caseload", "2025", "ehcp/caseload_2025.csv",
                          _current({2023: (650, 450), 2024: (700, 500), 2025: (760, 540)}).encode())
                 + _entry(raw, "types", "lait_la_code_list", "2024-09", "lookups/types.xlsx",
                          types.read_bytes(), citation="DfE LAIT", format="xlsx"))
    (tmp_path / "catalogue.toml").write_text(catalogue)
    settings = Settings.default(raw_dir=raw, processed_dir=tmp_path / "processed",
                                interim_dir=tmp_path / "interim", reports_dir=tmp_path / "reports",
                                mirror=None, catalogue=tmp_path / "catalogue.toml")
    return tmp_path, settings, catalogue


def _published(settings):
    """The table, the series, a chart's source line and title as a run with ``settings`` sees them."""
    with using(settings):
        table = store.load("ehcp_caseload_age")
        series = SeriesStore()
        england = series["ehcp"].query("level == 'National'").set_index("year")["value"]
        _, fig, _ = figures.ehcp_count(figures.View(series, start_year=2021))
        texts = [" ".join(t.split()) for t in [*(x.get_text() for x in fig.texts), fig.get_suptitle()]]
    return table, england, texts


def test_the_next_release_is_picked_up_through_the_catalogue_alone(project):
    tmp_path, settings, catalogue = project
    table, england, texts = _published(settings)
    assert england.to_dict() == {2021: 900.0, 2022: 1000.0, 2023: 1100.0, 2024: 1200.0, 2025: 1300.0}
    assert set(table.loc[table["year"] > 2022, "release"]) == {"2025"}
    assert any("Source: DfE, Education, health and care plans (SEN2), 2022 and 2025 releases" in t
               for t in texts)

    # The 2026 release: same layout, one more January, 2025 revised. One catalogue block.
    nxt = _current({2023: (650, 450), 2024: (700, 500), 2025: (765, 540), 2026: (820, 580)})
    with_next = catalogue + _entry(tmp_path / "raw", "caseload_2026", "ehcp_caseload", "2026",
                                   "ehcp/caseload_2026.csv", nxt.encode())
    (tmp_path / "catalogue_next.toml").write_text(with_next)
    table, england, texts = _published(settings.with_(catalogue=tmp_path / "catalogue_next.toml"))

    assert england[2026] == 1400.0 and england[2025] == 1305.0   # the new year, and the revision
    assert set(table.loc[table["year"] > 2022, "release"]) == {"2026"}
    assert any("Source: DfE, Education, health and care plans (SEN2), 2022 and 2026 releases" in t
               for t in texts)
    assert any("in January 2026" in t for t in texts)   # the finding's year comes from the data


def test_the_store_records_what_it_hands_out(project):
    _, settings, _ = project
    reads_file = settings.reads_file or settings.processed_dir.parent / "reads.json"
    with using(settings.with_(reads_file=reads_file)):
        store.load("ehcp_caseload_age", filters=[("measure", "==", "total")])
        recorded = json.loads(reads_file.read_text())
        sources = store.sources_read()
    shas = state.table_shas(settings.processed_dir)
    assert recorded == {"ehcp_caseload_age": shas["ehcp_caseload_age"]}   # only what it handed out
    assert list(sources["source"]) == ["history", "caseload_2025"]


def test_a_processed_file_that_no_longer_matches_its_build_record_is_rebuilt(project, caplog):
    _, settings, _ = project
    with using(settings):
        good = store.load("ehcp_caseload_age")
    path = state.table_path("ehcp_caseload_age", settings.processed_dir)
    path.write_bytes(path.read_bytes()[:200])   # a truncated copy
    with using(settings), caplog.at_level("WARNING"):
        again = store.TableStore(settings).load("ehcp_caseload_age")
    assert "does not match its build record" in caplog.text and str(path) in caplog.text
    pd.testing.assert_frame_equal(again, good)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == state.table_shas(settings.processed_dir)[
        "ehcp_caseload_age"]
