"""The settings file: defaults for anything unreadable or out of range."""

from __future__ import annotations


def test_unreadable_settings_file_falls_back_to_defaults_and_is_kept(tmp_path, caplog) -> None:
    from hkdesk.app.settings import AppSettings
    from hkdesk.sources.spec import SourceKind

    (tmp_path / "hkdesk.ini").write_bytes(b"[ui\x00\xff\xfe garbage\n=====\n[[[\ntheme=purple\n\x01\x02")
    with caplog.at_level("WARNING"):
        settings = AppSettings(tmp_path)
    assert settings.theme == "dark" and settings.feed_source is SourceKind.SIMULATOR
    assert (tmp_path / "hkdesk.ini.corrupt").exists()
    assert any("could not be read" in r.getMessage() for r in caplog.records)
    settings.theme = "light"
    settings.q.sync()
    assert AppSettings(tmp_path).theme == "light"


def test_out_of_range_setting_values_fall_back_to_defaults(tmp_path) -> None:
    from hkdesk.app.settings import AppSettings

    (tmp_path / "hkdesk.ini").write_text("[ui]\ntheme=purple\ncolours=rainbow\n[feed]\nplan=platinum\n")
    settings = AppSettings(tmp_path)
    assert (settings.theme, settings.colours, settings.plan) == ("dark", "hk", "free")
