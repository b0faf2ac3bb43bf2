"""Synthetic electricity bills: invented values rendered in a real distributor's page layout.

Used by property tests (render, read back, compare) and benchmarks that need many distinct bills.
"""

from faturas.synthetic.batch import write_bills
from faturas.synthetic.bill import BillItem, Holder, ItemTaxes, SyntheticBill
from faturas.synthetic.cemig_danf3e import render_cemig_danf3e
from faturas.synthetic.random_values import random_bill

__all__ = ["BillItem", "Holder", "ItemTaxes", "SyntheticBill", "random_bill", "render_cemig_danf3e", "write_bills"]
