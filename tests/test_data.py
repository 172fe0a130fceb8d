import datetime as dt
import json

import pandas as pd
import pytest

from crosscheck import InputError, Report, ReportError
from crosscheck.data import MAX_REPORT_CHARS, as_reports


def test_report_defaults_and_aware_time():
    r = Report("x", "Damascus fell.", published="2024-12-08T09:00:00+03:00")
    assert r.source == "x"
    assert r.published.utcoffset() == dt.timedelta(hours=3)


@pytest.mark.parametrize("text", ["", "   \n\t", None, 42, b"bytes"])
def test_bad_text(text):
    with pytest.raises(ReportError) as exc:
        Report("bad", text)
    assert "bad" in str(exc.value)


def test_naive_and_unparseable_dates():
    with pytest.raises(ReportError, match="E004"):
        Report("n", "Text here.", published=dt.datetime(2024, 12, 8, 9))
    with pytest.raises(ReportError, match="E003"):
        Report("u", "Text here.", published="the day after Sunday")
    with pytest.raises(ReportError, match="E004"):
        Report("d", "Text here.", published="2024-12-08T09:00:00")


def test_oversized_report_raises_not_truncates():
    with pytest.raises(ReportError, match="E006"):
        Report("big", "a" * (MAX_REPORT_CHARS + 1))


def test_five_megabyte_report_is_refused_clearly():
    with pytest.raises(ReportError, match="split it"):
        Report("huge", "Assad left. " * 450_000)


def test_duplicate_ids_and_single_item():
    with pytest.raises(InputError, match="duplicate"):
        as_reports([Report("a", "One thing."), Report("a", "Other thing.")])
    with pytest.raises(InputError):
        as_reports("just a string")


def test_loaders(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("Assad left Syria.", encoding="utf-8")
    assert Report.from_file(p).id == "r"
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(ReportError, match="UTF-8"):
        Report.from_file(bad)
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(ReportError, match="binary"):
        Report.from_file(binary)
    jl = tmp_path / "r.jsonl"
    jl.write_text('{"id": "a", "text": "One.", "extra": 1}\n\n{"text": "Two."}\n', encoding="utf-8")
    reps = Report.from_jsonl(jl)
    assert [r.id for r in reps] == ["a", "r-3"]
    assert reps[0].metadata == {"extra": 1}
    df = pd.DataFrame({"text": ["A b c.", "D e f."], "source": ["X", None]})
    reps = Report.from_dataframe(df)
    assert [r.id for r in reps] == ["0", "1"] and reps[1].source == "1"
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json}\n", encoding="utf-8")
    with pytest.raises(InputError, match="broken.jsonl:1"):
        Report.from_jsonl(broken)


def test_errors_share_one_root():
    import crosscheck

    for cls in (crosscheck.ReportError, crosscheck.InputError, crosscheck.ModelNotFoundError, crosscheck.DatasetError):
        assert issubclass(cls, crosscheck.CrosscheckError)


def test_jsonl_text_may_hold_raw_unicode_line_separators(tmp_path):
    # json.dumps(..., ensure_ascii=False) writes U+2028 and U+2029 raw; str.splitlines() cut the record there (E010)
    path = tmp_path / "u.jsonl"
    texts = ["Line one\u2028line two. The dam broke.", "Para\u2029two\x85three."]
    path.write_text("\r\n".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) for i, t in enumerate(texts)),
                    encoding="utf-8")
    assert [r.text for r in Report.from_jsonl(path)] == texts  # lines end at \n (a \r before it is JSON space)
