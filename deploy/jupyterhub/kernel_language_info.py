"""Record the Python kernel's language_info in its kernelspec, for Dasi to copy into notebooks.

    <learners' environment>/bin/python deploy/jupyterhub/kernel_language_info.py

Run by the learners' environment's own Python after its packages are installed (`make singleuser`,
the single-user image). JupyterLab writes the kernel's ``language_info`` and ``kernelspec`` into
a notebook's metadata when its kernel connects; a notebook whose metadata differs opens with the
"unsaved" mark. The kernelspec API (``/api/kernelspecs``) shows the kernelspec's ``metadata``, so
Dasi reads the exact values there when it copies an exercise in. Standard library and ipykernel
only; idempotent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ipykernel.ipkernel import IPythonKernel

spec_file = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
spec = json.loads(spec_file.read_text())
spec.setdefault("metadata", {}).setdefault("dasi", {})["language_info"] = dict(
    IPythonKernel.language_info
)
spec_file.write_text(json.dumps(spec, indent=1) + "\n")
print(f"{spec_file}: language_info {IPythonKernel.language_info['version']}")
