"""现场照片 of weekly reports and inspections: checks (images), writes (services), reads
(selectors) and the permission-checked view that serves them (views)."""
