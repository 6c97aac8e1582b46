"""Centres: each career-transition centre is a Wagtail Site with its own branding and catalogue."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from lms.caching import AnonymousPageCacheMixin, CachedViewRestrictionsMixin
from lms.pages import HookedContextMixin

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Centre(models.Model):
    """A career-transition centre: the key that every centre-owned record points to.

    Branding lives in CentreSettings (per Site); staff groups are created with the centre
    by `hub_sites.services.centre_create` and carry its Wagtail permissions.
    """

    slug = models.SlugField(_("slug"), unique=True, max_length=50)
    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="centre")
    admins_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    instructors_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    counsellors_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The centre's name in the active language, from its settings."""
        cached = getattr(self, "_settings_cache", None)
        if cached is None:
            cached = self._settings_cache = CentreSettings.objects.filter(
                site_id=self.site_id
            ).first()
        return cached.name if cached else (self.site.site_name or self.slug)


@register_setting(icon="site")
class CentreSettings(BaseSiteSetting):
    """Branding and identity of one centre, edited by that centre's admins."""

    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f5fbf", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#0b7a53", validators=[hex_colour]
    )
    address = models.CharField(_("address (Korean)"), max_length=255, blank=True)
    address_en = models.CharField(
        _("address (English)"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English pages; the Korean address is shown where it is empty."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    certificate_issuer_name = models.CharField(
        _("certificate issuer name"),
        max_length=200,
        help_text=_("The legal name printed on certificates this centre issues."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("name_ko"), FieldPanel("name_en")], heading=_("Name")),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            heading=_("Branding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("address_en"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("certificate_issuer_name"),
    ]

    class Meta:
        verbose_name = _("centre settings")

    @property
    def name(self) -> str:
        """The centre's name in the active language."""
        return self.name_en if (get_language() or "ko").startswith("en") else self.name_ko

    @property
    def postal_address(self) -> str:
        """The centre's address in the active language (the Korean one where no English one
        is given)."""
        english = (get_language() or "ko").startswith("en")
        return self.address_en if english and self.address_en else self.address


class CentreHomePage(
    CachedViewRestrictionsMixin, AnonymousPageCacheMixin, HookedContextMixin, Page
):
    """The root page of a centre's site: welcome text and the centre's course catalogue
    (`courses` in its context, from courses' `wagtail_hooks`)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count_per_parent = None

    context_hook = "centre_home_page_context"

    class Meta:
        verbose_name = _("centre home page")
