"""Work outside a visitor's request: the cron rounds (digests, freshness reminders, retention),
notifications, and the one way mail is rendered and queued (`mailer`)."""
