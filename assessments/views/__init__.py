"""The assessments app's views: an assessment and its sections, its review, and review rounds."""
