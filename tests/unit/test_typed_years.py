"""Nothing a run knows is typed: a year in a notebook (prose or code), the pipeline config or the
themes file comes from the parameters or the data, never from the text. The parameters cell is
where a notebook's years belong; the research's own facts (it was written in 2018) and facts of
law and naming that no data file holds are listed below with their reason, and nothing else."""

import json
import re

import pytest

from analysis.settings import PROJECT_ROOT

YEAR = re.compile(r"(?<![\w.£$/])(?:19[5-9]\d|20[0-4]\d)(?![\w%]|\.\d)")
"""A calendar year from 1950 to 2049 standing alone (not part of a number, code or file name)."""

EXCEPTED = {
    "Local Government Association (LGA), 2018": "the research's citation",
    "Local Government Association (2018)": "the research's citation",
    "The 2018 research's": "the research, named by its year",
    "The research's 2018": "the research, named by its year",
    "In 2018 the research": "the research, named by its year",
    "to 2018, carried forward from January 2018": "the research's own base year: the data it had",
    "research_2018": "a table named for the research",
    "Projection (2018)": "the research's projections, named by its year",
    "respondents' 2018-19": "the research's survey year: its own figure",
    "LAs of 2018-19": "the research's survey year: its own figure",
    "the 2014 reforms": "the Children and Families Act 2014, a fact of law",
    "after 2014": "the Children and Families Act 2014, a fact of law",
    "Census 2021": "the census's name",
    "2016-2022 framework": "the inspection framework's name (Ofsted and CQC)",
    "2016-2022 inspection framework": "the inspection framework's name (Ofsted and CQC)",
    "from 2016 to 2022": "the inspection framework's years, a fact of its design",
}
"""Phrase with a year that is allowed -> why it is not something a run knows."""

FILES = [*sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")), PROJECT_ROOT / "notebooks" / "pipeline.yaml",
         PROJECT_ROOT / "src" / "analysis" / "studies" / "themes.yaml"]


def typed_years(text: str) -> list[str]:
    """The years in ``text`` outside the excepted phrases."""
    for phrase in EXCEPTED:
        text = text.replace(phrase, " " * len(phrase))
    return YEAR.findall(text)


def _lines(path):
    """(where, line) for every line that is read: a notebook's cells except its parameters cell."""
    if path.suffix != ".ipynb":
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.name}:{n}", line
        return
    for n, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        for line in "".join(cell["source"]).splitlines():
            yield f"{path.name} cell {n} ({cell['cell_type']})", line


def test_the_year_pattern_finds_years_and_nothing_else():
    assert typed_years("covers January 2010-2022, mid-2021 and 2021-22; 2019/20") == [
        "2010", "2022", "2021", "2021", "2019"]
    assert typed_years("£2023m, 12025, 2023.5, 2023%, fy2023, file_2023.csv, v1.2023, 2100") == []
    assert typed_years("The 2018 research's claims; Census 2021; in January 2023") == ["2023"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_year_is_typed_that_the_parameters_or_data_know(path):
    found = [f"{where}: {line.strip()[:100]}" for where, line in _lines(path) if typed_years(line)]
    assert not found, ("years typed in the text; take them from the parameters or the data (or, for "
                       "a fact no data file holds, add the phrase to EXCEPTED with its reason):\n"
                       + "\n".join(found))
