"""What municipal officers see and decide: partners, gaps and figures (insight), the dashboard
map, exports, and the moderation queue."""
