"""The reporting app's views: the Board portal and PDFs, and insight across assessments."""
