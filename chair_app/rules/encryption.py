"""Whether a laptop's database is to be encrypted at rest, as policy (issue 14; the mechanism is store/keys.py).

``[encryption]`` in the policy:

- ``laptop_databases_encrypted`` (true/false): a plain SQLite database opened by the window is offered for
  conversion to an encrypted one (to an administrator, who alone may convert it);
- ``ask_again_days``: after "Not now" the window asks again once this many days have passed.

Left out, the section means: encrypted, asked again after 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KNOWN_ENCRYPTION: dict[str, Any] = {"laptop_databases_encrypted": None, "ask_again_days": None}


@dataclass(frozen=True)
class EncryptionPolicy:
    laptop_databases_encrypted: bool = True
    ask_again_days: int = 7


def read_encryption(data: dict[str, Any], source: str) -> EncryptionPolicy:
    from chair_app.rules.policy import PolicyError

    section = data.get("encryption", {})
    if not isinstance(section, dict):
        raise PolicyError(f"policy {source}: encryption: must be a table ([encryption])")
    wanted = section.get("laptop_databases_encrypted", EncryptionPolicy.laptop_databases_encrypted)
    if not isinstance(wanted, bool):
        raise PolicyError(f"policy {source}: encryption.laptop_databases_encrypted: must be true or false")
    days = section.get("ask_again_days", EncryptionPolicy.ask_again_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise PolicyError(f"policy {source}: encryption.ask_again_days: must be a whole number from 1 to 365")
    return EncryptionPolicy(wanted, days)


def encryption_of(policy) -> EncryptionPolicy:
    return read_encryption(policy.raw, policy.source)
