"""A published table's files: its CSV and the title file its spreadsheet sheet takes."""

import pandas as pd

from analysis import files


def test_a_published_table_is_a_csv_with_its_title_beside_it(tmp_path):
    csv = tmp_path / "tables" / "r_table_01.csv"
    files.write_csv(pd.DataFrame({"LA": ["Kent", "Camden"], "plans": [20635, None]}), csv)
    assert csv.read_bytes() == b"\xef\xbb\xbfLA,plans\nKent,20635.0\nCamden,\n"   # BOM: Excel reads UTF-8
    assert files.read_table_title(csv) == {}
    files.write_table_title(csv, title="Plans by LA £", source="DfE SEN2")
    assert csv.with_suffix(".json").read_text(encoding="utf-8") == (
        '{\n "title": "Plans by LA £",\n "measure": "",\n "source": "DfE SEN2",\n "columns": []\n}\n')
    assert files.read_table_title(csv) == {"title": "Plans by LA £", "measure": "", "source": "DfE SEN2",
                                           "columns": []}
