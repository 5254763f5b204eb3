"""Who someone is and what they may do: accounts, passwords, signed links, API keys,
permissions, a resident's own data (privacy) and the audit log of decisions."""
