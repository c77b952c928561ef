"""The operator's pages: the status page, one page per handoff, Retry, and who may use them."""
