"""The baseline report's sources and definitions take every year from the data and the named
breaks and reorganisations; the survey's from its parameters."""

import pandas as pd

from analysis.studies.baseline import notes
from analysis.studies.survey import findings


class _Series:
    """The few series and the table the notes read, hand-made."""

    def __init__(self):
        self.frames = {"population_0_25": pd.DataFrame({"year": [2015, 2024]}),
                       "exclusion_counts": pd.DataFrame({"year": [2020, 2024]}),
                       "hnb": pd.DataFrame({"year": [2021, 2025]})}

    def __getitem__(self, name):
        return self.frames[name]

    def table(self, table_id):
        assert table_id == "ehcp_caseload_age"
        return pd.DataFrame({"year": [2012, 2013, 2022, 2024, 2025, 2027],
                             "release": ["2022", "2022", "2022", "2025", "2025", "2027"]})


def test_reorganisations_are_named_with_the_year_their_successors_began():
    assert notes.reorganisations() == [("Dorset and Bournemouth, Christchurch and Poole", 2019),
                                       ("Northamptonshire", 2021), ("Cumbria", 2023)]


def test_each_january_is_said_to_come_from_its_release_and_the_years_from_the_data():
    assert notes.ehcp_releases(_Series()) == [("2022", 2012, 2022), ("2025", 2024, 2025),
                                              ("2027", 2027, 2027)]
    text = notes.sources_and_definitions(_Series())
    assert ("January 2012-2022 from the 2022 release, January 2024-2025 from the 2025 release and "
            "January 2027 from the 2027 release") in text
    assert "academic year (2023/24 = 2024)" in text and "financial year (2024-25 = 2025)" in text
    assert "(mid-2023 for January 2024, the latest held)" in text
    assert "Northamptonshire (2021) and Cumbria (2023) are combined" in text
    assert "Every chart spanning January 2023 says so" in text   # the SEN2 break, named once in breaks


def test_the_surveys_years_come_from_its_parameters():
    text = findings.sources_and_definitions(["2016-17", "2017-18"])
    assert "Financial years (2016-17 ends in March 2017)" in text
    assert "allocation for 2019-20 is the earliest" in text
