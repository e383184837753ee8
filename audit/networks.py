"""Social network profile URLs: which network, which account — and share links are not.

``profile_of("https://www.linkedin.com/company/agence-clairvoyance/")`` →
``Profile("linkedin", "agence-clairvoyance", ...)``; a share or intent link
(``facebook.com/sharer.php``, ``twitter.com/intent/tweet``, ``linkedin.com/shareArticle``,
``pinterest.com/pin/create``) gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

NETWORKS = ("facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "pinterest",
            "mastodon", "bluesky", "threads")
# How people write each network's name (« x » alone reads as a typo or a plural mark).
NETWORK_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "x": "X/Twitter",
                 "linkedin": "LinkedIn", "youtube": "YouTube", "tiktok": "TikTok",
                 "pinterest": "Pinterest", "mastodon": "Mastodon", "bluesky": "Bluesky",
                 "threads": "Threads"}


def network_name(network: str) -> str:
    """The network's name as written for people: « LinkedIn », « X/Twitter »."""
    return NETWORK_NAMES.get(network, network)

# host (without www./m.) -> network
_HOSTS = {
    "facebook.com": "facebook", "fb.com": "facebook", "fb.me": "facebook",
    "instagram.com": "instagram",
    "twitter.com": "x", "x.com": "x",
    "linkedin.com": "linkedin",
    "youtube.com": "youtube", "youtu.be": None,  # youtu.be links videos, not channels
    "tiktok.com": "tiktok",
    "threads.net": "threads", "threads.com": "threads",
    "bsky.app": "bluesky",
}
_PINTEREST = re.compile(r"^pinterest\.[a-z.]+$")
# First path segments that are features of the network, not accounts.
_NOT_ACCOUNTS = {
    "facebook": {"sharer", "sharer.php", "share.php", "dialog", "plugins", "tr", "login",
                 "events", "groups", "watch", "photo", "photo.php", "story.php", "hashtag"},
    "instagram": {"p", "reel", "reels", "explore", "stories", "accounts"},
    "x": {"intent", "share", "home", "search", "hashtag", "i", "login"},
    "linkedin": {"sharearticle", "sharing", "feed", "posts", "pulse", "jobs", "login"},
    "youtube": {"watch", "embed", "shorts", "results", "playlist", "redirect"},
    "tiktok": {"tag", "music", "discover", "embed"},
    "pinterest": {"pin", "search", "ideas"},
    "threads": {"intent", "search"},
    "bluesky": {"intent", "search"},
}
_MASTODON_PATH = re.compile(r"^/@[A-Za-z0-9_.]+/?$")


@dataclass(frozen=True)
class Profile:
    network: str
    account: str  # lower-case handle / page name, for comparing two URLs of one profile
    url: str


def profile_of(url: str, rel_me: bool = False) -> Profile | None:
    """The social profile a URL points to, or None (not a network, or a share link).

    Mastodon runs on any host: a ``/@name`` path counts only with ``rel="me"`` (the
    convention Mastodon itself uses to verify profile links) or on a known instance.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "fr.", "business."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    segments = [s for s in parts.path.split("/") if s]
    network = _HOSTS.get(host)
    if network is None and _PINTEREST.match(host):
        network = "pinterest"
    if network is None:
        if _MASTODON_PATH.match(parts.path) and (rel_me or "mastodon" in host
                                                 or host.endswith((".social", "mstdn.jp"))):
            return Profile("mastodon", f"{segments[0][1:].lower()}@{host}", url)
        return None
    if not segments:
        return None
    first = segments[0].lower()
    if first in _NOT_ACCOUNTS.get(network, set()):
        return None
    if network == "linkedin":
        if first not in ("company", "in", "school", "showcase") or len(segments) < 2:
            return None
        account = f"{first}/{segments[1].lower()}"
    elif network == "youtube":
        if first.startswith("@"):
            account = first
        elif first in ("channel", "c", "user") and len(segments) >= 2:
            account = f"{first}/{segments[1].lower()}"
        else:
            return None
    elif network == "bluesky":
        if first != "profile" or len(segments) < 2:
            return None
        account = segments[1].lower()
    elif network == "facebook" and first == "profile.php":
        account = f"profile.php?{parts.query}"
    else:
        account = first.lstrip("@")
    return Profile(network, account, url)
