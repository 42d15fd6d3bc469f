"""Same bits on every CPU: real scans of both games and the printing commands, each set-up in a
fresh process, give byte-identical arrays and printouts (``same_bits_job.py`` lists them).

The set-ups, derived from what this NumPy dispatches on this CPU (feature names differ between
NumPy versions, so none is hard-coded):

- ``default``: NumPy's own dispatch (AVX-512 where the CPU has it), OpenBLAS's own kernels;
- ``no-avx512``: NumPy's AVX-512 targets disabled (``NPY_DISABLE_CPU_FEATURES``), OpenBLAS's
  AVX2 kernels (``OPENBLAS_CORETYPE=Haswell``);
- ``baseline``: every NumPy dispatch target disabled, OpenBLAS's SSE3 kernels, Numba compiling
  for the architecture's baseline CPU (``NUMBA_CPU_NAME``) into a kernel cache of its own;
- ``libc-baseline``: glibc's FMA/AVX2 variants of ``exp``, ``log``, ``pow`` turned off
  (``GLIBC_TUNABLES``) as on an older CPU, with NumPy at its baseline.

On a host without AVX-512, ``no-avx512`` equals ``default`` and the test still compares the AVX2
path with the baseline ones.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import subprocess_env

JOB = Path(__file__).with_name("same_bits_job.py")


def _dispatch() -> tuple[list[str], list[str]]:
    """NumPy's dispatch targets this CPU runs: all of them, and the AVX-512 ones."""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    on = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    return on, [f for f in on if "AVX512" in f or f == "X86_V4"]


def setups(tmp: Path) -> dict[str, dict[str, str]]:
    on, avx512 = _dispatch()
    x86 = platform.machine() in ("x86_64", "AMD64")
    baseline_cpu = "x86-64" if x86 else "generic"
    # OpenBLAS (NumPy's and SciPy's matrix products) picks its kernels by CPU too
    blas = {"no-avx512": "Haswell", "baseline": "Prescott"} if x86 else {}
    out = {
        "default": {},
        "no-avx512": {"NPY_DISABLE_CPU_FEATURES": " ".join(avx512)},
        "baseline": {
            "NPY_DISABLE_CPU_FEATURES": " ".join(on),
            "NUMBA_CPU_NAME": baseline_cpu,
            "FASTSCAN_CACHE_DIR": str(tmp / "baseline-cache"),
        },
    }
    for name, core in blas.items():
        out[name]["OPENBLAS_CORETYPE"] = core
    if sys.platform.startswith("linux") and x86:
        out["libc-baseline"] = {
            "NPY_DISABLE_CPU_FEATURES": " ".join(on),
            "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F,-AVX_Usable,-FMA4",
        }
    return out


def _run(name: str, env: dict[str, str], tmp: Path) -> dict:
    out = tmp / f"{name}.json"
    r = subprocess.run(
        [sys.executable, str(JOB), str(out)],
        env={**subprocess_env(), **env},
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp,
    )
    assert r.returncode == 0, f"{name}: {r.stderr[-3000:]}"
    return json.loads(out.read_text())


def _differences(a: dict, b: dict) -> list[str]:
    diff = []
    for what in sorted(set(a) | set(b)):
        x, y = a.get(what, {}), b.get(what, {})
        for key in sorted(set(x) | set(y)):
            if key != "text" and x.get(key) != y.get(key):
                diff.append(f"{what}:{key}")
    return diff


@pytest.mark.slow
def test_scans_and_printouts_are_byte_identical_across_cpu_setups(tmp_path):
    runs = setups(tmp_path)
    # the default set-up first (it fills the shared kernel cache), then the rest two at a time
    results = {"default": _run("default", runs.pop("default"), tmp_path)}
    with ThreadPoolExecutor(2) as pool:
        done = {name: pool.submit(_run, name, env, tmp_path) for name, env in runs.items()}
        results.update({name: job.result() for name, job in done.items()})
    want = results["default"]
    assert len(want) >= 15 and all(want[p]["exit"] == 0 for p in want if "exit" in want[p])
    for name, got in results.items():
        assert not _differences(want, got), (
            f"{name} differs from default: {_differences(want, got)}"
        )


def test_setups_come_from_numpy_features(tmp_path):
    """The set-ups name only features this NumPy dispatches and this CPU has."""
    on, avx512 = _dispatch()
    s = setups(tmp_path)
    assert set(s["baseline"]["NPY_DISABLE_CPU_FEATURES"].split()) == set(on)
    assert set(s["no-avx512"]["NPY_DISABLE_CPU_FEATURES"].split()) == set(avx512)
    assert all("AVX512" in f or f == "X86_V4" for f in avx512)


PROBE = (
    "import hashlib, math, numpy as np; "
    "x = np.random.default_rng(0).uniform(1e-6, 50, 100000); "
    "libm = [math.exp(v / 8) + math.log(v) + v ** 0.37 for v in x.tolist()]; "
    "A = x[:40 * 40].reshape(40, 40); "
    "print(hashlib.sha256(np.cbrt(x).tobytes()).hexdigest(), "
    "hashlib.sha256(np.array(libm).tobytes()).hexdigest(), "
    "hashlib.sha256((A @ A).tobytes()).hexdigest())"
)


def test_the_setups_move_what_fastscan_avoids(tmp_path):
    """The set-ups are not no-ops: NumPy's own cbrt moves when AVX-512 is turned off (on a CPU
    with it), the C library's exp/log/pow move when its FMA variants are (on a CPU with FMA),
    and OpenBLAS's matrix product moves with its kernels (x86) -- which is why fastscan calls
    none of them on a value it keeps."""
    _, avx512 = _dispatch()
    runs = setups(tmp_path)

    def probe(env: dict[str, str]) -> list[str]:
        r = subprocess.run(
            [sys.executable, "-c", PROBE], env={**os.environ, **env}, capture_output=True, text=True
        )
        assert r.returncode == 0, r.stderr
        return r.stdout.split()

    numpy_default, libm_default, blas_default = probe({})
    if "OPENBLAS_CORETYPE" in runs["baseline"]:
        assert probe(runs["baseline"])[2] != blas_default
    if avx512:
        assert probe(runs["no-avx512"])[0] != numpy_default
    fma = (
        "fma" in Path("/proc/cpuinfo").read_text().split() if Path("/proc/cpuinfo").exists() else 0
    )
    if "libc-baseline" in runs and fma:
        assert probe(runs["libc-baseline"])[1] != libm_default
