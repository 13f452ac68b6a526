"""The fetch layer against a real HTTP server on 127.0.0.1 and a local mirror."""

import gzip
import hashlib
import http.server
import io
import json
import threading
import zipfile
from functools import partial

import pytest

from analysis.sources.catalogue import Download, Source
from analysis.sources.fetch import (
    EES_API_ENV,
    HashMismatch,
    ManualDownloadRequired,
    NetworkError,
    fetch_source,
    sha256_file,
)

CONTENT = b"time_period,value\n2022,1\n"
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture()
def server(tmp_path):
    """Serve ``tmp_path/www`` on a free loopback port; yields the base URL and the folder."""
    www = tmp_path / "www"
    www.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", www
    httpd.shutdown()
    httpd.server_close()


def make_source(*downloads, sha=SHA, mirror_only=False):
    return Source(
        id="demo", dataset="demo", vintage="2022", citation="DfE, Demo, {releases}",
        file="demo/demo.csv", publisher="DfE", publication="Demo statistics",
        release="2022", landing_page="https://example.invalid/landing", format="csv",
        years="2022", time_identifier="calendar year", geographic_levels=("national",),
        licence="OGL-3.0", sha256=sha, url_confidence="high", mirror_only=mirror_only,
        downloads=tuple(downloads),
    )


def test_download_verifies_and_places_file(server, tmp_path):
    base, www = server
    (www / "demo.csv").write_bytes(CONTENT)
    raw = tmp_path / "raw"
    how = fetch_source(make_source(Download(official=True, url=f"{base}/demo.csv")), raw_dir=raw)
    assert "downloaded" in how
    assert (raw / "demo/demo.csv").read_bytes() == CONTENT
    assert fetch_source(make_source(), raw_dir=raw) == "already present, verified"


def test_tampered_download_is_refused_and_nothing_is_placed(server, tmp_path):
    base, www = server
    (www / "demo.csv").write_bytes(CONTENT + b"2023,666\n")
    raw = tmp_path / "raw"
    with pytest.raises(HashMismatch) as err:
        fetch_source(make_source(Download(official=True, url=f"{base}/demo.csv")), raw_dir=raw)
    message = str(err.value)
    assert "demo/demo.csv" in message and SHA in message
    assert hashlib.sha256(CONTENT + b"2023,666\n").hexdigest() in message
    assert not (raw / "demo/demo.csv").exists()
    assert list((raw / "demo").iterdir()) == [], "no temporary file may be left behind"


def test_existing_tampered_file_is_not_replaced(server, tmp_path):
    base, www = server
    (www / "demo.csv").write_bytes(CONTENT)
    raw = tmp_path / "raw"
    (raw / "demo").mkdir(parents=True)
    (raw / "demo/demo.csv").write_bytes(b"local edits")
    with pytest.raises(HashMismatch, match="not replaced"):
        fetch_source(make_source(Download(official=True, url=f"{base}/demo.csv")), raw_dir=raw)
    assert (raw / "demo/demo.csv").read_bytes() == b"local edits"


def test_missing_file_on_server_names_url_and_landing_page(server, tmp_path):
    base, _ = server
    url = f"{base}/gone.csv"
    with pytest.raises(NetworkError) as err:
        fetch_source(make_source(Download(official=True, url=url)), raw_dir=tmp_path / "raw")
    message = str(err.value)
    assert url in message
    assert "https://example.invalid/landing" in message
    assert str(tmp_path / "raw" / "demo" / "demo.csv") in message


def test_no_known_url_asks_for_manual_placement(tmp_path):
    with pytest.raises(ManualDownloadRequired) as err:
        fetch_source(make_source(), raw_dir=tmp_path / "raw")
    assert "https://example.invalid/landing" in str(err.value)
    assert str(tmp_path / "raw" / "demo" / "demo.csv") in str(err.value)


def test_mirror_only_source_never_goes_to_the_network(tmp_path, server):
    base, www = server
    (www / "demo.csv").write_bytes(CONTENT)
    source = make_source(Download(official=False, url=f"{base}/demo.csv"), mirror_only=True)
    with pytest.raises(ManualDownloadRequired, match="mirror-only"):
        fetch_source(source, raw_dir=tmp_path / "raw", mirror=tmp_path / "empty-mirror")


def test_gzipped_mirror_copy_verifies_against_the_uncompressed_pin(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo/demo.csv.gz").write_bytes(gzip.compress(CONTENT))
    raw = tmp_path / "raw"
    how = fetch_source(make_source(), raw_dir=raw, mirror=mirror)
    assert "gunzipped" in how
    assert sha256_file(raw / "demo/demo.csv") == SHA


def test_tampered_mirror_copy_is_refused(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo/demo.csv").write_bytes(b"not the file")
    with pytest.raises(HashMismatch, match="mirror file"):
        fetch_source(make_source(), raw_dir=tmp_path / "raw", mirror=mirror)
    assert not (tmp_path / "raw/demo/demo.csv").exists()


def test_falls_back_to_next_route_and_reads_zip_members(server, tmp_path):
    base, www = server
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/demo.csv", CONTENT)
    (www / "all.zip").write_bytes(buffer.getvalue())
    source = make_source(Download(official=True, url=f"{base}/missing.csv"),
                         Download(official=False, url=f"{base}/all.zip", member="data/demo.csv"))
    how = fetch_source(source, raw_dir=tmp_path / "raw")
    assert "all.zip [member data/demo.csv]" in how


def test_ees_release_is_resolved_at_run_time(server, tmp_path, monkeypatch):
    base, www = server
    api = www / "api/publications/pub/releases/2022"
    api.mkdir(parents=True)
    (api / "version-summary").write_text(json.dumps({"id": "abc-123"}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/demo.csv", CONTENT)
    (www / "api/releases/abc-123").mkdir(parents=True)
    (www / "api/releases/abc-123/files").write_bytes(buffer.getvalue())
    monkeypatch.setenv(EES_API_ENV, base)
    source = make_source(Download(official=True, ees_publication="pub", ees_release="2022",
                                  member="data/demo.csv"))
    how = fetch_source(source, raw_dir=tmp_path / "raw")
    assert "api/releases/abc-123/files" in how


def test_a_listed_variant_of_a_reconstructed_file_is_accepted_and_nothing_else(server, tmp_path):
    """The official member differs from the mirror's reconstructed copy in its byte order mark
    and line ends: either is accepted, other bytes are not."""
    from dataclasses import replace
    base, www = server
    official = b"\xef\xbb\xbf" + CONTENT.replace(b"\n", b"\r\n")
    (www / "official.csv").write_bytes(official)
    source = replace(make_source(Download(official=True, url=f"{base}/official.csv")),
                     sha256_variants=(hashlib.sha256(official).hexdigest(),))
    assert "downloaded" in fetch_source(source, raw_dir=tmp_path / "raw")
    assert (tmp_path / "raw" / "demo/demo.csv").read_bytes() == official
    (www / "other.csv").write_bytes(official + b"tampered")
    other = replace(source, downloads=(Download(official=True, url=f"{base}/other.csv"),))
    with pytest.raises(HashMismatch, match="must be " + SHA + " or "):
        fetch_source(other, raw_dir=tmp_path / "raw2")
