"""Mail as the domain sees it: delivery (SMTP or a folder), the outbox table, subscriptions
and what is new for whom in the periodic mails. Rendering and sending rounds are in portal/jobs/."""
