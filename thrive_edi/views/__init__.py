"""Site-wide views: home, error pages, statements, session, and email settings."""
