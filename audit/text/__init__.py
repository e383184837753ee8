"""Text analysis shared by the content rules: tokens, language, spelling, grammar,
readability, keywords. Pure Python over PageItem text; no HTTP, no Scrapy."""
