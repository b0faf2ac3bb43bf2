"""The least an upload endpoint on the issue's web stack can be, for bench/ingest_floor.py: FastAPI on
uvicorn, one route that reads every uploaded file and answers 202. No middleware, no access control,
no storage, no database: nothing of faturas."""

from __future__ import annotations

from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/api/uploads", status_code=202)
async def upload(files: list[UploadFile]) -> dict[str, list[dict[str, object]]]:
    received = []
    for file in files:
        data = await file.read()
        received.append({"name": file.filename, "size": len(data)})
    return {"jobs": received}
