"""A plausible register for demonstrations and benchmarks: the same register for the same seed.

Two steps: ``plan_register(n, seed)`` draws the register as plain data (``plan``), and
``write_register(plan)`` writes it in bulk (``write``). The place is Wyre Forest and its
county, as in seed 000, and the mix of geography levels follows that report's Table 1.
The vocabulary is data: ``portal/content/demo/register.yaml``.
"""

from .plan import REFERENCE_DATE, plan_register
from .write import seed, write_register

__all__ = ["REFERENCE_DATE", "plan_register", "seed", "write_register"]
