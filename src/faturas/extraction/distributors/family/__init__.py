"""Layouts shared by several concessions of one group, read from OCR text (phone photos, screenshots).

Distributor groups print one bill form across their concessions (Equatorial in AL, MA, PA and for
CEEE; CPFL for Piratininga, Santa Cruz and RGE; Neoenergia for Pernambuco, Cosern and Elektro). A
``FamilyLayout`` reads the header first (month, due date and total, which most forms print together
in one box, then the client and installation codes beside their labels) and then the items, and is
parametrised per group by a ``FamilySpec``.
"""

from faturas.extraction.distributors.family.layout import FamilyLayout, FamilySpec

__all__ = ["FamilyLayout", "FamilySpec"]
