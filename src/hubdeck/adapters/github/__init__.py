"""The GitHub adapter: an httpx client of GitHub's REST API and OAuth endpoints.

``GitHubClient`` returns HubDeck's domain values (``hubdeck.core.github.models``) and raises
the errors of ``hubdeck.core.github.errors``; ``ETagStore`` keeps what conditional GETs need in
the ``Cache`` port.
"""

from hubdeck.adapters.github.client import GitHubClient
from hubdeck.adapters.github.etags import CachedAnswer, ETagStore, credential_id
from hubdeck.adapters.github.oauth import OAuthToken, authorize_url, code_challenge
from hubdeck.adapters.github.rest import GitHubResponse, RestClient, Result, parse_links

__all__ = [
    "CachedAnswer",
    "ETagStore",
    "GitHubClient",
    "GitHubResponse",
    "OAuthToken",
    "RestClient",
    "Result",
    "authorize_url",
    "code_challenge",
    "credential_id",
    "parse_links",
]
