"""Issue 19 section 7: small defects users met, each as the command that showed it."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

import pytest
from helpers import fastscan_cli, spawn

FIG1 = "0.001,0.002,0.003,0.004,0.005,0.006,0.007,0.008"


def ok(command: str, **kw):
    r = fastscan_cli(command, **kw)
    assert r.returncode == 0, r.stderr
    return r


def refused(command: str, *words: str):
    """Exit 2 with one line on stderr holding every word."""
    r = fastscan_cli(command)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fastscan: error: "), r.stderr
    for word in words:
        assert word in lines[0], r.stderr
    return lines[0]


@pytest.fixture(scope="module")
def cube(tmp_path_factory):
    out = tmp_path_factory.mktemp("cube") / "c.zarr"
    ok(f"scan --costs {FIG1} --alpha -1:1:5 --sigma 0.05:1:20 --out {out} --quiet")
    return out


# --- 1. coalitions: a listing of C(n, k) tables is capped, with the count and how to see more
EQUAL10 = ",".join(["0.001"] * 10)  # robust at alpha 0.5, sigma 0.2: C(10, 4) = 210 stable


def test_coalitions_listing_is_capped():
    r = ok(f"coalitions --costs {EQUAL10} --alpha 0.5 --sigma 0.2 --notion robust")
    assert "robust: 210 stable coalitions" in r.stdout
    assert r.stdout.count("coalition [") == 20
    assert "190 more robust stable coalitions not shown" in r.stdout
    assert "--limit 210" in r.stdout
    assert len(r.stdout.splitlines()) < 400


def test_coalitions_limit_shows_more_or_all():
    every = f"coalitions --costs {EQUAL10} --alpha 0.5 --sigma 0.2 --notion robust"
    assert ok(every + " --limit 0").stdout.count("coalition [") == 210
    r = ok(every + " --limit 3")
    assert r.stdout.count("coalition [") == 3 and "207 more" in r.stdout
    refused(every + " --limit -1", "--limit")


# --- 2. threads: the CPUs the process may use, and --threads ---------------------------------
SMALL = f"--costs {FIG1} --alpha 0,1 --sigma 0.1:1:10 --quiet"


@pytest.fixture()
def workers_used(monkeypatch):
    """The ``num_workers`` each local run was given."""
    import dask.threaded

    seen: list[int] = []
    real = dask.threaded.get

    def get(*args, num_workers=None, **kw):
        seen.append(num_workers)
        return real(*args, num_workers=num_workers, **kw)

    monkeypatch.setattr(dask.threaded, "get", get)
    return seen


def test_threads_default_to_the_process_affinity(tmp_path, monkeypatch, workers_used):
    import os

    from fastscan.runner import cpus

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert cpus() == 1
    r = ok(f"scan --costs {FIG1} --alpha 0,1 --sigma 0.1:1:10 --out {tmp_path / 'a.zarr'}")
    assert "on 1 thread\n" in r.stderr  # singular for one
    assert workers_used == [1]


def test_threads_option_reaches_the_local_run(tmp_path, workers_used):
    r = ok(f"scan --costs {FIG1} --alpha 0,1 --sigma 0.1:1:10 --threads 3 --out {tmp_path / 'a'}")
    assert "on 3 threads" in r.stderr
    ok(f"ixp scan --family planted --name hub --threads 2 --out {tmp_path / 'b'} --quiet")
    assert workers_used == [3, 2]


@pytest.mark.parametrize("value", ["0", "-2", "1.5", "x"])
def test_threads_must_be_a_whole_number(tmp_path, value):
    refused(f"scan {SMALL} --threads {value} --out {tmp_path / 'a'}", "--threads")
    refused(f"ixp scan --family planted --name hub --threads {value} --out {tmp_path / 'b'}")


def test_threads_not_with_a_scheduler(tmp_path):
    refused(f"scan {SMALL} --threads 2 --scheduler tcp://nowhere:1 --out {tmp_path / 'a'}",
            "--threads", "--scheduler")  # fmt: skip


# --- 3. SIGTERM stops a scan as Ctrl-C does: what is kept, and the resume command -------------
@pytest.mark.slow
@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_scan_prints_the_resume_command(tmp_path, sig, status):
    out = tmp_path / "x.zarr"
    costs = ",".join(f"{0.001 * (i + 1):g}" for i in range(22))  # ~10 s of work, small output
    cmd = f"scan --costs {costs} --alpha -1:1:201 --sigma 0.05:1:1000 --out {out}"
    p = spawn(cmd, stderr=subprocess.PIPE, text=True)
    err = ""
    while "estimated" not in err:  # the plan's last line: the run starts
        line = p.stderr.readline()
        assert line, err
        err += line
    time.sleep(1.0)
    p.send_signal(sig)
    err += p.communicate(timeout=120)[1]
    assert p.returncode == status, err
    assert "Continue with: fastscan scan" in err and "--resume" in err, err
    assert "Traceback" not in err and "Exception ignored" not in err, err


# --- 4. a dim selected twice ----------------------------------------------------------------
def test_a_dim_selected_twice_is_refused(cube):
    refused(f"query {cube} --var exists --sel alpha=1 --sel alpha=0", "alpha", "twice")
    refused(f"query {cube} --var exists --sel profile=0 --sel profile=#0", "profile", "twice")


# --- 5. query on a cube a live scan is writing ------------------------------------------------
def test_query_of_a_cube_being_written_says_so(tmp_path):
    out = tmp_path / "w.zarr"
    ok(f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:20 --out {out} --quiet")
    next((out / ".fastscan" / "done").iterdir()).unlink()  # unfinished, as mid-scan
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = {"host": socket.gethostname(), "pid": writer.pid}
        (out / ".fastscan" / "lock").write_text(json.dumps(lock))
        line = refused(f"query {out} --var exists", "a scan is writing it now", "wait")
        assert "--allow-incomplete" in line and "--resume" not in line
        png = tmp_path / "p.png"
        plot = f"plot {out} --var exists --x sigma --y alpha --sel notion=nash --out {png}"
        refused(plot, "a scan is writing it now")
    finally:
        writer.kill()
        writer.wait()
    # its writer gone: finishing it is the way
    refused(f"query {out} --var exists", "--resume", "--allow-incomplete")


# --- 6. exists on any game that declares it ---------------------------------------------------
def test_exists_works_on_ixp_cubes(tmp_path):
    out = tmp_path / "i.zarr"
    ok(f"ixp scan --family planted --name thm41,thm42,hub --eps 0.1 --alpha 1,2 --out {out}")
    r = ok(f"query {out} --var exists --format csv")
    count = ok(f"query {out} --var stable_count --format csv")
    for e, c in zip(r.stdout.splitlines()[1:], count.stdout.splitlines()[1:], strict=True):
        assert e.rsplit(",", 1)[1] == str(int(c.rsplit(",", 1)[1]) > 0)
    ok(f"plot {out} --var exists --x alpha --y instance --out {tmp_path / 'e.png'}")


def test_exists_refused_where_its_base_is_not_stored(tmp_path):
    out = tmp_path / "o.zarr"
    ok(f"ixp scan --family planted --name hub --method optimum --out {out} --quiet")
    refused(f"query {out} --var exists", "--var", "stable_count")


# --- 7. plot of a variable that is inf everywhere ---------------------------------------------
def test_plot_with_nothing_finite_is_refused(tmp_path):
    out = tmp_path / "p.zarr"
    ok(f"ixp scan --family planted --name thm42 --alpha 1,1.5,2 --out {out} --quiet")
    png = tmp_path / "poa.png"
    refused(f"plot {out} --var poa --x alpha --out {png}", "--var", "3 inf", "nothing to draw")
    assert not png.exists()


def test_plot_warns_of_cells_not_drawn(tmp_path):
    out = tmp_path / "p.zarr"
    ok(f"ixp scan --family planted --name thm41,thm42 --eps 0.1 --alpha 1,2 --out {out} --quiet")
    r = ok(f"plot {out} --var poa --x alpha --y instance --out {tmp_path / 'poa.png'}")
    assert "warning: 2 of 4 cells of poa are not drawn (2 inf" in r.stderr


# --- 8. axis labels that do not run into each other --------------------------------------------
def test_panels_x_labels_do_not_overlap(tmp_path, monkeypatch):
    from fastscan import plotting

    out = tmp_path / "s.zarr"
    ok(f"scan --family uniform --n 4 --low 0.001 --high 0.01 --seed 0:59:60 --alpha 0 "
       f"--sigma 0.5 --out {out} --quiet")  # fmt: skip
    boxes = []
    real = plotting.save

    def save(fig, *args, **kw):  # the labels' places as drawn, before the figure is closed
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = [ax.xaxis.label for ax in fig.axes]
        for ax in fig.axes:  # the ticks drawn: those within the axis' limits
            lo, hi = sorted(ax.get_xlim())
            texts += [t for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi]
        texts += [fig._supxlabel] if getattr(fig, "_supxlabel", None) is not None else []
        boxes.extend(t.get_window_extent(renderer) for t in texts if t.get_text())
        real(fig, *args, **kw)

    monkeypatch.setattr(plotting, "save", save)
    ok(f"plot {out} --var max_size --x seed --out {tmp_path / 's.png'}")
    assert len(boxes) > 2
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_a_scan_estimated_at_many_hours_asks_for_yes(tmp_path):
    out = tmp_path / "big.zarr"
    r = fastscan_cli(
        "ixp scan --family uniform --n 20 --m 3 --density 0.5 --ratio 1 --facility 1 --seed 0 "
        f"--out {out} --quiet"
    )
    assert r.returncode == 2 and "--yes" in r.stderr and " h " in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not out.exists()


def test_the_lemma5_witness_shows_its_sigma_windows():
    """The witness is two sigma ranges: its 'show' command prints the ranges, not one sigma
    outside both (as it did)."""
    import re
    import shlex

    r = fastscan_cli("check --claims lemma5")
    assert r.returncode == 0, r.stderr
    show = re.search(r"show: fastscan (.*)", r.stdout).group(1)
    lows = re.findall(r"(?:sigma in|none on) \[([0-9.e-]+), ", r.stdout)
    assert len(lows) == 2, r.stdout
    assert show.startswith("intervals ") and "--sigma" not in show
    shown = fastscan_cli(shlex.join(shlex.split(show)))
    assert shown.returncode == 0, shown.stderr
    for low in lows:  # both windows' lower edges appear in the ranges printed
        assert low[:6] in shown.stdout, (low, shown.stdout[:2000])
