"""No credential is stored or printed (issue 19, item 3): the cube's files, ``info``, the resume
hints and every error keep the option named and leave its value out."""

from __future__ import annotations

import shlex

from helpers import fastscan_cli

from fastscan.redact import HIDDEN, redact_argv, redact_options, redact_url

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY"
KEY = "AKIAIOSFODNN7EXAMPLE"
TOKEN = "FwoGZXIvYXdzEBYaDE-token"
PASSWORD = "hunter2-pw"


def everything_in(endpoint: str, prefix: str) -> bytes:
    """Every object of the store, concatenated."""
    import s3fs

    fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, skip_instance_cache=True)
    return b"".join(fs.cat(p) for p in sorted(fs.find(f"bucket/{prefix}")))


def test_a_scan_with_credentials_stores_and_prints_none_of_them(s3):
    """On a real (local) S3 server, where the credentials are used."""
    from fastscan.store import Store

    url = "s3://bucket/sec.zarr"
    creds = (
        f"--storage-option endpoint_url={s3} --storage-option key={KEY} "
        f"--storage-option secret={SECRET} --storage-option=token={TOKEN}"
    )
    base = f"scan --costs 1e-3,2e-3,3e-3 --alpha 0,1 --sigma 0.1:1:4 --out {url} {creds}"
    outputs = [fastscan_cli(base)]
    assert outputs[0].returncode == 0, outputs[0].stderr
    store = Store(url, {"endpoint_url": s3})
    store.unmark(store.marked())  # unfinished: every command now prints the resume hint
    outputs += [
        fastscan_cli(f"info {url} {creds}"),
        fastscan_cli(f"query {url} {creds} --var max_size"),
        fastscan_cli(f"info {url} {creds} --verify"),
    ]
    printed = "".join(r.stdout + r.stderr for r in outputs)
    stored = everything_in(s3, "sec.zarr")
    assert b"endpoint_url" in stored  # the command line is there, credentials left out
    for secret in (KEY, SECRET, TOKEN):
        assert secret.encode() not in stored
        assert secret not in printed
    # the options stay named, their values left out; a plain option is kept as given
    assert f"--storage-option 'secret={HIDDEN}'" in printed
    assert f"--storage-option 'key={HIDDEN}'" in printed
    assert f"--storage-option endpoint_url={s3}" in printed
    hint = [line for line in printed.splitlines() if "--resume" in line]
    assert hint and all(f"token={HIDDEN}" in line for line in hint)


def test_storage_options_on_a_local_path_are_refused(tmp_path):
    out = tmp_path / "c.zarr"
    r = fastscan_cli(f"scan --costs 1e-3,2e-3 --out {out} --storage-option key={KEY}")
    assert r.returncode == 2 and "--storage-option" in r.stderr and "local path" in r.stderr
    assert KEY not in r.stderr and not out.exists()


def test_urls_lose_their_password_everywhere():
    url = f"s3://alice:{PASSWORD}@bucket/cube.zarr"
    assert redact_url(url) == f"s3://alice:{HIDDEN}@bucket/cube.zarr"
    assert redact_url("https://host/x.zarr") == "https://host/x.zarr"
    argv = ["scan", "--out", url, "--storage-option", f"endpoint_url=http://u:{PASSWORD}@h:9000"]
    shown = shlex.join(redact_argv(argv))
    assert PASSWORD not in shown and "endpoint_url=http://u:" in shown
    opts = redact_options({"secret": SECRET, "endpoint_url": f"http://u:{PASSWORD}@h", "anon": 0})
    assert SECRET not in str(opts) and PASSWORD not in str(opts) and opts["anon"] == "0"


def test_a_store_url_with_a_password_is_never_printed(tmp_path):
    r = fastscan_cli(f"info ftp://bob:{PASSWORD}@127.0.0.1:1/nowhere.zarr")
    assert r.returncode == 2
    assert PASSWORD not in r.stdout + r.stderr
    assert "Traceback" not in r.stderr
