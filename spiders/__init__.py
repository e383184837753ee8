"""The crawl: Scrapy spiders and the pure extraction functions they use."""
