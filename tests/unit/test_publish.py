"""The report pair is published together, and only from a complete, consistent build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining_report.pipeline.manifest import manifest
from mining_report.pipeline.publish import NotPublished, publish_report
from mining_report.raw.provenance import sha256_of

FILES = {"reports/_build/r.html": "reports/r.html", "reports/_build/r.pdf": "reports/r.pdf"}


def build(root: Path, html: bytes, pdf: bytes) -> None:
    """A build folder as the render and manifest rules leave it."""
    (root / "reports/_build").mkdir(parents=True, exist_ok=True)
    (root / "reports/_build/r.html").write_bytes(html)
    (root / "reports/_build/r.pdf").write_bytes(pdf)
    record = manifest(
        [], [root / b for b in FILES], {}, {str(root / b): p for b, p in FILES.items()}
    )
    (root / "reports/_build/manifest.json").write_text(json.dumps(record))


def publish(root: Path) -> bool:
    return publish_report(FILES, "reports/_build/manifest.json", "reports/manifest.json", root)


def published(root: Path) -> tuple[bytes, bytes]:
    return (root / "reports/r.html").read_bytes(), (root / "reports/r.pdf").read_bytes()


def test_a_complete_build_is_published_with_its_manifest(tmp_path: Path) -> None:
    build(tmp_path, b"<html>1</html>", b"%PDF-1")
    assert publish(tmp_path)
    assert published(tmp_path) == (b"<html>1</html>", b"%PDF-1")
    record = json.loads((tmp_path / "reports/manifest.json").read_text())
    assert set(record["outputs"]) == {"reports/r.html", "reports/r.pdf"}
    assert not list(tmp_path.rglob("*.part"))
    assert not publish(tmp_path)  # nothing changed: nothing to do


def test_a_build_that_does_not_match_its_manifest_is_not_published(tmp_path: Path) -> None:
    build(tmp_path, b"<html>1</html>", b"%PDF-1")
    publish(tmp_path)
    # A later run rendered a new HTML and then failed before the PDF and the manifest.
    (tmp_path / "reports/_build/r.html").write_bytes(b"<html>2</html>")
    with pytest.raises(NotPublished, match=r"r\.html: not the file"):
        publish(tmp_path)
    assert published(tmp_path) == (b"<html>1</html>", b"%PDF-1")
    assert not list(tmp_path.rglob("*.part"))


def test_a_build_without_a_manifest_is_not_published(tmp_path: Path) -> None:
    build(tmp_path, b"<html>1</html>", b"%PDF-1")
    (tmp_path / "reports/_build/manifest.json").unlink()
    with pytest.raises(NotPublished, match="missing"):
        publish(tmp_path)
    assert not (tmp_path / "reports/r.html").exists()


def test_a_failed_copy_leaves_the_published_pair_and_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, b"<html>1</html>", b"%PDF-1")
    publish(tmp_path)
    build(tmp_path, b"<html>2</html>", b"%PDF-2")
    import shutil

    real_copy = shutil.copyfile
    calls = []

    def failing_copy(src, dst):
        calls.append(src)
        if len(calls) == 2:  # the disk fills up half-way through the second copy
            Path(dst).write_bytes(Path(src).read_bytes()[:3])
            raise OSError(28, "No space left on device")
        return real_copy(src, dst)

    monkeypatch.setattr(shutil, "copyfile", failing_copy)
    with pytest.raises(OSError):
        publish(tmp_path)
    assert published(tmp_path) == (b"<html>1</html>", b"%PDF-1")
    assert not list(tmp_path.rglob("*.part"))


def test_a_deleted_published_file_makes_the_build_out_of_date(tmp_path: Path) -> None:
    from mining_report.pipeline.publish import out_of_date

    def stale() -> bool:
        return out_of_date(FILES, "reports/_build/manifest.json", "reports/manifest.json", tmp_path)

    build(tmp_path, b"<html>1</html>", b"%PDF-1")
    assert stale()  # never published
    publish(tmp_path)
    assert not stale()
    (tmp_path / "reports/r.pdf").unlink()
    assert stale()
    publish(tmp_path)
    # A half-done build (new HTML, old manifest) is not republished.
    (tmp_path / "reports/_build/r.html").write_bytes(b"<html>2</html>")
    (tmp_path / "reports/r.html").unlink()
    assert not stale()


def test_the_manifest_records_the_bytes_validation_read(tmp_path: Path) -> None:
    from mining_report.pipeline.manifest import InputsChanged, inputs_as_read

    csv, meta = tmp_path / "t.csv", tmp_path / "t.meta.yml"
    csv.write_bytes(b"a\n1\n")
    meta.write_bytes(b"sha256: x\n")
    summary = tmp_path / "t.valid.json"
    read = {
        "file": str(csv),
        "sha256": sha256_of(csv),
        "bytes": 4,
        "sidecar": str(meta),
        "sidecar_sha256": sha256_of(meta),
        "sidecar_bytes": 10,
    }
    summary.write_text(json.dumps(read))
    assert inputs_as_read([summary], [csv, meta]) == {
        str(csv): {"sha256": sha256_of(csv), "bytes": 4},
        str(meta): {"sha256": sha256_of(meta), "bytes": 10},
    }
    # The file changed after validation read it (a refresh, a hand edit): refused.
    csv.write_bytes(b"a\n2\n")
    with pytest.raises(InputsChanged, match=r"t\.csv: changed while the report was built"):
        inputs_as_read([summary], [csv, meta])
