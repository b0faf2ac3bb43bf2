"""Request dependencies: the service context built by create_app, and the paging parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from faturas.services.context import ServiceContext


async def get_context(request: Request) -> ServiceContext:
    # async: a plain ``def`` dependency is run in the thread pool, a hop per request for an attribute.
    context: ServiceContext = request.app.state.context
    return context


Context = Annotated[ServiceContext, Depends(get_context)]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def get_paging(
    limit: Annotated[int, Query(ge=1, le=500, description="Itens por página.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Itens a pular.")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingParams = Annotated[Paging, Depends(get_paging)]
