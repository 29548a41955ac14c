"""What the search of assessments reads: one document per assessment, kept up to date on save."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from assessments.models.assessment import Assessment


class SearchDocument(models.Model):
    """The searchable text of an assessment: its title, summary, partners, answers and actions.

    ``body`` is matched with ``icontains`` on SQLite; on PostgreSQL ``vector`` holds its
    full-text form, behind a GIN index made by the migration (PostgreSQL only).
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Search document of {self.assessment_id}"
