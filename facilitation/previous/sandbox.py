"""Reading an uploaded file in a separate process, with limits on its memory and time.

An uploaded file is hostile until read: a 1.5 KB workbook can ask for 49 million cells, a 2 MB
one can unpack to gigabytes, and reading a large file takes seconds of the interpreter that
answers every phone. So the web import never reads a file in the server: a fresh Python process
(`python -m facilitation.previous.sandbox`) gets the bytes on its standard input, lowers its own
limits first (address space IMPORT_MEMORY_MB, processor time IMPORT_TIME_LIMIT), reads the file
with `parsing`, and writes its answer as JSON. Under gevent, waiting for that process is
cooperative, so phones are answered meanwhile. Whatever happens to the process (out of memory,
too slow, a crash of a reader), the facilitator gets one sentence and nothing is stored.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import resource
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from facilitation.operations.errors import Rejected

log = logging.getLogger(__name__)
MB = 1024 * 1024
# Seconds the server waits beyond the processor-time limit (start-up, a process waiting on disk).
GRACE = 10


def read(
    data: bytes,
    filename: str,
    *,
    columns: Mapping[str, str | int | None] | None,
    preview_rows: int | None,
    memory_mb: int,
    seconds: int,
) -> tuple[str, Any]:
    """Read an uploaded file in a limited process: ("preview", table) or ("session", parsed).

    A CSV or XLSX file gives a preview of its first preview_rows rows when preview_rows is set
    (the first step of an import); otherwise, and for text and archives, the parsed session.
    """
    request = {"filename": filename, "columns": dict(columns or {}), "preview_rows": preview_rows}
    command = [sys.executable, "-m", "facilitation.previous.sandbox", str(memory_mb), str(seconds)]
    try:
        done = subprocess.run(
            command,
            input=json.dumps(request).encode() + b"\n" + data,
            capture_output=True,
            timeout=seconds + GRACE,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _too_slow(seconds) from None
    answer = _answer(done.stdout)
    if answer is None:
        log.warning(
            "reading an uploaded file ended with %s: %s", done.returncode, done.stderr[-500:]
        )
    if answer is None or answer.get("problem") == "memory":
        if answer is None and done.returncode in (-24, 152):  # SIGXCPU: processor time is up
            raise _too_slow(seconds)
        if answer is None and done.returncode not in (-9, 1, 137):
            raise _unreadable()
        raise Rejected(
            "Reading this file needs more than %(limit)s MB of memory; nothing was imported.",
            "bad_file",
            limit=memory_mb,
        )
    if answer.get("problem") == "unreadable":
        raise _unreadable()
    if "rejected" in answer:
        refusal = answer["rejected"]
        raise Rejected(refusal["template"], refusal["code"], **refusal["values"])
    if answer["kind"] == "preview":
        return "preview", answer["result"]
    return "session", _session(answer["result"])


def _answer(output: bytes) -> dict | None:
    """The JSON answer the reading process wrote, or None when it wrote none."""
    try:
        answer = json.loads(output)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _too_slow(seconds: int) -> Rejected:
    """The refusal of a file that took too long to read."""
    return Rejected(
        "Reading this file took longer than %(limit)s seconds; nothing was imported.",
        "bad_file",
        limit=seconds,
    )


def _unreadable() -> Rejected:
    """The refusal of a file that made the reader fail."""
    return Rejected("The file cannot be read as CSV, XLSX, text or a session archive.", "bad_file")


def _session(raw: dict) -> Any:
    """A ParsedSession back from its JSON form."""
    from facilitation.previous.parsing import ParsedSession, PreviousIdea

    raw = dict(raw)
    raw["ideas"] = [PreviousIdea(**idea) for idea in raw["ideas"]]
    return ParsedSession(**raw)


def _read_here(request: dict, data: bytes) -> dict:
    """What the reading process answers for one request (run inside the limited process)."""
    from facilitation.previous import parsing

    fmt = parsing.file_format(request["filename"], data)
    preview_rows = request["preview_rows"]
    if preview_rows is not None and fmt in ("csv", "xlsx"):
        table = parsing.read_table(data, fmt)
        guessed = parsing.guess_columns(table)
        return {
            "kind": "preview",
            "result": {
                "header": table.header,
                "rows": [cells for _, cells in table.rows[:preview_rows]],
                "count": len(table.rows),
                "guessed": {
                    name: table.header[i] if i is not None else "" for name, i in guessed.items()
                },
                "encoding": table.encoding,
                "delimiter": table.delimiter,
                "format": fmt,
            },
        }
    parsed = parsing.parse(data, request["filename"], columns=request["columns"] or None, fmt=fmt)
    return {"kind": "session", "result": dataclasses.asdict(parsed)}


def main(argv: list[str]) -> None:
    """The reading process: limit itself, read the request and the file, answer in JSON."""
    memory_mb, seconds = int(argv[1]), int(argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        request = json.loads(sys.stdin.buffer.readline())
        answer = _read_here(request, sys.stdin.buffer.read())
    except Rejected as rejected:
        answer = {
            "rejected": {
                "template": rejected.template,
                "code": rejected.code,
                "values": rejected.values,
            }
        }
    except MemoryError:
        answer = {"problem": "memory"}
    except Exception:  # noqa: BLE001  (a reader failing on a hostile file: the file is unreadable)
        answer = {"problem": "unreadable"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main(sys.argv)
