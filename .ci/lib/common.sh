# Shared helpers of ./mesh and .ci/run: installing, building, PostgreSQL, background processes.

die() { echo "mesh: $*" >&2; exit 1; }
say() { echo "==> $*"; }

APT_UPDATED=false
apt_install() {
  local missing=()
  local pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  [[ $EUID -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root, or install them)"
  say "installing ${missing[*]}"
  $APT_UPDATED || { apt-get update -qq >/dev/null; APT_UPDATED=true; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_runtime() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH)"
  command -v curl >/dev/null || apt_install curl ca-certificates
  pg_bin >/dev/null || apt_install postgresql
  command -v npm >/dev/null || apt_install nodejs npm
}

ensure_test_tools() {
  command -v chromium >/dev/null || apt_install chromium fonts-dejavu-core
  # e2e-tests/Hop captures the loopback interface to show the hops between gateways are encrypted.
  command -v tcpdump >/dev/null || apt_install tcpdump
  # The chart tests (unit-tests/Charts) render with charts/render, built from Helm's template
  # libraries as Debian packages, and validate with charts/validate (the Kubernetes API schema).
  apt_install golang-go golang-github-masterminds-sprig-dev golang-github-xeipuuv-gojsonschema-dev golang-gopkg-yaml.v2-dev
  local validate="$ROOT/charts/validate"
  if [[ ! "$validate/node_modules/.package-lock.json" -nt "$validate/package-lock.json" ]]; then
    say "installing charts/validate (npm ci)"
    (cd "$validate" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in charts/validate failed"
  fi
  ensure_image_tools
}

# podman builds the images in e2e-tests/Launcher/ContainerImageTests.cs; runc runs them where crun cannot
# (cgroup v1 beside v2). A machine that refuses them (no root, "held broken packages") only skips those
# tests, which name the reason, so a failure here never stops ./mesh test.
ensure_image_tools() {
  command -v podman >/dev/null && command -v runc >/dev/null && return 0
  if [[ $EUID -ne 0 ]]; then
    echo "mesh: podman/runc missing and not root: the image tests will be skipped" >&2
    return 0
  fi
  say "installing podman runc"
  # With recommends (buildah, fuse-overlayfs, slirp4netns, uidmap), as `apt-get install podman` is known to work.
  { $APT_UPDATED || apt-get update -qq >/dev/null; } && APT_UPDATED=true \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null \
    || echo "mesh: podman could not be installed (apt-get failed, above): the image tests will be skipped" >&2
}

build_all() {
  local log
  log=$(mktemp)
  say "building"
  dotnet build "$ROOT/MeshPortal.sln" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly >"$log" 2>&1 \
    || { cat "$log"; die "build failed"; }
  rm -f "$log"
}

# Runs a command as the postgres user when we are root (initdb refuses to run as root).
as_pg() {
  # From / because the postgres user may not be allowed into the current directory.
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# .mesh/pg (or $MESH_STATE/pg), unless the postgres user cannot reach it (a checkout under a private directory).
pg_data_dir() {
  if [[ $EUID -ne 0 ]] || (cd / && runuser -u postgres -- test -x "$(dirname "$STATE")") 2>/dev/null; then
    echo "$STATE/pg"
  else
    echo "/var/tmp/meshportal-$(echo "$ROOT" | md5sum | cut -c1-8)/pg"
  fi
}

# pg_up DATA PORT [MAX_CONNECTIONS]: the test suites run their classes in parallel, each with a pool of
# its own, and went past PostgreSQL's default of 100 connections ("too many clients already").
pg_up() {
  local data=$1 port=$2 max_connections=${3:-100} bin
  bin=$(pg_bin) || die "PostgreSQL is not installed"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data"
    [[ $EUID -eq 0 ]] && chown postgres:postgres "$data" "$(dirname "$data")"
    chmod 700 "$data"
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null \
      || die "initdb failed in $data"
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$port"
    as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=$max_connections" start >/dev/null \
      || { tail -20 "$data/server.log" >&2; die "PostgreSQL did not start (port $port in use?)"; }
  fi
}

pg_down() {
  local data=$1 bin
  bin=$(pg_bin) || return 0
  as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 || return 0
  as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}

pg_create_db() {
  local port=$1 db=$2 bin
  bin=$(pg_bin)
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_bg NAME DIR [VAR=value ...] COMMAND ...: started in its own session, pid in .mesh/pids.
start_bg() {
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && exec setsid env "$@") >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/pids/$name.pid"
}

stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# wait_http URL SECONDS NAME: waits for a 2xx answer from the process NAME started with start_bg;
# fails at once, naming the process and the end of its log, if that process has exited.
wait_http() {
  local url=$1 seconds=$2 name=$3 i pidfile="$STATE/pids/$3.pid"
  for i in $(seq $((seconds * 5))); do
    if [[ -f "$pidfile" ]] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      process_died "$name"
    fi
    curl -fsS -o /dev/null --max-time 2 ${PORTAL_CA:+--cacert "$PORTAL_CA"} "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  [[ -f "$STATE/logs/$name.log" ]] && tail -30 "$STATE/logs/$name.log" >&2
  die "$name did not answer $url within ${seconds}s (log: .mesh/logs/$name.log)"
}

# process_died NAME: says which process exited and why (the error lines of its log), then fails.
process_died() {
  local name=$1 log="$STATE/logs/$1.log" why=""
  if [[ -f "$log" ]]; then
    why=$(grep -m1 -iE 'address already in use|failed to bind|unhandled exception|fail:|error' "$log" || true)
    tail -20 "$log" >&2
  fi
  die "$name exited during start-up${why:+: $why} (log: .mesh/logs/$name.log)"
}

# require_free_port PORT NAME: fails, naming who holds it, when something already listens there.
require_free_port() {
  local port=$1 name=$2 holder
  holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(([^)]*' | head -1 | cut -d'"' -f2 || true)
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    die "port $port, needed by $name, is already in use${holder:+ by '$holder'}: stop it or run ./mesh down"
  fi
}

# require_alive NAME...: every named process started with start_bg is still running.
require_alive() {
  local name
  for name in "$@"; do
    kill -0 "$(cat "$STATE/pids/$name.pid" 2>/dev/null || echo 0)" 2>/dev/null || process_died "$name"
  done
}

# Runs one test project and keeps its counts for the closing line.
TESTS_PASSED=0
TESTS_FAILED=0
TESTS_SKIPPED=0
# Tests of Category=Scale measure speed at scale and run in ./mesh bench, not here.
run_tests() {
  local project=$1 out rc=0
  out=$(mktemp)
  say "testing $project"
  # Normal verbosity is what prints a skipped test's reason; its line per passed test is left off the screen.
  dotnet test "$ROOT/$project" -c "$CONFIGURATION" --no-build -nologo --filter "Category!=Scale" \
    --logger "console;verbosity=normal" 2>&1 | tee "$out" | grep -vE '^ +Passed .* \[[^]]*\]$' || rc=$?
  if grep -qE '^Total tests: [0-9]+' "$out"; then
    TESTS_PASSED=$((TESTS_PASSED + $(summary_count Passed "$out")))
    TESTS_FAILED=$((TESTS_FAILED + $(summary_count Failed "$out")))
    TESTS_SKIPPED=$((TESTS_SKIPPED + $(summary_count Skipped "$out")))
  elif ((rc != 0)); then
    TESTS_FAILED=$((TESTS_FAILED + 1))
  fi
  rm -f "$out"
  return $rc
}

# summary_count KIND FILE: a count of dotnet test's closing summary ("    Skipped: 1"); 0 when it has none.
summary_count() {
  local count
  count=$(grep -E "^ +$1: +[0-9]+$" "$2" | tail -1 | grep -oE '[0-9]+$' || true)
  echo "${count:-0}"
}
