"""``hkdesk alerts import|export|list|log`` on a config folder, as a desk would script them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from decimal import Decimal as D

import pytest
from tapes import Tape, alert, at

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.store import AlertStore
from hkdesk.cli import main
from hkdesk.domain.sessions import hk_now

CANONICAL = """symbol,kind,value,minutes,repeat
700.HK,above,400.20,,once
700.HK,below,380,,15
5.HK,change_above,3,,once
5.HK,change_below,-2.5,,once
9988.HK,move,1.5,5,10
HSI,volume_surge,3,5,30
"""


def alerts_cli(cfg, *args: str) -> int:
    return main(["alerts", *args, "--config-dir", str(cfg)])


def test_import_then_export_gives_the_same_rows(tmp_path, capsys) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(CANONICAL, encoding="utf-8")
    assert alerts_cli(tmp_path / "cfg", "import", str(src)) == 0
    assert "imported 6 alert(s)" in capsys.readouterr().out
    assert alerts_cli(tmp_path / "cfg", "export", str(out)) == 0
    assert out.read_text(encoding="utf-8") == CANONICAL
    assert alerts_cli(tmp_path / "cfg", "import", str(src)) == 0  # a second import adds nothing
    assert "imported 0 alert(s)" in capsys.readouterr().out


def test_symbols_are_normalised_and_the_header_is_optional(tmp_path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("00700,ABOVE,400,,once\n\n0005.HK,move,2,3,ONCE\n", encoding="utf-8-sig")
    assert alerts_cli(tmp_path, "import", str(src)) == 0
    store = AlertStore.in_folder(tmp_path)
    assert [(a.symbol, a.kind.value, a.minutes) for a in store.alerts()] == [
        ("700.HK", "above", None),
        ("5.HK", "move", 3),
    ]
    store.close()


def test_a_bad_line_is_reported_by_number_and_nothing_is_imported(tmp_path, capsys) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(
        "symbol,kind,value,minutes,repeat\n"
        "700.HK,above,400,,once\n"
        "tencent,above,400,,once\n"  # line 3
        "700.HK,sideways,1,,once\n"  # line 4
        "700.HK,move,2,,once\n"  # line 5: no minutes
        "700.HK,above,4OO,,once\n"  # line 6
        "700.HK,below,390,,sometimes\n"  # line 7
        "700.HK,above,400,5,once\n"  # line 8: minutes on a price alert
        "700.HK,volume_surge,3,45,once\n"  # line 9: window too long
        "700.HK,above,400\n",  # line 10
        encoding="utf-8",
    )
    assert alerts_cli(tmp_path, "import", str(src)) == 2
    err = capsys.readouterr().err
    for line in range(3, 11):
        assert f"line {line}: " in err
    assert "line 2:" not in err and "nothing imported" in err
    assert "unknown kind 'sideways'" in err and "not a Hong Kong code: 'tencent'" in err
    store = AlertStore.in_folder(tmp_path)
    assert store.alerts() == []
    store.close()


def test_a_missing_file_or_wrong_header_is_refused(tmp_path, capsys) -> None:
    assert alerts_cli(tmp_path, "import", str(tmp_path / "none.csv")) == 2
    assert "cannot read" in capsys.readouterr().err
    src = tmp_path / "h.csv"
    src.write_text("symbol,kind,value\n700.HK,above,400,,once\n", encoding="utf-8")
    assert alerts_cli(tmp_path, "import", str(src)) == 2
    assert "line 1: the header must be symbol,kind,value,minutes,repeat" in capsys.readouterr().err


def test_list_shows_rules_and_state(tmp_path, capsys) -> None:
    store = AlertStore.in_folder(tmp_path)
    store.add([alert("above", "400", id=0), alert("move", "2", minutes=5, repeat=10, id=0, paused=True)])
    (fired,) = AlertEvaluator(store.alerts()[:1]).evaluate([Tape().trade(at(10, 0), "400")])
    store.record([(fired, 1.0)], "simulator")
    store.close()
    assert alerts_cli(tmp_path, "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "symbol", "kind", "rule", "repeat", "state"]
    assert "price ≥ 400" in out[1] and "fired 2026-03-02 10:00:00, spent" in out[1]
    assert "move ≥ 2% within 5 min" in out[2] and out[2].rstrip().endswith("paused")


def _logged(store: AlertStore, hh: int, mm: int, price: str) -> None:
    when = hk_now().replace(hour=hh, minute=mm, second=0, microsecond=0).timestamp()
    (a,) = store.add([alert("above", price, id=0)])
    (event,) = AlertEvaluator([a]).evaluate([Tape().trade(at(hh, mm), price)])
    store.record([(event, when)], "simulator")


def test_log_since_a_time_today_as_a_table_and_as_csv(tmp_path, capsys) -> None:
    store = AlertStore.in_folder(tmp_path)
    _logged(store, 9, 45, "400.2")
    _logged(store, 10, 45, "401.4")
    store.close()
    assert alerts_cli(tmp_path, "log") == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 3 and "400.2" in table[1] and "401.4" in table[2]
    assert alerts_cli(tmp_path, "log", "--since", "10:30", "--csv") == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "logged_at,source,symbol,kind,condition,price,exchange_time,alert_id"
    assert len(rows) == 2
    logged, source, symbol, kind, condition, price, trade_time, alert_id = rows[1].split(",")
    assert datetime.fromisoformat(logged).strftime("%H:%M %z") == "10:45 +0800"
    assert (source, symbol, kind, condition, D(price), alert_id) == (
        "simulator",
        "700.HK",
        "above",
        "price ≥ 401.4",
        D("401.4"),
        "2",
    )
    assert trade_time == "2026-03-02T10:45:00.000+08:00"


def test_an_unusable_alerts_file_is_reported(tmp_path, capsys) -> None:
    (tmp_path / "alerts.db").write_bytes(b"this is not a database" * 100)
    assert alerts_cli(tmp_path, "list") == 2
    err = capsys.readouterr().err
    assert "cannot open the alerts file" in err and "not a database" in err


@pytest.mark.parametrize("since", ["10", "25:00", "10:5", "ten:30", "10:60"])
def test_a_bad_since_is_refused(tmp_path, capsys, since) -> None:
    assert alerts_cli(tmp_path, "log", "--since", since) == 2
    assert "--since takes a Hong Kong time today as HH:MM" in capsys.readouterr().err


def test_the_installed_command_with_the_config_dir_before_the_verb(tmp_path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(CANONICAL, encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "hkdesk", "--config-dir", str(tmp_path / "cfg"), "alerts"]
    done = subprocess.run([*cmd, "import", str(src)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([*cmd, "list"], capture_output=True, text=True, env=env, timeout=60)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 7
    assert (tmp_path / "cfg" / "alerts.db").exists()
