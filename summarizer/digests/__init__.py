"""Daily digests: many articles briefed concurrently, grouped into stories, synthesised with citations."""
