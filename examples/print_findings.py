"""Print the findings over the bundled Assad reports (7-16 December 2024).

    python examples/print_findings.py
"""

from pathlib import Path

import crosscheck

reports = crosscheck.Report.from_jsonl(Path(__file__).with_name("assad.jsonl"))
result = crosscheck.check(reports)
print(result.summary())
print()
print("Stance of each report per topic:")
print(result.topics.drop(columns=["label"]).to_string(index=False))
