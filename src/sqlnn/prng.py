"""The counter-based integer PRNG of the SQL initialiser and split, in Python (macros/init/_prng.sql).

A state is a residue mod 2^31 - 1 (a product of two fits a signed 64-bit integer). One round
mixes a key component c into the state h: h = (h + c + 1) * a mod m, then h = h^2 + k mod m.
"""

from __future__ import annotations

MODULUS = 2147483647  # 2**31 - 1
MULTIPLIER = 48271
INCREMENT = 1013904223


def mix(h: int, c: int) -> int:
    """One round: a Lehmer step with the component added, then the square."""
    h = ((h + c + 1) * MULTIPLIER) % MODULUS
    return (h * h + INCREMENT) % MODULUS
