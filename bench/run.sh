#!/usr/bin/env bash
# The benchmark: builds the release binary, generates N schools of data (default 10; the target
# size is 1000), starts the server, logs in as an aandachtsfunctionaris, a teacher and a board
# member (directie of every school), and drives each page with wrk (the dossier page also on one
# dossier of 5,000 more entries, whose chronology shows the newest 100; the dossier list's first
# page with its total, and a search by name) (32 connections, one load at a
# time, each after a short warm-up). Writes a markdown table to bench/results-<backend>-<N>.md
# with requests per second, p50 and p99 latency and the ratio of each to /healthz (which asks the
# database `SELECT 1`) and to the static stylesheet (no database) in the same run, plus login
# throughput against what argon2 allows on this machine's cores, the other pages while logins
# run, the server's peak memory and its start-up time.
#
#   bench/run.sh [N]                                 on SQLite (a temporary file)
#   DATABASE_URL=postgres://…/emptydb bench/run.sh N on an empty PostgreSQL database
#   DURATION=10s bench/run.sh N                      longer runs (default 5s a line)
#   BIN=path/to/meldcode bench/run.sh N              another build of the server (compared back
#                                                    to back with this one)
#   bench/run.sh --quick                             the load smoke of .ci/run: 2 schools, 2 s a
#                                                    line, the debug build; the table goes to
#                                                    target/, and any failed or timed-out
#                                                    request, 4xx or 5xx, makes it exit 1
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=
if [[ ${1:-} == --quick ]]; then
  QUICK=1
  shift
  N=${1:-2}
  DURATION=${DURATION:-2s}
else
  N=${1:-10}
  DURATION=${DURATION:-5s}
fi
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }
if [[ -n ${BIN:-} ]]; then
  :
elif [[ -n $QUICK ]]; then
  cargo build --quiet
  BIN=target/debug/meldcode
else
  cargo build --release --quiet
  BIN=target/release/meldcode
fi
WORK=$(mktemp -d)
export DATABASE_URL=${DATABASE_URL:-$WORK/bench.db}
# The master key of this run's database (issue 19), made by its first command, kept with it.
export MELDCODE_KEY_FILE=${MELDCODE_KEY_FILE:-$WORK/meldcode.key}
BACKEND=$([[ $DATABASE_URL == postgres* ]] && echo postgres || echo sqlite)
# One open dossier of the first school gets 5,000 more entries (200 in the smoke's debug build):
# the very long dossier.
LONG_ENTRIES=${LONG_ENTRIES:-$([[ -n $QUICK ]] && echo 200 || echo 5000)}
DEMO_OUT=$($BIN demo --scale "$N" --long-dossier "$LONG_ENTRIES")
grep -v '^Lang dossier' <<<"$DEMO_OUT" | tail -1
LONG=$(grep -o '^Lang dossier: /dossiers/[0-9]*' <<<"$DEMO_OUT" | grep -o '/dossiers/[0-9]*')
PORT=${PORT:-3190}
URL=http://127.0.0.1:$PORT
START=$(date +%s.%N)
$BIN serve --insecure-http --addr 127.0.0.1:$PORT > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf $URL/healthz >/dev/null; do sleep 0.02; done
STARTUP=$(echo "$(date +%s.%N) - $START" | bc)

token_of() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//'; }
login() { # email → "cookie|form token"
  local jar="$WORK/$1.jar" token
  token=$(curl -s -c "$jar" -b "$jar" $URL/login | token_of)
  curl -s -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" --data-urlencode "email=$1" \
    --data-urlencode "password=Meldcode-demo-2026" $URL/login -o /dev/null
  token=$(curl -s -c "$jar" -b "$jar" $URL/nood | token_of)
  echo "$(awk '$6 == "meldcode" {print $6"="$7}' "$jar")|$token"
}
AF=$(login medewerker0@school0000.example)
BOARD=$(login medewerker1@school0000.example)
TEACHER=$(login medewerker2@school0000.example)
DOSSIERS=($(curl -s -b "${AF%%|*}" $URL/werkruimte | grep -o '/dossiers/[0-9]*' | sort -u | grep -vx "$LONG" | head -2))
DOSSIER=${DOSSIERS[0]}
OTHER=${DOSSIERS[1]}
# The dossier page is measured with 50 entries: the generator gives each dossier 20.
note() { # dossier → posts one signal
  curl -s -o /dev/null -b "${AF%%|*}" --data-urlencode "_csrf=${AF#*|}" \
    --data "soort=signaal&aard=feit&bron=eigen&waarneming=Waarneming+voor+de+benchmark" "$URL$1/aantekening"
}
for _ in $(seq 30); do note "$DOSSIER"; done
ENTRIES=$(curl -s -b "${AF%%|*}" "$URL$DOSSIER" | grep -c 'class="entry' || true)
YEAR=$(date +%Y)

# New entries go to another dossier, so that the dossier page keeps its 50 entries.
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "_csrf=${AF#*|}&soort=signaal&aard=feit&bron=eigen&waarneming=Benchmark+waarneming"
LUA
# A login needs a session with a form token, and cycles the session id: each connection fetches
# the login page, then posts the form with that page's cookie and token. Counts the logins.
cat > "$WORK/login.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) pending = {}; logins = 0 end
function request()
  local p = table.remove(pending, 1)
  if p == nil then return wrk.format("GET", "/login") end
  return wrk.format("POST", "/login", {
    ["Cookie"] = p.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "_csrf=" .. p.token .. "&email=medewerker3%40school0000.example&password=Meldcode-demo-2026")
end
function response(status, headers, body)
  if status == 200 then
    local cookie = (headers["set-cookie"] or headers["Set-Cookie"] or ""):match("^([^;]*)")
    local token = body:match('name="_csrf" value="([^"]*)"')
    if cookie and token then table.insert(pending, { cookie = cookie, token = token }) end
  elseif status == 303 then
    logins = logins + 1
  end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("logins") end
  io.write(string.format("Logins/sec: %.2f\n", n / (summary.duration / 1e6)))
end
LUA

# Answers other than 2xx/3xx, and timeouts (wrk gives up after 2 s), in a wrk output.
failed_in() { awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$1"; }
note_failures() { # name failed → what the server said, for the report below the table
  if [[ $2 != 0 ]]; then
    { echo "$1:"; tail -3 "$WORK/server.log"; } >> "$WORK/failures.txt"
  fi
}
run() { # name path cookie [script] → "name|req/s|p50|p99|failed"
  local out warm
  warm=$(wrk -t2 -c32 -d1s ${4:+-s "$4"} -H "Cookie: ${3%%|*}" "$URL$2" 2>&1) # warm-up
  out=$(wrk -t2 -c32 -d"$DURATION" --latency ${4:+-s "$4"} -H "Cookie: ${3%%|*}" "$URL$2" 2>&1)
  local rps p50 p99 failed
  rps=$(awk '/Logins\/sec/ {print $2; f=1} /Requests\/sec/ && !f {r=$2} END {if (!f) print r}' <<<"$out")
  p50=$(awk '/ 50%/ {print $2}' <<<"$out")
  p99=$(awk '/ 99%/ {print $2}' <<<"$out")
  # A line with failures is void; the warm-up's failures count too (the smoke fails on any).
  failed=$(( $(failed_in "$out") + $(failed_in "$warm") ))
  note_failures "$1" "$failed"
  echo "$1|$rps|$p50|$p99|$failed"
}
ROWS=()
ROWS+=("$(run healthz /healthz '')")
ROWS+=("$(run 'stylesheet (static file)' /static/style.css '')")
ROWS+=("$(run 'teacher start page' /start "$TEACHER")")
ROWS+=("$(run "dossier page ($ENTRIES entries)" "$DOSSIER" "$AF")")
# Peak memory before the very long dossier's line (32 of its pages at once hold 32 histories).
PEAK_BEFORE_LONG=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
LONG_SHOWN=$(curl -s -b "${AF%%|*}" "$URL$LONG" | grep -c 'class="entry' || true)
ROWS+=("$(run "dossier page, $LONG_ENTRIES + 20 entries ($LONG_SHOWN shown)" "$LONG" "$AF")")
ROWS+=("$(run 'new entry (POST, durable, audited)' "$OTHER/aantekening" "$AF" "$WORK/post.lua")")
ROWS+=("$(run 'aandachtsfunctionaris workspace' /werkruimte "$AF")")
ROWS+=("$(run 'dossier list, first page and total' /dossiers "$AF")")
ROWS+=("$(run 'dossier list, search by name' '/dossiers?zoek=leerling+1' "$AF")")
REPORT_URL="/evaluatie?van=$((YEAR - 1))-01-01&tot=$((YEAR - 1))-12-31"
# The report's first computation (one request, before the cache holds it).
REPORT_FIRST=$(curl -s -o /dev/null -w '%{time_total}' -b "${BOARD%%|*}" "$URL$REPORT_URL")
ROWS+=("$(run "report, all $N schools, a year" "$REPORT_URL" "$BOARD")")
ROWS+=("$(run 'login (logins/s; latency of page and post)' /login '' "$WORK/login.lua")")
ARGON=$($BIN password-rate)
# Logins and pages at once: the dossier page's throughput while logins run.
wrk -t1 -c16 -d"$DURATION" -s "$WORK/login.lua" "$URL/login" > "$WORK/mixed-login.txt" 2>&1 &
MIXED_OUT=$(wrk -t1 -c16 -d"$DURATION" -H "Cookie: ${AF%%|*}" "$URL$DOSSIER" 2>&1)
wait %%  2>/dev/null || true
MIXED=$(awk '/Requests\/sec/ {print $2}' <<<"$MIXED_OUT")
MIXED_LOGINS=$(awk '/Logins\/sec/ {print $2}' "$WORK/mixed-login.txt")
MIXED_FAILED=$(( $(failed_in "$MIXED_OUT") + $(failed_in "$(cat "$WORK/mixed-login.txt")") ))
note_failures "logins and the dossier page at once" "$MIXED_FAILED"
LONG_ONE_TIME=$(curl -s -o /dev/null -w '%{time_total}' -b "${AF%%|*}" "$URL$LONG")
LONG_ALL_TIME=$(curl -s -o /dev/null -w '%{time_total}' -b "${AF%%|*}" "$URL$LONG?alle=1")
HEALTH_AFTER=$(curl -s -o /dev/null -w '%{http_code}' $URL/healthz)
PEAK=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
BASE=$(cut -d'|' -f2 <<<"${ROWS[0]}")
STATIC=$(cut -d'|' -f2 <<<"${ROWS[1]}")
DOSSIER_SOLO=$(cut -d'|' -f2 <<<"${ROWS[3]}")
# By name, not by place: a line added before it must not shift it.
LOGIN_SOLO=$(printf '%s\n' "${ROWS[@]}" | grep '^login' | cut -d'|' -f2)
if [[ -n $QUICK ]]; then OUT=target/load-smoke-$BACKEND.md; else OUT=bench/results-$BACKEND-$N.md; fi
{
  echo "# Benchmark: $BACKEND, $N schools ($(date -u +%F))"
  echo
  echo "wrk, 2 threads, 32 connections, $DURATION per line after a 1 s warm-up, one load at a time;"
  echo "$(nproc) cores shared by server, database and wrk. \`bench/run.sh $N\`."
  echo
  echo "| what | requests/s | p50 | p99 | ratio to /healthz | ratio to the stylesheet | failed or timed out |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r name rps p50 p99 failed <<<"$r"
    ratio=$(echo "scale=3; $rps / $BASE" | bc)
    ratio_static=$(echo "scale=3; $rps / $STATIC" | bc)
    echo "| $name | $rps | $p50 | $p99 | $ratio | $ratio_static | $failed |"
  done
  echo
  echo "- Password checks this machine allows (argon2id, all cores, nothing else running): $ARGON/s;"
  echo "  logins alone reached $LOGIN_SOLO/s ($(echo "scale=2; 100 * $LOGIN_SOLO / $ARGON" | bc) %)."
  echo "- Logins and the dossier page at once (16 connections each): $MIXED_LOGINS logins/s and"
  echo "  $MIXED dossier pages/s ($(echo "scale=2; 100 * $MIXED / $DOSSIER_SOLO" | bc) % of the page alone);"
  echo "  $MIXED_FAILED failed or timed out. /healthz after all lines: $HEALTH_AFTER."
  echo "- The board's report over all $N schools, first computation (one request): ${REPORT_FIRST} s."
  echo "- The very long dossier, one request on its own: ${LONG_ONE_TIME} s; with every entry (\`?alle=1\`): ${LONG_ALL_TIME} s."
  echo "- Server peak memory (VmHWM): $((PEAK / 1024)) MB ($((PEAK_BEFORE_LONG / 1024)) MB before the very long dossier's line). Start-up until /healthz answers: ${STARTUP} s."
  if [[ -s $WORK/failures.txt ]]; then
    echo
    echo "Lines with failed requests; the server's last log lines at the time:"
    echo
    sed 's/^/    /' "$WORK/failures.txt"
  fi
} > "$OUT"
cat "$OUT"

# The load smoke fails on any failed or timed-out request, and when the server is not healthy after.
if [[ -n $QUICK ]]; then
  FAILED=$MIXED_FAILED
  IDLE=
  for r in "${ROWS[@]}"; do
    FAILED=$((FAILED + $(cut -d'|' -f5 <<<"$r")))
    # A line that got nothing done (requests that hang are not always counted as timed out).
    [[ $(cut -d'|' -f2 <<<"$r" | tr -d '.0') == "" ]] && IDLE="$IDLE $(cut -d'|' -f1 <<<"$r");"
  done
  [[ $(tr -d '.0' <<<"${MIXED_LOGINS:-0}") == "" ]] && IDLE="$IDLE logins during pages;"
  if [[ $FAILED != 0 || $HEALTH_AFTER != 200 || -n $IDLE ]]; then
    echo "LOAD SMOKE FAILED: $FAILED failed or timed-out requests; /healthz $HEALTH_AFTER; nothing done:${IDLE:- none}"
    exit 1
  fi
  echo "load smoke passed: every request answered"
fi
