"""Where an activity takes place: London's Integrated Care Systems and local authorities.

Reference data, loaded on a fresh install (``places.london``) and kept by admins. Assessments
link to local authorities; London-wide is recorded on the assessment itself."""

from django.core.validators import RegexValidator
from django.db import models

GSS_CODE_MESSAGE = "Enter a GSS code of a London local authority, like E09000007."


class IntegratedCareSystem(models.Model):
    """One of London's five Integrated Care Systems, which group its local authorities."""

    key = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "Integrated Care System"

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    """A London borough or the City of London, named by its GSS code."""

    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^E09\d{6}$", GSS_CODE_MESSAGE)],
    )
    name = models.CharField(max_length=100, unique=True)
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="local_authorities",
        verbose_name="Integrated Care System",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name
