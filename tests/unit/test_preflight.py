"""The check before Qt loads: a missing library or screen is named in plain words."""

from __future__ import annotations

from chair_app.gui import preflight


def test_missing_libraries_are_named_by_their_debian_package(tmp_path, monkeypatch):
    for name in ("libGL.so.1", "libEGL.so.1", "libfontconfig.so.1", "libxkbcommon.so.0", "libdbus-1.so.3"):
        (tmp_path / name).touch()
    monkeypatch.setattr(preflight, "LIBRARY_DIRS", (str(tmp_path), str(tmp_path / "absent")))
    assert preflight.missing_packages("offscreen") == ["libglib2.0-0"]
    assert "libxcb-cursor0" in preflight.missing_packages("xcb")


def test_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight, "LIBRARY_DIRS", (str(tmp_path),))
    monkeypatch.setattr(preflight, "_ldconfig_libraries", lambda: {"libGL.so.1"})  # an empty folder: ask ldconfig
    monkeypatch.setattr(preflight.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    message = preflight.problem()
    assert message.startswith("Qt needs system libraries that are not installed: sudo apt-get install libegl1")
    assert "libgl1" not in message.split(":", 1)[1].split()


def test_no_screen_is_said_in_plain_words(monkeypatch):
    monkeypatch.setattr(preflight.sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert preflight.problem().startswith("no screen: the window needs a desktop session")


def test_a_qt_import_error_names_the_library():
    error = ImportError("libxkbcommon.so.0: cannot open shared object file: No such file or directory")
    assert "libxkbcommon.so.0" in preflight.explain_import_error(error)
