"""HubDeck: self-hosted, real-time dashboards of a team's GitHub work."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hubdeck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
