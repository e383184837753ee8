"""Social profile URLs are recognised per network; share and content links are not profiles."""

from __future__ import annotations

import pytest

from audit.networks import profile_of


@pytest.mark.parametrize(("url", "network", "account"), [
    ("https://www.facebook.com/AgenceClairvoyance/", "facebook", "agenceclairvoyance"),
    ("https://instagram.com/agenceclairvoyance", "instagram", "agenceclairvoyance"),
    ("https://x.com/clairvoyance_fr", "x", "clairvoyance_fr"),
    ("https://twitter.com/clairvoyance_fr", "x", "clairvoyance_fr"),
    ("https://fr.linkedin.com/company/agence-clairvoyance/", "linkedin",
     "company/agence-clairvoyance"),
    ("https://www.youtube.com/@AgenceClairvoyance", "youtube", "@agenceclairvoyance"),
    ("https://www.youtube.com/channel/UC123abc", "youtube", "channel/uc123abc"),
    ("https://www.tiktok.com/@clairvoyance", "tiktok", "clairvoyance"),
    ("https://www.pinterest.fr/clairvoyance/", "pinterest", "clairvoyance"),
    ("https://bsky.app/profile/clairvoyance.bsky.social", "bluesky",
     "clairvoyance.bsky.social"),
    ("https://www.threads.net/@clairvoyance", "threads", "clairvoyance"),
    ("https://mastodon.social/@clairvoyance", "mastodon", "clairvoyance@mastodon.social"),
])
def test_profiles(url: str, network: str, account: str) -> None:
    p = profile_of(url)
    assert p is not None and (p.network, p.account) == (network, account)


@pytest.mark.parametrize("url", [
    "https://www.facebook.com/sharer/sharer.php?u=https://www.exemple.fr/",
    "https://twitter.com/intent/tweet?text=Bonjour",
    "https://www.linkedin.com/shareArticle?mini=true&url=x",
    "https://www.pinterest.com/pin/create/button/?url=x",
    "https://www.youtube.com/watch?v=abc",
    "https://www.instagram.com/p/Cx1/",
    "https://www.linkedin.com/feed/",
    "https://www.exemple.fr/@equipe",  # a /@ path elsewhere: Mastodon only with rel="me"
    "https://www.exemple.fr/contact.html",
])
def test_not_profiles(url: str) -> None:
    assert profile_of(url) is None


def test_mastodon_on_any_host_with_rel_me() -> None:
    p = profile_of("https://piaille.fr/@clairvoyance", rel_me=True)
    assert p is not None and p.network == "mastodon"
