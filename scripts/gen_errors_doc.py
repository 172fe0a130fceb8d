"""Write docs/errors.md from the error registry (crosscheck/errors.py).

Usage: python scripts/gen_errors_doc.py [PATH]   (default: docs/errors.md; "-" prints it)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosscheck.errors import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
