"""Content hashes that decide what re-runs, and the dates shown in provenance footers."""

import hashlib

from analysis import settings
from analysis.publish import manifest


def test_sha256_json_ignores_key_order_but_not_values():
    assert manifest.sha256_json({"a": 1, "b": [1, 2]}) == manifest.sha256_json({"b": [1, 2], "a": 1})
    assert manifest.sha256_json({"a": 1}) != manifest.sha256_json({"a": "1"})


def test_package_hash_follows_content_and_names_not_bytecode(tmp_path):
    (tmp_path / "mod.py").write_text("x = 1\n")
    first = manifest.package_source_hash(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0\1")
    assert manifest.package_source_hash(tmp_path) == first
    (tmp_path / "mod.py").write_text("x = 2\n")
    second = manifest.package_source_hash(tmp_path)
    assert second != first
    (tmp_path / "mod.py").rename(tmp_path / "other.py")
    assert manifest.package_source_hash(tmp_path) not in (first, second)


def test_is_current_needs_the_same_key_and_untouched_outputs(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_text("a\n1\n")
    entry = {"key": "k1", "outputs": {"tables/t.csv": hashlib.sha256(b"a\n1\n").hexdigest()}}
    assert manifest.is_current(entry, "k1", tmp_path)
    assert not manifest.is_current(entry, "k2", tmp_path)
    assert not manifest.is_current(None, "k1", tmp_path)
    (tmp_path / "tables" / "t.csv").write_text("a\n2\n")
    assert not manifest.is_current(entry, "k1", tmp_path)
    (tmp_path / "tables" / "t.csv").unlink()
    assert not manifest.is_current(entry, "k1", tmp_path)


def test_run_date_honours_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    assert settings.run_date() == "2023-11-14"


def test_manifest_round_trip_and_a_corrupt_one_is_named(tmp_path):
    assert manifest.read_manifest(tmp_path) == {"publications": {}}
    manifest.write_manifest(tmp_path, {"publications": {"a": {"key": "k"}}})
    assert manifest.read_manifest(tmp_path)["publications"]["a"]["key"] == "k"
    # A corrupt manifest, or one from before publications, is set aside: everything re-runs.
    (tmp_path / "manifest.json").write_text("{")
    assert manifest.read_manifest(tmp_path) == {"publications": {}}
    (tmp_path / "manifest.json").write_text('{"notebooks": {"a": {}}}')
    assert manifest.read_manifest(tmp_path) == {"publications": {}}


def test_git_commit_outside_a_checkout(tmp_path):
    assert manifest.git_commit(tmp_path) == "not a git checkout"
