"""Quiz questions (StreamField blocks of an Assessment) and the lesson block that places a quiz."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

import regex

QUESTION_TEXT_FEATURES = ["bold", "italic", "code", "link", "ol", "ul"]


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("choice"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("feedback"),
        required=False,
        max_length=500,
        help_text=_("Shown after submission to a learner who chose this."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class SkillEvidenceMixin(blocks.StructBlock):
    skill = SnippetChooserBlock(
        "skills.Skill",
        label=_("skill shown"),
        required=False,
        help_text=_("A correct answer is evidence of this skill."),
    )
    skill_level = blocks.IntegerBlock(
        label=_("skill level"), min_value=1, max_value=5, default=1, required=False
    )


class BaseQuestionBlock(SkillEvidenceMixin):
    prompt = blocks.RichTextBlock(label=_("question"), features=QUESTION_TEXT_FEATURES)
    points = blocks.DecimalBlock(label=_("points"), min_value=0, default=1, decimal_places=2)
    explanation = blocks.RichTextBlock(
        label=_("explanation"),
        required=False,
        features=QUESTION_TEXT_FEATURES,
        help_text=_("Shown to the learner after they submit."),
    )


class SingleChoiceQuestionBlock(BaseQuestionBlock):
    """One correct choice among several."""

    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("choices"))

    class Meta:
        icon = "radio-full"
        label = _("Single choice")
        template = "assessments/blocks/question.html"
        description = _("Learners pick one answer; full points for the correct one.")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for choice in value["choices"] if choice["correct"]) != 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark exactly one choice correct."))}
            )
        return value


class MultipleChoiceQuestionBlock(BaseQuestionBlock):
    """Several correct choices; partial credit."""

    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("choices"))

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")
        template = "assessments/blocks/question.html"
        description = _(
            "Learners pick all that apply. Score = (correct picks − wrong picks) ÷ correct "
            "choices × points, never below zero."
        )

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one choice correct."))}
            )
        return value


class TrueFalseQuestionBlock(BaseQuestionBlock):
    answer = blocks.BooleanBlock(label=_("the statement is true"), required=False)
    feedback_true = blocks.CharBlock(label=_("feedback for “true”"), required=False)
    feedback_false = blocks.CharBlock(label=_("feedback for “false”"), required=False)

    class Meta:
        icon = "tick"
        label = _("True or false")
        template = "assessments/blocks/question.html"
        description = _("Learners say whether a statement is true.")


class NumericQuestionBlock(BaseQuestionBlock):
    answer = blocks.FloatBlock(label=_("answer"))
    tolerance = blocks.FloatBlock(
        label=_("tolerance"),
        default=0,
        min_value=0,
        help_text=_("Answers within ± this much of the answer are correct."),
    )

    class Meta:
        icon = "order"
        label = _("Number")
        template = "assessments/blocks/question.html"
        description = _("Learners type a number; it counts within the tolerance.")


class ShortTextQuestionBlock(BaseQuestionBlock):
    accepted = blocks.ListBlock(
        blocks.CharBlock(max_length=200), label=_("accepted answers"), min_num=0
    )
    pattern = blocks.CharBlock(
        label=_("regular expression"),
        required=False,
        max_length=300,
        help_text=_("Optional. Matches the whole normalised answer (case and spacing ignored)."),
    )

    class Meta:
        icon = "edit"
        label = _("Short text")
        template = "assessments/blocks/question.html"
        description = _("Learners type a short answer, compared without case or extra spaces.")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value["accepted"] and not value["pattern"]:
            errors["accepted"] = ValidationError(
                _("Give at least one accepted answer or a regular expression.")
            )
        if value["pattern"]:
            try:
                regex.compile(value["pattern"])
            except regex.error as exc:
                errors["pattern"] = ValidationError(
                    _("This is not a valid regular expression: %(error)s") % {"error": exc}
                )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    numeric = NumericQuestionBlock()
    short_text = ShortTextQuestionBlock()


class QuizBlock(blocks.StructBlock):
    """Places a quiz in a lesson: learners start or resume an attempt from here."""

    assessment = SnippetChooserBlock("assessments.Assessment", label=_("quiz"))
    introduction = blocks.CharBlock(label=_("introduction"), required=False, max_length=300)

    class Meta:
        icon = "help"
        template = "assessments/blocks/quiz.html"
        label = _("Quiz")
        description = _("A graded quiz from the assessment library.")


class NotebookBlock(blocks.StructBlock):
    """Places a notebook exercise in a lesson: download, open, submit and see the grade."""

    assessment = SnippetChooserBlock("assessments.Assessment", label=_("notebook exercise"))
    introduction = blocks.CharBlock(label=_("introduction"), required=False, max_length=300)

    class Meta:
        icon = "code"
        template = "assessments/blocks/notebook.html"
        label = _("Notebook exercise")
        description = _("A graded Jupyter notebook exercise from the assessment library.")
