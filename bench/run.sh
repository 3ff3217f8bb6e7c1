#!/usr/bin/env bash
# The benchmark: builds the release binary, generates N schools of data (default 10; the target
# size is 1000), starts the server, logs in as an aandachtsfunctionaris and a directie, and drives
# each page with wrk (32 connections, one load at a time). Writes a markdown table to
# bench/results-<backend>-<N>.md with requests per second, p50 and p99 latency and the ratio of
# each to /healthz in the same run, plus the server's peak memory and start-up time.
#
#   bench/run.sh [N]                         on SQLite (a temporary file)
#   DATABASE_URL=postgres://… bench/run.sh N on an empty PostgreSQL database
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10}
DURATION=${DURATION:-10s}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet
BIN=target/release/meldcode
WORK=$(mktemp -d)
export DATABASE_URL=${DATABASE_URL:-$WORK/bench.db}
BACKEND=$([[ $DATABASE_URL == postgres* ]] && echo postgres || echo sqlite)
$BIN demo --scale "$N" | tail -1
PORT=3190
START=$(date +%s.%N)
$BIN serve --insecure-http --addr 127.0.0.1:$PORT > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf http://127.0.0.1:$PORT/healthz >/dev/null; do sleep 0.05; done
STARTUP=$(echo "$(date +%s.%N) - $START" | bc)

login() { # email → "cookie|csrf"
  local jar="$WORK/$1.jar"
  local page token
  page=$(curl -s -c "$jar" -b "$jar" http://127.0.0.1:$PORT/login)
  token=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" --data-urlencode "email=$1" \
    --data-urlencode "password=Meldcode-demo-2026" http://127.0.0.1:$PORT/login -o /dev/null
  page=$(curl -s -c "$jar" -b "$jar" http://127.0.0.1:$PORT/nood)
  token=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//;s/"//')
  echo "$(grep -E 'meldcode' "$jar" | awk '{print $6"="$7}')|$token"
}
AF=$(login medewerker0@school0000.example)
DIR=$(login medewerker1@school0000.example)
TEACHER=$(login medewerker2@school0000.example)
DOSSIER=$(curl -s -b "$WORK/medewerker0@school0000.example.jar" http://127.0.0.1:$PORT/werkruimte | grep -o '/dossiers/[0-9]*' | head -1)
YEAR=$(date +%Y)

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "_csrf=${AF#*|}&soort=signaal&aard=feit&bron=eigen&waarneming=Benchmark+waarneming"
LUA
cat > "$WORK/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "email=medewerker2%40school0000.example&password=Meldcode-demo-2026"
LUA

run() { # name path cookie [script]
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" --latency ${4:+-s "$4"} -H "Cookie: ${3%%|*}" "http://127.0.0.1:$PORT$2" 2>&1)
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/ 50%/ {print $2}' <<<"$out")
  p99=$(awk '/ 99%/ {print $2}' <<<"$out")
  echo "$1|$rps|$p50|$p99"
}
ROWS=()
ROWS+=("$(run healthz /healthz '')")
ROWS+=("$(run 'teacher start page' /start "$TEACHER")")
ROWS+=("$(run 'dossier page' "$DOSSIER" "$AF")")
ROWS+=("$(run 'new entry (POST, audited)' "$DOSSIER/aantekening" "$AF" "$WORK/post.lua")")
ROWS+=("$(run 'workspace' /werkruimte "$AF")")
ROWS+=("$(run 'report, all schools, a year' "/evaluatie?van=$((YEAR-1))-01-01&tot=$((YEAR-1))-12-31" "$DIR")")
# Login is not measured yet: every login cycles the session id, so a wrk loop would need a fresh
# session and form token per request (a Lua script that follows Set-Cookie): left for later.
PEAK=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
BASE=$(cut -d'|' -f2 <<<"${ROWS[0]}")
OUT=bench/results-$BACKEND-$N.md
{
  echo "# Benchmark: $BACKEND, $N schools ($(date -u +%F))"
  echo
  echo "wrk, 2 threads, 32 connections, $DURATION per line, one load at a time; $(nproc) cores."
  echo
  echo "| what | requests/s | p50 | p99 | ratio to /healthz |"
  echo "|---|---:|---:|---:|---:|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r name rps p50 p99 <<<"$r"
    ratio=$(echo "scale=3; $rps / $BASE" | bc)
    echo "| $name | $rps | $p50 | $p99 | $ratio |"
  done
  echo
  echo "Server peak memory (VmHWM): $((PEAK / 1024)) MB. Start-up until /healthz answers: ${STARTUP} s."
} > "$OUT"
cat "$OUT"
