"""The web process loads the rights engine when it starts (config/wsgi.py), not on the first simulation; a
failure there is logged without its message and leaves the web process up."""

import importlib
import logging
import sys

from pacte.screening import simulator


def test_the_web_application_preloads_the_rights_engine(monkeypatch):
    calls = []
    monkeypatch.setattr(simulator, "preload", lambda: calls.append("preload"))
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    wsgi = importlib.import_module("config.wsgi")
    assert calls == ["preload"] and callable(wsgi.application)


def test_the_preload_warms_the_engine_up_with_a_fictitious_household(monkeypatch, caplog):
    from pacte.rights import engine

    seen = []
    monkeypatch.setattr(engine, "warm_up", lambda: seen.append("warm_up"))
    monkeypatch.setattr(engine, "simulate", lambda households, month: seen.append(households[0].id))
    caplog.set_level(logging.INFO, logger="pacte.screening.simulator")
    simulator.preload()
    assert seen == ["warm_up", "prechauffage"]
    assert "rights engine preloaded in" in caplog.text


def test_a_failing_preload_is_logged_by_its_type_only(monkeypatch, caplog):
    from pacte.rights import engine

    def boom():
        raise RuntimeError("1988-03-14")

    monkeypatch.setattr(engine, "warm_up", boom)
    simulator.preload()
    assert "rights engine not preloaded: RuntimeError" in caplog.text and "1988" not in caplog.text
