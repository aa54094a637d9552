"""Running the simulator as a process."""

from __future__ import annotations

import uvicorn

from .app import create_simulator_app
from .config import SimulatorConfig


def public_base_url(config: SimulatorConfig, host: str, port: int) -> str:
    """The URL written into bodies: the configured one, or where ``serve`` listens."""
    if config.base_url != SimulatorConfig().base_url:
        return config.base_url
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in reachable:
        reachable = f"[{reachable}]"
    return f"http://{reachable}:{port}"


def serve(config: SimulatorConfig, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the simulator until interrupted."""
    config = config.replace(base_url=public_base_url(config, host, port))
    app = create_simulator_app(config)
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="on", ws="none")
