"""Every distributor faturas reads. Add a distributor here once its package has layouts."""

from faturas.extraction.distributors import (
    ceee,
    celesc,
    cemig,
    coelba,
    copel,
    cosern,
    cpfl,
    edp,
    elektro,
    enel,
    energisa,
    equatorial,
    light,
    neoenergia,
    rge,
)
from faturas.extraction.distributors.base import Distributor

DISTRIBUTORS: tuple[Distributor, ...] = (
    cemig.DISTRIBUTOR,
    energisa.DISTRIBUTOR,
    copel.DISTRIBUTOR,
    celesc.DISTRIBUTOR,
    cpfl.DISTRIBUTOR,
    coelba.DISTRIBUTOR,
    # Groups read from images (phone photos and screenshots) so far.
    light.DISTRIBUTOR,
    enel.DISTRIBUTOR,
    equatorial.DISTRIBUTOR,
    ceee.DISTRIBUTOR,
    edp.DISTRIBUTOR,
    rge.DISTRIBUTOR,
    cosern.DISTRIBUTOR,
    neoenergia.DISTRIBUTOR,
    elektro.DISTRIBUTOR,
)
