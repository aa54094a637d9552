"""The GitHub simulator: a real HTTP server speaking the part of GitHub HubDeck uses.

It is a separate ASGI app and imports nothing from the rest of HubDeck. ``create_simulator_app``
builds it, ``serve`` runs it with uvicorn (the ``hubdeck simulator`` command calls it).
"""

from .app import Simulator, create_simulator_app
from .config import OAuthApp, SimulatorConfig
from .server import serve

__all__ = ["OAuthApp", "Simulator", "SimulatorConfig", "create_simulator_app", "serve"]
