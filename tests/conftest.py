"""Shared test settings: the hypothesis profiles and the ``slow`` marker.

``make test`` runs everything with the ``fastscan`` profile; ``HYPOTHESIS_PROFILE=thorough``
draws ten times more examples, and ``pytest -m "not slow"`` leaves out the tests that take
seconds (fresh processes, kills, clusters) for a quick loop while editing.
"""

from __future__ import annotations

import os
import tempfile

# one private kernel cache for this process and every fastscan subprocess the tests start
# (helpers.subprocess_env): the suite compiles the kernels once, not once here and once there;
# set before anything imports fastscan (its cache folder is read at import)
os.environ.setdefault(
    "FASTSCAN_CACHE_DIR", os.path.join(tempfile.gettempdir(), f"fastscan-test-{os.getuid()}")
)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# deadline=None: the first example of a test compiles (or loads) kernels
settings.register_profile("fastscan", deadline=None, max_examples=40, print_blob=True)
settings.register_profile("thorough", deadline=None, max_examples=400, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fastscan"))


CREDS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="session")
def s3():
    """A moto S3 server on 127.0.0.1 with an empty bucket; the endpoint's storage option."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    old = {k: os.environ.get(k) for k in (*CREDS, "AWS_DEFAULT_REGION")}
    os.environ.update(CREDS, AWS_DEFAULT_REGION="us-east-1")
    import s3fs

    s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}).mkdir("bucket")
    yield endpoint
    server.stop()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
