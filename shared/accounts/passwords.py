"""Password policy (NIST SP 800-63B style: length and a deny-list, no composition
rules) and argon2id hashing."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 128
# The most common passwords of public breach corpora that satisfy the length rule.
_DENIED = {
    "123456789012",
    "1234567890123",
    "12345678910111",
    "qwertyuiopas",
    "password1234",
    "passwordpassword",
    "iloveyou1234",
    "111111111111",
    "000000000000",
    "123123123123",
    "qwerty123456",
    "abc123456789",
    "letmein12345",
    "welcome12345",
    "administrator",
    "changeme1234",
    "trustno11234",
    "1q2w3e4r5t6y",
    "qazwsxedcrfv",
    "asdfghjkl123",
}


def password_problems(password: str, email: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    if len(set(password)) < 5:
        problems.append("must use at least 5 different characters")
    if password.lower() in _DENIED:
        problems.append("is one of the most common passwords")
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        problems.append("must not contain your email address")
    return problems


class Passwords:
    def __init__(self, time_cost: int = 3, memory_kib: int = 65_536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=2)
        # Verified against when the account does not exist, so a login takes the same
        # time either way and does not reveal which emails are registered.
        self._decoy = self._hasher.hash("decoy password never matches")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._decoy, password) and bool(stored_hash)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
