"""No credential of the user's is ever stored or printed.

A cube's ``command`` attribute, ``fastscan info``, every "continue with" / "resume with" hint and
every error naming a store show the command line and URLs with credentials left out: the value
of any ``--storage-option`` whose name says it is one (key, secret, token, password, ...) and
the ``user:password@`` of a URL. The option stays named, so the user sees what to give again.
"""

from __future__ import annotations

import re

HIDDEN = "<hidden>"
# a --storage-option name that holds a credential: s3fs's key / secret / token, gcsfs's token,
# adlfs's account_key / sas_token / client_secret, passwords, and anything named like them
_SECRET_NAME = re.compile(
    r"(key|secret|token|passw|pwd|credential|auth|session|signature|sas|private|cookie)",
    re.IGNORECASE,
)
# scheme://user:password@host  (also user@host with a token as user name: left as is, no ':')
_URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^/@:\s]*):[^/@\s]*@")
_OPTION = "--storage-option"


def is_secret_name(name: str) -> bool:
    """Whether a storage option of this name holds a credential."""
    return bool(_SECRET_NAME.search(name))


def redact_url(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@`` left out."""
    return _URL_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{HIDDEN}@", str(text))


def _storage_item(item: str) -> str:
    name, sep, value = item.partition("=")
    if sep and is_secret_name(name):
        return f"{name}={HIDDEN}"
    return redact_url(item)


def redact_argv(argv: list[str]) -> list[str]:
    """A command line (as a list) with every credential left out, options kept named."""
    out: list[str] = []
    after_option = False
    for arg in argv:
        if after_option:
            out.append(_storage_item(arg))
            after_option = False
        elif arg == _OPTION:
            out.append(arg)
            after_option = True
        elif arg.startswith(_OPTION + "="):
            out.append(f"{_OPTION}={_storage_item(arg[len(_OPTION) + 1 :])}")
        else:
            out.append(redact_url(arg))
    return out


def redact_options(options: dict) -> dict:
    """Storage options as they may be shown: credential values left out."""
    return {k: HIDDEN if is_secret_name(k) else redact_url(str(v)) for k, v in options.items()}
