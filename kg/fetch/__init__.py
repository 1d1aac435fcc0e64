"""`kg fetch`: the council's public record (decision pages, protocol PDFs) into a local cache.

robots.py reads robots.txt; client.py is the one polite HTTP client (pace, User-Agent,
redirects within the site, Retry-After, timeouts, conditional requests); cache.py keeps each
file with its sidecar record; page.py reads a fetched page (charset, decision line, links);
plan.py says which addresses to ask for; run.py walks them. Nothing here touches the store:
`kg load DIR` reads what was fetched.
"""
