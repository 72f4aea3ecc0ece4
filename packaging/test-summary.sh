#!/usr/bin/env bash
# Prints one line per test class from the surefire and failsafe reports, then the totals,
# so a quiet Maven run still shows what ran.
set -euo pipefail
top="${1:-.}"
python3 - "$top" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
top = sys.argv[1]
tests = fails = skipped = 0
time = 0.0
for f in sorted(glob.glob(f"{top}/*/target/*-reports/TEST-*.xml")):
    s = ET.parse(f).getroot()
    t, fl, er, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    tm = float(s.get("time", 0))
    tests, fails, skipped, time = tests + t, fails + fl + er, skipped + sk, time + tm
    mark = "FAIL" if fl + er else "ok  "
    print(f"{mark} {s.get('name').removeprefix('dev.berth.'):<60} {t:4d} tests {tm:7.1f}s")
print(f"{tests} tests, {fails} failed, {skipped} skipped, {time:.0f}s in tests")
PY
