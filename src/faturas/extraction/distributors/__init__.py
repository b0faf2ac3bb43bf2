"""Every distributor faturas reads. Add a distributor here once its package has layouts."""

from faturas.extraction.distributors import celesc, cemig, coelba, copel, cpfl, energisa
from faturas.extraction.distributors.base import Distributor

DISTRIBUTORS: tuple[Distributor, ...] = (
    cemig.DISTRIBUTOR,
    energisa.DISTRIBUTOR,
    copel.DISTRIBUTOR,
    celesc.DISTRIBUTOR,
    cpfl.DISTRIBUTOR,
    coelba.DISTRIBUTOR,
)
