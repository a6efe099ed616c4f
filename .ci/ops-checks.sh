#!/usr/bin/env bash
# Checks the operations files: Prometheus rules and their unit tests, the docker-compose stack, and that the Helm
# chart's copies of the alert rules and the dashboard equal the ops/ originals. Installs promtool and docker-compose
# from Debian's packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "== ops: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== ops: promtool check rules"
promtool check rules ops/prometheus/alerts.yml

echo "== ops: promtool check config"
promtool check config ops/prometheus/prometheus.yml

echo "== ops: promtool test rules"
promtool test rules ops/prometheus/alerts_test.yml

echo "== ops: docker-compose config"
docker-compose config -q

echo "== ops: chart copies equal the ops/ originals"
cmp ops/prometheus/alerts.yml helm/gemini-gateway/files/alerts.yml
cmp ops/grafana/gemini-gateway-dashboard.json helm/gemini-gateway/files/gemini-gateway-dashboard.json

echo "== ops: all checks passed"
