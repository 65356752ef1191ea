#!/usr/bin/env bash
# Installs every Debian and npm dependency Linli needs on Debian bookworm (run as root).
# Quick when everything is already there: apt runs only for missing packages,
# npm only when web/package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  # build
  g++ cmake ninja-build ccache make pkg-config git
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-contrib libsodium-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libhowardhinnant-date-dev tzdata
  libicu-dev libopencc-dev libopencc-data libqrencode-dev
  # tests, fuzzing, benchmarks
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev clang-14 libclang-rt-14-dev
  libvalijson-dev libyaml-cpp-dev libical-dev clang-format curl wrk nginx-light
  # web build and browser tests
  nodejs chromium fonts-wqy-microhei
)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# npm ships inside nodesource's nodejs; Debian's nodejs needs the separate npm package.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PostgreSQL's Debian package starts a default cluster; tests use their own throwaway one.

if [ -f web/package.json ]; then
  stamp=web/node_modules/.linli-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    echo "install-deps: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
fi
