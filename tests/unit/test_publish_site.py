import zipfile

import pytest

from analysis.publish import config, site


def test_a_link_between_two_files_of_the_site_stays_inside_it():
    assert config.href("html/profiles/886.html", "html/downloads/profiles/886.csv") == \
        "../downloads/profiles/886.csv"
    assert config.href("html/05_x.html", "html/tables/05_x_table_01.csv") == "tables/05_x_table_01.csv"
    assert config.href("html/index.html", "html/downloads/01_x.xlsx") == "downloads/01_x.xlsx"


def _site(reports):
    (reports / "html" / "tables").mkdir(parents=True)
    (reports / "html" / "index.html").write_text("<p>home</p>")
    (reports / "html" / "tables" / "t.csv").write_text("a\n1\n")
    (reports / "html" / ".index.html.x.tmp").write_text("half written")


def test_the_zip_packs_the_site_folder_under_its_name_and_nothing_else(tmp_path):
    _site(tmp_path)
    (tmp_path / "executed").mkdir()
    (tmp_path / "executed" / "x.ipynb").write_text("{}")
    path = site.write_zip(tmp_path)
    assert path == tmp_path / "site.zip"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["html/index.html", "html/tables/t.csv"]
        assert archive.read("html/tables/t.csv") == b"a\n1\n"


def test_the_same_site_gives_the_same_zip_bytes(tmp_path):
    _site(tmp_path)
    first = site.write_zip(tmp_path).read_bytes()
    (tmp_path / "html" / "index.html").touch()   # a later modification time changes nothing
    assert site.write_zip(tmp_path).read_bytes() == first


def test_no_site_to_pack_is_an_error_naming_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="html: no site to pack"):
        site.write_zip(tmp_path)
