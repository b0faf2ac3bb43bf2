"""The month a bill refers to (mês de referência)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Three-letter month abbreviations as bills print them ("JAN/2024").
MONTH_ABBREVIATIONS = ("JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ")


@dataclass(frozen=True, order=True)
class ReferenceMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if not 1900 <= self.year <= 2999:
            raise ValueError(f"year out of range: {self.year}")

    @classmethod
    def parse(cls, text: str) -> ReferenceMonth:
        """Parse the ISO form ``YYYY-MM``."""
        year, month = text.split("-")
        return cls(int(year), int(month))

    @classmethod
    def of(cls, day: date) -> ReferenceMonth:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The form bills and pages show: ``JAN/2024``."""
        return f"{MONTH_ABBREVIATIONS[self.month - 1]}/{self.year}"

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def shift(self, months: int) -> ReferenceMonth:
        index = self.year * 12 + self.month - 1 + months
        return ReferenceMonth(index // 12, index % 12 + 1)
