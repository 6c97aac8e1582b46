"""Serve Ralph's LRS API with its file-system backend (run with Ralph's Python).

Ralph 5.1's file-system LRS backend writes each POST with the data backend's default
operation, CREATE, which refuses an existing file: every POST after the first would fail.
Appending is what an LRS on one file needs, so it is made the default before the app loads.
Usage: python ralph_server.py HOST PORT
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
