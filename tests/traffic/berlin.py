"""The Berlin detector export fixture and the source configuration that maps its columns."""

from __future__ import annotations

import json
from pathlib import Path

from ckanext.smartregion.harvesters.traffic import counter_csv, harvest, source_config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CSV = (FIXTURES / "traffic_csv" / "berlin_det_val_hr_2024_01_head.csv").read_bytes()
CONFIG = {
    "format": "csv",
    "period_minutes": 60,
    "timezone": "Europe/Berlin",
    "columns": {"site_id": "detid_15", "date": "tag", "hour": "stunde"},
    "date_format": "%d.%m.%Y",
    "classes": {
        "anyVehicle": {"vehicles": "q_kfz_det_hr", "speed": "v_kfz_det_hr"},
        "car": {"vehicles": "q_pkw_det_hr", "speed": "v_pkw_det_hr"},
        "lorry": {"vehicles": "q_lkw_det_hr", "speed": "v_lkw_det_hr"},
    },
}


def read(data: bytes, **changes) -> counter_csv.Read:
    config = source_config.parse(json.dumps({**CONFIG, **changes}))
    return harvest.read_counter_csv("berlin.csv", data, config)
