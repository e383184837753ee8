"""Scrapy settings: polite, bounded defaults for an unattended audit crawler.

The per-client values (concurrency, delay, robots, user agent, limits, output
files) are set by :class:`spiders.site.SiteSpider` from the client's YAML file.
"""

BOT_NAME = "seo-audit"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

ROBOTSTXT_OBEY = True
USER_AGENT = "seo-audit/0.1 (site audit)"

# Politeness: AutoThrottle adapts to the server's latency, never more than
# CONCURRENT_REQUESTS_PER_DOMAIN in flight on one host.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for the output of every response (100 by
# default: ~7 % of the crawl's CPU on the benchmark site). There is no item pipeline
# that awaits anything here, so a few workers process a page's item and requests as fast.
CONCURRENT_ITEMS = 4
RETRY_TIMES = 2

# Redirects and error statuses are data for the audit: the spider records them
# itself (every hop of a chain becomes a record) instead of letting the
# middlewares follow or drop them.
REDIRECT_ENABLED = False
METAREFRESH_ENABLED = False
HTTPERROR_ALLOW_ALL = True

# Breadth-first, so the crawl meets pages at their shortest click depth first.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# Unattended tool: no local consoles that could run code.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

COOKIES_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {"pagelines": "spiders.exporters.JsonLinesExporter"}  # fast, see the module
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

EXTENSIONS = {"spiders.progress.Progress": 500}
# The Progress extension prints one JSON line per second on stdout when this is set
# (the seo-audit command reads them to draw its progress line).
AUDIT_PROGRESS = False

# Feeds written unbuffered: a killed crawl keeps every record it produced (resume).
FEED_STORAGES = {"": "spiders.resume.LineFileFeedStorage",
                 "file": "spiders.resume.LineFileFeedStorage"}

# getaddrinfo-based: resolves IPv6 hosts and literals (http://[::1]/, AAAA-only sites),
# which Scrapy's default gethostbyname resolver cannot.
DNS_RESOLVER = "scrapy.resolver.CachingHostnameResolver"
