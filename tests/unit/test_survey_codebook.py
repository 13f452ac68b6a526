"""The survey codebook, the blank template and the loaders (template and platform export)."""

import pandas as pd
import pytest

from analysis.studies.survey import codebook as cb
from analysis.studies.survey import returns
from tests.conftest import FIXTURES


def test_per_year_questions_expand_for_the_years_asked():
    book = cb.load_codebook(["2016-17", "2017-18"])
    assert book.years == ("2016-17", "2017-18")
    assert [q.id for q in book.of_base("hnb_allocation")] == ["hnb_allocation_2016_17",
                                                              "hnb_allocation_2017_18"]
    question = book.get("hn_expenditure_2017_18")
    assert question.text == "Total high needs expenditure in 2017-18" and question.type == "money"
    assert question.required and question.min == 0
    assert book.get("la_code").required and book.get("pressure_post16").values == (1, 2, 3, 4, 5)
    assert book.ids[0] == "la_code" and len(book.ids) == len(set(book.ids))


def test_default_years_are_the_research_survey_years():
    assert cb.load_codebook().years == ("2015-16", "2016-17", "2017-18", "2018-19")


@pytest.mark.parametrize("years,message", [
    (["2015-17"], "not a financial year"),
    (["2016-17", "2015-16"], "distinct and in order"),
    (["2015-16", "2015-16"], "distinct and in order"),
])
def test_bad_years(years, message):
    with pytest.raises(cb.CodebookError, match=message):
        cb.load_codebook(years)


def test_financial_year_helpers():
    assert cb.fy_end_year("2015-16") == 2016 and cb.fy_label(2016) == "2015-16"
    assert cb.question_id("topup_reserves", "2018-19") == "topup_reserves_2018_19"


def test_template_round_trip_csv_and_xlsx(tmp_path):
    book = cb.load_codebook()
    csv, xlsx = returns.write_template(tmp_path, book)
    blank = pd.read_csv(csv, dtype=str)
    assert list(blank.columns) == ["response_id", *book.ids] and blank.empty
    assert pd.read_excel(xlsx, sheet_name="codebook", engine="calamine")["id"].tolist() == book.ids
    filled = blank.reindex([0]).fillna("")
    filled.loc[0, ["la_code", "hnb_allocation_2015_16", "pressure_post16"]] = ["373", "£52m", "4"]
    filled.to_csv(tmp_path / "filled.csv", index=False)
    raw = returns.load_template(tmp_path / "filled.csv", book)
    assert raw.loc[0, "response_id"] == "row 2"  # no ids given: the file's row number
    assert raw.loc[0, "hnb_allocation_2015_16"] == "£52m" and raw.loc[0, "hn_expenditure_2015_16"] == ""
    filled.to_excel(tmp_path / "filled.xlsx", sheet_name="return", index=False)
    assert returns.load_template(tmp_path / "filled.xlsx", book).loc[0, "la_code"] == "373"


def test_template_with_unknown_columns_is_refused(tmp_path):
    (tmp_path / "r.csv").write_text("la_code,colour\n373,blue\n")
    with pytest.raises(returns.ReturnsError, match=r"r.csv: columns not in the codebook .*\['colour'\]"):
        returns.load_template(tmp_path / "r.csv", cb.load_codebook())


def test_repeated_response_ids_are_refused(tmp_path):
    (tmp_path / "r.csv").write_text("response_id,la_code\nA,373\nA,202\n")
    with pytest.raises(returns.ReturnsError, match=r"response ids repeated: \['A'\]"):
        returns.load_template(tmp_path / "r.csv", cb.load_codebook())


def test_export_is_mapped_to_codebook_ids():
    raw = returns.load_export(FIXTURES / "survey" / "export.csv", FIXTURES / "survey" / "export_mapping.yaml",
                              cb.load_codebook())
    assert raw["response_id"].tolist() == [f"R{i}" for i in range(1, 10)]
    assert raw.loc[0, "hnb_allocation_2015_16"] == "£30m" and raw.loc[0, "topup_other_2015_16"] == ""


@pytest.mark.parametrize("edit,message", [
    (lambda m: m.replace("ignore: [Start time, IP address]", "ignore: [Start time]"),
     r"columns neither mapped nor ignored .*\['IP address'\]"),
    (lambda m: m.replace("  comments:", "  remarks:"), r"maps to ids not in the codebook: \['remarks'\]"),
    (lambda m: m.replace("Q13. Anything else?", "Q13. Anything more?"),
     r"mapped columns not found in the export: \['Q13. Anything more\?'\]"),
    (lambda m: "- just a list\n", "expected a mapping with 'columns'"),
])
def test_bad_mappings_name_the_problem(tmp_path, edit, message):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(edit((FIXTURES / "survey" / "export_mapping.yaml").read_text()))
    with pytest.raises(returns.ReturnsError, match=message):
        returns.load_export(FIXTURES / "survey" / "export.csv", mapping, cb.load_codebook())


def test_an_empty_return_file_is_refused(tmp_path):
    (tmp_path / "r.csv").write_text("response_id,la_code\n")
    with pytest.raises(returns.ReturnsError, match="no responses"):
        returns.load_template(tmp_path / "r.csv", cb.load_codebook())
