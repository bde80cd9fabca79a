"""Settings for the production build: absolute SITEURL, no drafts, everything else from pelicanconf."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("JOURNAL_SITEURL", "https://example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Drafts are read and counted but never written: no page, list, feed or sitemap entry.
JOURNAL_DRAFTS = False
JOURNAL_SEARCH_INDEX = True  # the Pagefind search index (README "Search")
