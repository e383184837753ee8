"""SEO / SEA / SMO audit: checks crawled pages and writes the reports. Never imports Scrapy."""

__version__ = "0.1.0"
