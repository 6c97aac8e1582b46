"""The consent texts people are shown, per version and language.

A text is never edited once people agreed to it: a change is a new version, and the version a
person saw is stored with their decision. Changing CURRENT_VERSION asks everyone again at their
next visit (the consent page), because their required consent is then of an older version.
"""

from __future__ import annotations

from .models import Purpose

CURRENT_VERSION = "2026-12-01"

TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "2026-12-01": {
        Purpose.COURSE: {
            "ko": (
                "[필수] 과정 운영을 위한 개인정보 처리: 계정(이름, 이메일), 수강 신청, 학습 진도, "
                "퀴즈 답안과 제출한 노트북, 채점 결과, 수료증 발급 기록을 과정 운영과 수료 확인을 "
                "위해 처리합니다. 보유 기간은 센터의 보존 기간(개인정보 처리방침)을 따르며, "
                "동의하지 않으면 과정을 이용할 수 없습니다."
            ),
            "en": (
                "[Required] Processing to run your courses: your account (name, e-mail), "
                "enrolments, progress, quiz answers and submitted notebooks, grades and the "
                "certificates issued to you are processed to run the courses and confirm "
                "completion. They are kept for the centre's retention periods (privacy notice). "
                "Without this you cannot take courses."
            ),
        },
        Purpose.COUNSELLING: {
            "ko": (
                "[선택] 센터 상담사와 기록 공유: 센터의 상담사가 진로 상담을 위해 학습 기록, "
                "역량 프로필, 목표 직무와 계획을 봅니다. 동의하지 않거나 철회하면 상담사는 "
                "이름과 배정 여부만 볼 수 있습니다."
            ),
            "en": (
                "[Optional] Sharing your record with the centre's counsellors: they see your "
                "learning record, skill profile, goal role and plan to advise you. If you say no "
                "or withdraw, counsellors see only your name and that you are assigned to them."
            ),
        },
        Purpose.RECOMMENDATIONS: {
            "ko": (
                "[선택] 추천을 위한 프로필·이력서 활용: 붙여 넣은 이력서 문장과 목표 문장을 "
                "역량으로 연결해 학습 경로 추천에 씁니다. 철회하면 이력서 문장은 추천과 역량 "
                "수준에 쓰이지 않습니다."
            ),
            "en": (
                "[Optional] Using your profile and CV for recommendations: phrases of the CV and "
                "goal text you paste are matched to skills and used to recommend a learning path. "
                "If you withdraw, CV phrases no longer count in your skill levels or "
                "recommendations."
            ),
        },
        Purpose.MARKETING: {
            "ko": (
                "[선택] 센터의 새 과정과 행사 소식을 이메일로 받습니다. 언제든 철회할 수 있습니다."
            ),
            "en": (
                "[Optional] News of the centre's new courses and events by e-mail. You can "
                "withdraw at any time."
            ),
        },
    },
}


def consent_text(purpose: str, language: str, version: str = CURRENT_VERSION) -> str:
    """The text of one purpose as shown in one language (Korean when the language is unknown)."""
    texts = TEXTS[version][purpose]
    return texts.get(language) or texts["ko"]
