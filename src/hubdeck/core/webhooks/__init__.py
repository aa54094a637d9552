"""Outgoing and incoming webhooks, pure: Standard Webhooks signatures, the retry schedule and
the rule that disables a failing endpoint, the event catalogue, and the vetting of target
addresses. No I/O: the sender resolves names and hands the addresses in here."""
