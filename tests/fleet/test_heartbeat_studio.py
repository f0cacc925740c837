"""The heartbeat contract end to end: the kiosk's fleet worker beats to the real studio."""

from __future__ import annotations

import threading
from pathlib import Path

from click.testing import CliRunner
from werkzeug.serving import make_server

from kiosk.fleet.agent import FleetAgent
from kiosk.fleet.launch import FrameStats

SEED = Path(__file__).resolve().parents[2] / "db"


def test_a_kiosk_beats_to_the_studio_and_shows_on_its_dashboard(tmp_path, caplog):
    from kiosk.studio.app import create_app, studio_of
    from kiosk.studio.cli import studio as studio_cli
    from kiosk.studio.dashboard import fleet_status

    app = create_app(tmp_path / "studio", seed_dir=SEED, testing=True)
    studio = studio_of(app)
    made = CliRunner().invoke(studio_cli, ["addkiosk", "lobby-1", "--data", str(studio.data_dir)])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1].strip()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        frames = FrameStats()
        frames.painted()
        agent = FleetAgent(
            tmp_path / "content.db", name="ignored", studio_url=url, studio_token=token,
            frames=frames,
        )  # fmt: skip
        agent.beat()
        assert agent._heartbeat_problem == ""
        status = fleet_status(studio.db)
        assert [(k.name, k.state, k.serial) for k in status] == [("lobby-1", "ok", "local edit")]
        wrong = FleetAgent(tmp_path / "content.db", studio_url=url, studio_token="wrong")
        wrong.beat()
        assert "HTTP 401" in wrong._heartbeat_problem and "studio_token" in caplog.text
    finally:
        server.shutdown()
