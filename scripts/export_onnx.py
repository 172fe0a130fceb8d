"""Export the embedder and the NLI cross-encoder to ONNX (see :mod:`crosscheck.inference.export`).

Usage: python scripts/export_onnx.py [--nli MODEL_DIR] [--embedder MODEL_DIR] [--out DIR] [--ship int8|fp32]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosscheck.inference.export import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
