"""Page tree rules, creation through the Wagtail admin, and every template renders."""

from __future__ import annotations

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage
from hub_sites.models import CentreHomePage
from hub_sites.services import centre_course_indexes
from tests.factories import SkillFactory, lessons_of, make_centre, make_course, mfa_enrol


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.centre = make_centre("dongtan", default=True)
        cls.index = centre_course_indexes(cls.centre)["ko"]
        cls.course = make_course(cls.centre, "data-analysis", lessons=2)
        cls.skill = SkillFactory()

    def setUp(self):
        self.login()

    # Wagtail's test superusers; superusers must have a second factor set up.
    @staticmethod
    def create_test_user():
        user = WagtailPageTestCase.create_test_user()
        mfa_enrol(user)
        return user

    @staticmethod
    def create_superuser(*args, **kwargs):
        user = WagtailPageTestCase.create_superuser(*args, **kwargs)
        mfa_enrol(user)
        return user

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(CentreHomePage, {Page})
        self.assertAllowedSubpageTypes(CentreHomePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(CentreHomePage, CoursePage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)

    def test_admin_creates_a_centre_home_page(self):
        self.assertCanCreate(
            Page.get_first_root_node(),
            CentreHomePage,
            nested_form_data(
                {"title": "새 센터", "slug": "new-centre", "intro": rich_text("<p>안녕</p>")}
            ),
        )

    def test_admin_creates_a_course_index(self):
        home = self.centre.site.root_page
        self.assertCanCreate(
            home,
            CourseIndexPage,
            nested_form_data({"title": "과정 2", "slug": "courses-2", "intro": rich_text("")}),
        )

    def test_admin_creates_a_course_with_skill_outcomes(self):
        self.assertCanCreate(
            self.index,
            CoursePage,
            nested_form_data(
                {
                    "title": "업무 자동화",
                    "slug": "automation",
                    "summary": "반복 업무를 파이썬으로 자동화합니다.",
                    "description": rich_text("<p>엑셀과 이메일</p>"),
                    "level": "beginner",
                    "estimated_hours": 10,
                    "skill_outcomes": inline_formset([{"skill": self.skill.pk, "level": 2}]),
                    "pass_mark": 70,
                    "attempt_policy": "best",
                    "graded_assessments": inline_formset([]),
                }
            ),
        )
        course = CoursePage.objects.get(slug="automation")
        self.assertEqual([o.level for o in course.skill_outcomes.all()], [2])

    def test_admin_creates_a_lesson_with_every_block(self):
        self.assertCanCreate(
            self.course,
            LessonPage,
            nested_form_data(
                {
                    "title": "데이터 정제",
                    "slug": "cleaning",
                    "intro": "결측치를 다룹니다.",
                    "estimated_minutes": 30,
                    "required": True,
                    "body": streamfield(
                        [
                            ("heading", {"text": "결측치", "size": "h2"}),
                            ("paragraph", rich_text("<p>판다스의 <b>dropna</b></p>")),
                            ("code", {"language": "python", "code": "df.dropna()", "caption": ""}),
                            (
                                "callout",
                                {
                                    "kind": "warning",
                                    "title": "주의",
                                    "body": rich_text("<p>원본 보존</p>"),
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.get(slug="cleaning")
        self.assertEqual(
            [b.block_type for b in lesson.body], ["heading", "paragraph", "code", "callout"]
        )

    def test_every_page_type_renders(self):
        self.assertPageIsRenderable(self.centre.site.root_page.specific)
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.course)
        for lesson in lessons_of(self.course):
            self.assertPageIsRenderable(lesson)

    def test_every_page_type_previews(self):
        for page in (self.centre.site.root_page.specific, self.index, self.course):
            self.assertPageIsPreviewable(page)
        lesson = lessons_of(self.course)[0]
        self.assertPageIsPreviewable(
            lesson,
            post_data=nested_form_data(
                {
                    "title": lesson.title,
                    "slug": lesson.slug,
                    "intro": lesson.intro,
                    "estimated_minutes": 20,
                    "body": streamfield([("heading", {"text": "미리보기", "size": "h2"})]),
                }
            ),
        )


class MediaBlockTests(WagtailPageTestCase):
    """Images and videos come from the centre's libraries and render with their text."""

    @classmethod
    def setUpTestData(cls):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from wagtail.images.models import Image
        from wagtail.images.tests.utils import get_test_image_file
        from wagtailmedia.models import Media

        cls.centre = make_centre("dongtan", default=True)
        cls.course = make_course(cls.centre, "media", lessons=1, translate=False)
        cls.image = Image.objects.create(
            title="차트", file=get_test_image_file(), description="월별 매출 막대 차트"
        )
        cls.video = Media.objects.create(
            title="소개 영상",
            type="video",
            file=SimpleUploadedFile(
                "intro.mp4", b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4"
            ),
            duration=12,
        )

    def test_lesson_renders_image_and_video_blocks(self):
        lesson = lessons_of(self.course)[0]
        lesson.body = [
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": self.image.pk,
                        "alt_text": "월별 매출 막대 차트",
                        "decorative": False,
                    },
                    "caption": "그림 1",
                },
            },
            {"type": "video", "value": {"video": self.video.pk, "caption": "영상 1"}},
        ]
        lesson.save_revision().publish()
        from lms.accounts.models import Role
        from tests.factories import member

        self.client.force_login(member(self.centre, Role.INSTRUCTOR))
        html = self.client.get(lesson.url, HTTP_HOST="dongtan.localhost").content.decode()
        self.assertIn('alt="월별 매출 막대 차트"', html)
        self.assertIn("그림 1", html)
        self.assertIn("<video controls", html)
        self.assertIn("intro", html)
        self.assertIn("영상 1", html)


@pytest.mark.django_db
def test_visitors_get_cached_pages_until_something_is_published(client, centre_a):
    from courses.models import LessonPage
    from tests.factories import make_course

    course = make_course(centre_a, "cached", lessons=2, translate=False)
    lesson = lessons_of(course)[0]
    first = client.get(lesson.url, HTTP_HOST="dongtan.localhost").content.decode()
    assert "레슨 1" in first
    LessonPage.objects.filter(pk=lesson.pk).update(title="바뀐 제목")  # not published: no change
    assert "바뀐 제목" not in client.get(lesson.url, HTTP_HOST="dongtan.localhost").content.decode()
    other = lessons_of(course)[1]
    other.title = "새로 게시한 레슨"
    other.save_revision().publish()  # any publish retires the cached pages
    fresh = client.get(lesson.url, HTTP_HOST="dongtan.localhost").content.decode()
    assert "새로 게시한 레슨" in fresh  # the outline shows the newly published title


@pytest.mark.django_db
def test_logged_in_learners_never_get_a_cached_page(client, centre_a, learner_a):
    from lms.learning.services import enrolment_create
    from tests.factories import make_course

    course = make_course(centre_a, "cached2", lessons=2, translate=False)
    lesson = lessons_of(course)[0]
    client.get(lesson.url, HTTP_HOST="dongtan.localhost")  # cached for visitors
    enrolment_create(user=learner_a, course=course, centre=centre_a)
    client.force_login(learner_a)
    page = client.get(lesson.url, HTTP_HOST="dongtan.localhost").content.decode()
    assert "판다스로" in page  # the lesson body, which visitors do not see
