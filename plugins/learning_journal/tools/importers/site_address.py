"""The production address of an imported blog. The old site's own address (Hugo `baseURL`,
Jekyll `url` + `baseurl`, Astro `site` + `base`, Gatsby `siteUrl` + `pathPrefix`) becomes the
default SITEURL of publishconf.py while that file still has the starter's placeholder, so the
production build's feeds, canonical links and feed ids point where the old site was. An address
the author set is never replaced; JOURNAL_SITEURL, when set, still wins at build time.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

PLACEHOLDER = "https://example.org"
# The starter's line: SITEURL = os.environ.get("JOURNAL_SITEURL", "<address>")
STARTER_LINE = re.compile(
    r"""^SITEURL\s*=\s*os\.environ\.get\(\s*(["'])JOURNAL_SITEURL\1\s*,\s*(["'])(?P<address>[^"'\n]*)\2\s*\)[ \t]*$""",
    re.M,
)
ANY_SITEURL = re.compile(r"^SITEURL\s*=", re.M)
# What may be written into publishconf.py as a Python string: no quote, backslash or space.
SAFE_ADDRESS = re.compile(r"https?://[^\s\"'\\]+")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"}
# The addresses themes' example sites ship with (Hugo's `baseURL = "https://example.org/"`).
EXAMPLE_HOSTS = {f"{www}example.{tld}" for www in ("", "www.") for tld in ("org", "com", "net")}


def is_not_public(address: str) -> bool:
    """http://localhost:4000, 127.0.0.1, https://example.org: where the old site was
    previewed, or a theme's example value; not where it was published."""
    host = (urlsplit(address).hostname or "").lower()
    return (
        host in LOCAL_HOSTS
        or host in EXAMPLE_HOSTS
        or host.endswith((".localhost", ".local"))
        or host.startswith("127.")
    )


def adopt_address(site, publishconf: Path, written_before: str | None) -> tuple[list[str], str | None]:
    """(report lines, the address this import wrote into publishconf.py, if any).

    publishconf.py is changed only when its SITEURL is the starter's placeholder, or the
    address an earlier import wrote (`written_before`), so the author's own is kept."""
    old = site.base_url + site.base_path if site.base_url else ""
    where = site.address_keys
    if not old or is_not_public(old):
        said = f"is {old}, a local or example address" if old else "is not given"
        return [
            f"The old site's address ({where}) {said}: set the address the blog is published at, "
            f'in publishconf.py (SITEURL = os.environ.get("JOURNAL_SITEURL", "https://you.example/blog")) '
            "or as JOURNAL_SITEURL when building; the old feed ids are paths, completed with it."
        ], written_before
    if not SAFE_ADDRESS.fullmatch(old):
        return [f"The old site's address ({where}) is not a plain web address; set SITEURL in publishconf.py"], None
    try:
        text = publishconf.read_text(encoding="utf-8")
    except OSError:
        return [f"publishconf.py not found: set SITEURL to the old site's address {old} for production builds"], None
    match = STARTER_LINE.search(text)
    current = match["address"].rstrip("/") if match else None
    if current == old:
        return [f"Production address: {old} (publishconf.py, the old site's address)."], written_before
    ours = current is not None and current in {PLACEHOLDER, written_before}
    if not ours or len(ANY_SITEURL.findall(text)) != 1:
        return [
            f"publishconf.py sets its own SITEURL, left as it is; the old site was at {old} "
            "(its feed ids keep that address)."
        ], written_before
    start, end = match.span("address")
    publishconf.write_text(text[:start] + old + text[end:], encoding="utf-8")
    return [
        f"Production address: publishconf.py now gives SITEURL {old}, the old site's ({where}), so "
        "feeds and canonical links point there; JOURNAL_SITEURL, when set, still wins."
    ], old
