"""Reading the web for digests: feeds and article pages fetched as a careful crawler would.

``fetch`` (HTTP under robots.txt, per-host limits, timeouts and body caps), ``safety`` (which
addresses may be fetched), ``feeds`` (RSS, Atom, JSON Feed), ``pages`` (bytes to articles, as files
are read), ``reader`` (a feed's entries to articles, with a report) and ``subscriptions`` (OPML or
TOML lists of feeds).
"""
