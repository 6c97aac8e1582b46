"""StreamField blocks that instructors compose lessons from."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtailmedia.blocks import VideoChooserBlock

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from assessments.blocks import NotebookBlock, QuizBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "code", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; its anchor lets a learner resume where they left off."""

    text = blocks.CharBlock(label=_("text"), max_length=200)
    size = blocks.ChoiceBlock(
        label=_("size"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")
        description = _("A section heading, listed in the lesson's outline.")
        preview_value = {"text": "데이터 불러오기", "size": "h2"}


class CodeBlock(blocks.StructBlock):
    """A code listing, highlighted on the server so no script is needed to read it."""

    language = blocks.ChoiceBlock(
        label=_("language"),
        choices=[
            ("python", "Python"),
            ("sql", "SQL"),
            ("bash", "Shell"),
            ("javascript", "JavaScript"),
            ("text", _("Plain text")),
        ],
        default="python",
    )
    code = blocks.TextBlock(label=_("code"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "code"
        template = "courses/blocks/code.html"
        label = _("Code")
        description = _("A highlighted code listing learners can copy.")
        preview_value = {
            "language": "python",
            "code": "import pandas as pd\nsales = pd.read_csv('sales.csv')\nsales.head()",
            "caption": "",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        lexer = get_lexer_by_name(value["language"] or "text", stripall=False)
        formatter = HtmlFormatter(nowrap=True)
        context["highlighted"] = mark_safe(highlight(value["code"], lexer, formatter))  # noqa: S308
        return context


class CalloutBlock(blocks.StructBlock):
    """A highlighted box for a tip, a note or a warning."""

    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    body = blocks.RichTextBlock(label=_("body"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        label = _("Callout")
        description = _("A tip, note or warning set apart from the text.")
        preview_value = {
            "kind": "tip",
            "title": "팁",
            "body": "<p>작은 데이터로 먼저 시험해 보세요.</p>",
        }


class FigureBlock(blocks.StructBlock):
    """An image from the image library with alt text and an optional caption."""

    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/figure.html"
        label = _("Image")
        description = _("An image with alternative text and a caption.")


class VideoBlock(blocks.StructBlock):
    """A video from the media library, played by the browser's own player."""

    video = VideoChooserBlock(label=_("video"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")
        description = _("A video from the media library.")


class LessonStreamBlock(blocks.StreamBlock):
    """Everything a lesson body may hold.

    Quizzes come from the assessment library; notebook exercises join them.
    """

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="courses/blocks/paragraph.html",
        description=_("Formatted text."),
        preview_value="<p>판다스는 표 형태의 데이터를 다루는 파이썬 라이브러리입니다.</p>",
    )
    image = FigureBlock()
    video = VideoBlock()
    code = CodeBlock()
    callout = CalloutBlock()
    quiz = QuizBlock()
    notebook = NotebookBlock()
