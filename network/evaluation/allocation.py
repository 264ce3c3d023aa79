"""以奖代补: the reward budget shared among qualifying venues, to the yuan, summing exactly.

Each qualifying venue's exact share is budget × (score − line) / Σ(score − line) (equal shares
when every qualifying venue sits exactly on the line). Shares are floored to the yuan, and the
yuan left over go one each to the largest remainders (Hamilton's largest-remainder method), ties
broken by the higher score, then the venue code: the same input always gives the same split.
"""

from fractions import Fraction


def allocate(budget, candidates, line):
    """`candidates`: [(key, score, tie_break)] of the qualifying venues; returns {key: yuan}.

    Σ of the result equals `budget` whenever there is a candidate, else the result is empty."""
    if budget < 0:
        raise ValueError("budget must not be negative")
    if not candidates:
        return {}
    excess = {key: Fraction(score) - Fraction(line) for key, score, _tie in candidates}
    weight_sum = sum(excess.values())
    if weight_sum == 0:
        excess = {key: Fraction(1) for key in excess}
        weight_sum = Fraction(len(excess))
    exact = {key: Fraction(budget) * share / weight_sum for key, share in excess.items()}
    shares = {key: int(value) for key, value in exact.items()}  # floor: all values ≥ 0
    left = budget - sum(shares.values())
    order = sorted(
        candidates,
        key=lambda c: (-(exact[c[0]] - shares[c[0]]), -Fraction(c[1]), c[2]),
    )
    for key, _score, _tie in order[:left]:
        shares[key] += 1
    return shares
