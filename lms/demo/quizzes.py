"""Demo quizzes: one per demo course that has one, in the centre's language (Korean)."""

from __future__ import annotations

PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ANALYSIS = "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
CLEANSING = "http://data.europa.eu/esco/skill/50b100ea-74fd-4706-99db-3e4ca55e51b8"


def _q(kind: str, prompt: str, skill: str | None, level: int, points: str = "1", **extra) -> dict:
    return {
        "type": kind,
        "value": {
            "prompt": f"<p>{prompt}</p>",
            "points": points,
            "explanation": extra.pop("explanation", ""),
            "skill": skill,
            "skill_level": level,
            **extra,
        },
    }


QUIZZES = [
    {
        "course": "python-data-analysis",
        "lesson": 2,  # placed after the learner has met CSV files and cleaning
        "title": "판다스 기초 확인 퀴즈",
        "instructions": "<p>CSV 읽기와 데이터 정제에 대한 다섯 문제입니다. 두 번까지 풀 수 있고, "
        "더 높은 점수가 성적에 반영됩니다.</p>",
        "max_attempts": 2,
        "time_limit_minutes": 15,
        "pass_mark": 60,
        "questions": [
            _q(
                "single_choice",
                "매출 CSV 파일 <code>sales.csv</code>를 DataFrame으로 읽는 코드는 무엇입니까?",
                PYTHON,
                2,
                points="2",
                explanation="<p><code>pd.read_csv</code>는 CSV를 읽어 DataFrame을 돌려줍니다. "
                '한글이 깨지면 <code>encoding="cp949"</code>를 지정해 보세요.</p>',
                choices=[
                    {"text": "pd.read_csv('sales.csv')", "correct": True, "feedback": "맞습니다."},
                    {
                        "text": "pd.open('sales.csv')",
                        "correct": False,
                        "feedback": "판다스에는 open 함수가 없습니다.",
                    },
                    {
                        "text": "open('sales.csv').read()",
                        "correct": False,
                        "feedback": "문자열을 읽을 뿐, 표로 바꾸지는 않습니다.",
                    },
                ],
            ),
            _q(
                "multiple_choice",
                "결측치(빈 칸)를 다룰 때 쓰는 메서드를 모두 고르세요.",
                CLEANSING,
                2,
                points="2",
                explanation="<p><code>isna</code>로 찾고, <code>dropna</code>로 지우거나 "
                "<code>fillna</code>로 채웁니다.</p>",
                choices=[
                    {"text": "isna()", "correct": True, "feedback": ""},
                    {"text": "fillna()", "correct": True, "feedback": ""},
                    {"text": "dropna()", "correct": True, "feedback": ""},
                    {
                        "text": "groupby()",
                        "correct": False,
                        "feedback": "groupby는 그룹별 집계에 씁니다.",
                    },
                ],
            ),
            _q(
                "true_false",
                "<code>df.duplicated()</code>는 중복된 행을 바로 삭제한다.",
                CLEANSING,
                1,
                answer=False,
                feedback_true="duplicated는 중복 여부만 표시합니다. 삭제는 drop_duplicates입니다.",
                feedback_false="맞습니다. 삭제는 drop_duplicates로 합니다.",
            ),
            _q(
                "numeric",
                "1월 매출이 1,200,000원, 2월 매출이 1,380,000원입니다. 2월의 증가율은 몇 %입니까?",
                ANALYSIS,
                2,
                answer=15,
                tolerance=0.1,
                explanation="<p>(1,380,000 − 1,200,000) ÷ 1,200,000 × 100 = 15%</p>",
            ),
            _q(
                "short_text",
                "지점별 합계를 구하려면 <code>df.____('지점')['금액'].sum()</code>의 빈칸에 "
                "어떤 메서드가 들어갑니까?",
                ANALYSIS,
                2,
                accepted=["groupby", "groupby()"],
                pattern="",
            ),
        ],
    },
]
