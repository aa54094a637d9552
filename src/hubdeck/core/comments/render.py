"""Markdown to HTML that is safe to put in a page.

markdown-it-py renders CommonMark with raw HTML turned off (``<script>`` comes out as text)
and refuses ``javascript:``, ``vbscript:``, ``file:`` and most ``data:`` links. On top of that,
links open in a new tab without giving it this page (``rel="noopener noreferrer nofollow"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")  # images from anywhere would let a comment track its readers


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    token.attrSet("rel", "noopener noreferrer nofollow")
    token.attrSet("target", "_blank")
    rendered: str = self.renderToken(tokens, idx, options, env)
    return rendered


_md.add_render_rule("link_open", _link_open)


def render_markdown(body: str) -> str:
    html: Any = _md.render(body)
    return str(html)
