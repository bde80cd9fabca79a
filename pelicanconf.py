"""Settings for a local preview build (`pelican -s pelicanconf.py` or `journal build`)."""

AUTHOR = "Learning Journal"
SITENAME = "Learning Journal"
SITESUBTITLE = "Notes from learning in public"
SITEURL = "http://127.0.0.1:8000"
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["learning_journal"]

# Posts live anywhere under content/ except the folders below.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "series", "images"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# Hidden files (editor backups, .DS_Store, drafts kept aside) are never content.
IGNORE_FILES = [".*"]

# Clean URLs: /<slug>/ for posts and pages, no .html in links.
# The slug of a post without `slug:`: "title" (Pelican's default), or "basename", its file
# name (a bundle's folder name, without Jekyll's date), as `journal init` blogs have it, so
# that editing a title never moves a post. A title edit here moves the post with a redirect.
SLUGIFY_SOURCE = "title"
# A post whose URL changed since the last build gets a redirect page from the old URL
# (the URLs are kept in JOURNAL_URL_RECORD: commit that file). False: only the warning.
JOURNAL_REDIRECT_MOVED = True
JOURNAL_URL_RECORD = "published-urls.json"
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
ARTICLE_LANG_URL = "{slug}/"
ARTICLE_LANG_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_LANG_URL = DRAFT_URL
DRAFT_LANG_SAVE_AS = DRAFT_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# Categories and authors are not part of this product's URL space.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "archives"]
INDEX_SAVE_AS = "index.html"

# Two posts with the same slug are a collision to report, not translations.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# Future-dated posts are scheduled: they stay out of lists, feeds and series.
WITH_FUTURE_DATES = False
# Posts without a date: "git" (first commit of the file, else mtime), "mtime" or "error".
JOURNAL_MISSING_DATE = "git"

DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50

# Typography is applied by the plugin on prose only; Pelican's own pass must stay off.
TYPOGRIFY = False

# Markdown as CommonMark authors write it (lists right after a paragraph, 2-space nesting, task
# lists, bare links, ~~strike~~, fences anywhere, admonitions, > [!NOTE] alerts, <details>) is the
# plugin's default, added to Pelican's MARKDOWN; set MARKDOWN here only to add extensions.
# JOURNAL_MERMAID = True  # draw ```mermaid diagrams in the browser (loads mermaid from a CDN)

# Feeds are written by the plugin (site, series, tag); Pelican's own stay off locally.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

DELETE_OUTPUT_DIRECTORY = True
RELATIVE_URLS = False

# Builds go to a staging folder that replaces output/ only when the build succeeds.
JOURNAL_ATOMIC_OUTPUT = True
# Strict mode: any skipped post or error fails the build (output/ is left as it was).
JOURNAL_STRICT = False

# --- Series (series helper) ---
# Description files: content/<JOURNAL_SERIES_PATH>/<slug>.md (kept out of ARTICLE_PATHS above).
JOURNAL_SERIES_PATH = "series"
# From this many parts on, the series box folds the middle of the parts list.
JOURNAL_SERIES_COLLAPSE_AFTER = 25
# Every series with a published part as an EPUB at /series/<slug>/<slug>.epub (README, Series e-book).
JOURNAL_EPUB = True

# --- Feeds (plugins/learning_journal/feeds.py; see README, Feeds) ---------------------
# Site feeds at /atom.xml, /rss.xml, /feed.json; every series and tag gets its own. The
# plugin switches Pelican's own FEED_* settings off whatever they say, with a warning.
# FEED_MAX_ITEMS: newest posts kept in the site and tag feeds (None: all). Series feeds
# always hold every published part.
FEED_MAX_ITEMS = 100

# --- Theme (theme/) ---
# Autoescape on: titles are plain text; templates mark content HTML safe explicitly.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "extensions": []}
# The 404 page is a direct template written to 404.html.
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "404"]
# Page 1 of a list keeps its own URL; later pages are <list>/page/<n>/.
INDEX_URL = ""
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Rendering: math, typography, code, links (see README "Writing: math, code, links") ---
# $...$, $$...$$, \(...\) and \[...\] become MathML at build time (no JavaScript needed).
JOURNAL_MATH = True
# Typogrify post bodies only (never code, math, titles); TYPOGRIFY=True above is moved here.
JOURNAL_TYPOGRIFY = True
# article.reading_time = prose words / this, in whole minutes (at least 1).
JOURNAL_WORDS_PER_MINUTE = 220

# --- Fast rebuilds (benchmarks/README.md) ---
# The build cache keeps each post's parsed form under CACHE_PATH (warnings are reported
# again); the writer leaves files whose bytes did not change in place.
JOURNAL_BUILD_CACHE = True
# Pages and feeds are made again only when something they show changed (README, Performance).
JOURNAL_PAGE_MEMO = True

# --- Search (README "Search") ---
# /search/ and its link in the menu; without an index it lists series and tags.
JOURNAL_SEARCH = True
# The Pagefind index: on in publishconf.py (production); off here, so previews stay quick.
JOURNAL_SEARCH_INDEX = False
