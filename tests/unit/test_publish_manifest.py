"""Content hashes that decide what re-runs, and the dates shown in provenance footers."""

import hashlib

from analysis import settings
from analysis.publish import manifest
from analysis.report.collection import PageSet


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
    entry = _record(key="k1", outputs={"tables/t.csv": hashlib.sha256(b"a\n1\n").hexdigest()})
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


def _record(**fields) -> manifest.SetRecord:
    return manifest.SetRecord(**{"title": "T", "show_code": False, "key": "k", "reads": {"t": "1"},
                                 "parameters": {"la_code": "886"}, "outputs": {}, "run_date": "2026-12-07",
                                 "commit": "abc", "seconds": 1.5, "cells": 3, **fields})


def test_manifest_round_trip_and_a_corrupt_one_is_set_aside(tmp_path):
    assert manifest.read_manifest(tmp_path) == manifest.Manifest()
    written = manifest.Manifest(publications={"a": manifest.PublicationRecord(
        title="A", sets={"886": _record()},
        each=manifest.EachRecord(sets=[PageSet("886", {"la_code": "886"}, {"name": "Kent"})],
                                 reads={"t": "1"}, key="e"))})
    manifest.write_manifest(tmp_path, written)
    assert manifest.read_manifest(tmp_path) == written
    text = (tmp_path / "manifest.json").read_text()
    assert '"prepared"' not in text and '"la_code": "886"' in text   # absent parts left out
    # A corrupt manifest, or one of another shape, is set aside: everything re-runs.
    (tmp_path / "manifest.json").write_text("{")
    assert manifest.read_manifest(tmp_path) == manifest.Manifest()
    (tmp_path / "manifest.json").write_text('{"notebooks": {"a": {}}}')
    assert manifest.read_manifest(tmp_path) == manifest.Manifest()
    (tmp_path / "manifest.json").write_text('{"publications": {"a": {"sets": {"": {"key": "k"}}}}}')
    assert manifest.read_manifest(tmp_path) == manifest.Manifest()


def test_git_commit_outside_a_checkout(tmp_path):
    assert manifest.git_commit(tmp_path) == "not a git checkout"
