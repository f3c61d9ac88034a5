# The demo mesh of ./mesh up: portal, gateways n1-n3, the shop and its load.

SHOP_DLL="samples/Shop/$BIN/MeshPortal.Samples.Shop.dll"

start_portal() {
  say "starting the portal on $PORTAL_URL"
  require_free_port "$PORTAL_PORT" portal
  [[ -s "$STATE/dataprotection.key" ]] || (umask 077; head -c 32 /dev/urandom | base64 >"$STATE/dataprotection.key")
  start_bg portal "$ROOT/portal" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$PORTAL_URL" "${PORTAL_TLS_ENV[@]}" \
    ConnectionStrings__Mesh="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=mesh" \
    Portal__PublicUrl="$PORTAL_URL" Portal__CredentialsFile="$STATE/credentials" \
    Portal__DataProtection__KeyFile="$STATE/dataprotection.key" Fleet__ReplicaName=portal-1 \
    dotnet "$ROOT/portal/$BIN/MeshPortal.Portal.dll"
  wait_http "$PORTAL_URL/readyz" 90 portal
  [[ -f "$STATE/credentials" ]] || die "the database already has users but $STATE/credentials is gone: remove .mesh/ to start afresh"
}

# Replicas 2..N of the portal on the following ports; the first one made the credentials.
start_replicas() {
  local r port
  for ((r = 2; r <= REPLICAS; r++)); do
    port=$((PORTAL_PORT + r - 1))
    say "starting portal replica $r on https://127.0.0.1:$port"
    require_free_port "$port" "portal-$r"
    start_bg "portal-$r" "$ROOT/portal" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="https://127.0.0.1:$port" "${PORTAL_TLS_ENV[@]}" \
      ConnectionStrings__Mesh="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=mesh" \
      Portal__PublicUrl="https://127.0.0.1:$port" Portal__DataProtection__KeyFile="$STATE/dataprotection.key" \
      Fleet__ReplicaName="portal-$r" \
      dotnet "$ROOT/portal/$BIN/MeshPortal.Portal.dll"
  done
  for ((r = 2; r <= REPLICAS; r++)); do
    wait_http "https://127.0.0.1:$((PORTAL_PORT + r - 1))/readyz" 90 "portal-$r"
  done
}

# Every replica's URL, starting with replica (I mod REPLICAS) + 1, so gateway I starts there.
portal_urls() {
  local i=$1 r urls=()
  for ((r = 0; r < REPLICAS; r++)); do
    urls+=("https://127.0.0.1:$((PORTAL_PORT + (i + r) % REPLICAS))")
  done
  (IFS=,; echo "${urls[*]}")
}

api() {
  local method=$1 path=$2 body=${3:-}
  curl -sS --max-time 10 --cacert "$PORTAL_CA" -X "$method" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} -w '\n%{http_code}' "$PORTAL_URL$path"
}

gateway_token() {
  local node=$1 file="$STATE/tokens/$1" out
  if [[ ! -s "$file" ]]; then
    out=$(api POST /api/gateway-tokens "{\"node\":\"$node\"}")
    [[ "${out##*$'\n'}" == 201 ]] || die "minting a token for $node failed: $out"
    (umask 077; grep -o '"token":"[^"]*"' <<<"$out" | cut -d'"' -f4 >"$file")
  fi
  cat "$file"
}

start_gateways() {
  local i node
  for i in "${!NODES[@]}"; do
    require_free_port $((15001 + i)) "gateway-${NODES[$i]}"
    require_free_port $((19001 + i)) "gateway-${NODES[$i]}"
    require_free_port $((16001 + i)) "gateway-${NODES[$i]}"
  done
  for i in "${!NODES[@]}"; do
    node=${NODES[$i]}
    start_bg "gateway-$node" "$ROOT/gateway" ASPNETCORE_ENVIRONMENT=Production \
      Gateway__PortalUrl="$(portal_urls "$i")" Gateway__PortalCaFile="$PORTAL_CA" Gateway__Token="$(gateway_token "$node")" Gateway__Node="$node" \
      Gateway__ProxyUrl="http://127.0.0.1:$((15001 + i))" Gateway__AdminUrl="http://127.0.0.1:$((19001 + i))" \
      Gateway__InboundUrl="https://127.0.0.1:$((16001 + i))" \
      Gateway__StateDirectory="$STATE/gateways/$node" \
      dotnet "$ROOT/gateway/$BIN/MeshPortal.Gateway.dll"
  done
  for i in "${!NODES[@]}"; do
    wait_http "http://127.0.0.1:$((19001 + i))/healthz" 60 "gateway-${NODES[$i]}"
  done
}

# Each demo workload listens and calls from a loopback address of its own, as a pod has its own IP,
# so the gateways know every caller by its address (the shared 127.0.0.1 names nobody).
declare -A SHOP_ADDRESS=([frontend-1]=127.0.1.1 [catalog-v1]=127.0.1.11 [catalog-v2]=127.0.1.12 [inventory-1]=127.0.1.21)

# start_shop NAME ROLE SUBSET PORT GATEWAY_PORT
start_shop() {
  start_bg "$1" "$ROOT/samples" dotnet "$ROOT/$SHOP_DLL" --role "$2" --subset "$3" --instance "$1" \
    --urls "http://${SHOP_ADDRESS[$1]}:$4" --gateway "http://127.0.0.1:$5"
}

# shop_instance NAME PORT NODE: the registration of one demo workload, at its own address
shop_instance() {
  echo "{\"id\":\"$1\",\"address\":\"http://${SHOP_ADDRESS[$1]}:$2\",\"node\":\"$3\"}"
}

register_demo() {
  local out body route backends
  for body in \
    '{"name":"frontend","owner":"web-team","subsets":[{"name":"v1","instances":['"$(shop_instance frontend-1 7001 n1)"']}]}' \
    '{"name":"catalog","owner":"catalog-team","subsets":[{"name":"v1","instances":['"$(shop_instance catalog-v1 7011 n2)"']},{"name":"v2","instances":['"$(shop_instance catalog-v2 7012 n3)"']}]}' \
    '{"name":"inventory","owner":"stock-team","subsets":[{"name":"v1","instances":['"$(shop_instance inventory-1 7021 n1)"']}]}'; do
    out=$(api POST '/api/services?reason=demo%20registration' "$body")
    [[ "${out##*$'\n'}" == 200 ]] || die "registering a demo service failed: $out"
  done
  for route in frontend catalog inventory; do
    [[ "$(api GET "/api/routes/$route")" == *$'\n'200 ]] && continue
    backends='[{"service":"'$route'","subset":"v1","weight":100}]'
    [[ $route == catalog ]] && backends='[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}]'
    out=$(api POST '/api/routes?reason=demo%20route' "{\"id\":\"$route\",\"match\":{\"hosts\":[\"$route\"]},\"backends\":$backends}")
    [[ "${out##*$'\n'}" == 201 ]] || die "creating the demo route $route failed: $out"
  done
}

start_demo() {
  say "starting the demo shop"
  local port
  for port in 7021 7011 7012 7001; do require_free_port "$port" shop; done
  start_shop inventory-1 inventory v1 7021 15001
  start_shop catalog-v1 catalog v1 7011 15002
  start_shop catalog-v2 catalog v2 7012 15003
  start_shop frontend-1 frontend v1 7001 15001
  wait_http "http://${SHOP_ADDRESS[inventory-1]}:7021/healthz" 60 inventory-1
  wait_http "http://${SHOP_ADDRESS[catalog-v1]}:7011/healthz" 60 catalog-v1
  wait_http "http://${SHOP_ADDRESS[catalog-v2]}:7012/healthz" 60 catalog-v2
  wait_http "http://${SHOP_ADDRESS[frontend-1]}:7001/healthz" 60 frontend-1
  register_demo
  start_bg loadgen "$ROOT/samples" dotnet "$ROOT/$SHOP_DLL" --role load --gateway http://127.0.0.1:15001 \
    --rps "${MESH_LOAD_RPS:-20}" --duration "${MESH_LOAD_SECONDS:-3600}"
}

# Every gateway of this mesh, by node, SYNCED, and every process of the demo still running.
wait_synced() {
  local i out node missing
  for i in $(seq 150); do
    out=$(api GET /api/gateways)
    missing=""
    for node in "${NODES[@]}"; do
      grep -q "\"node\":\"$node\"[^}]*\"state\":\"SYNCED\"" <<<"$out" || missing+=" $node"
    done
    if [[ -z $missing ]]; then
      require_alive portal "${NODES[@]/#/gateway-}" inventory-1 catalog-v1 catalog-v2 frontend-1 loadgen
      return 0
    fi
    require_alive portal "${NODES[@]/#/gateway-}"
    sleep 0.2
  done
  die "gateways not SYNCED:$missing ($out)"
}

print_ready() {
  cat <<EOF

MeshPortal is ready (in $1 s).
  Portal      $PORTAL_URL$( ((REPLICAS > 1)) && echo " (+ $((REPLICAS - 1)) replica(s) on the next ports)")
  User        $ADMIN_USER
  Password    $ADMIN_PASSWORD
  API key     $API_KEY
  (also in .mesh/credentials: source it in scripts)
  Gateways    n1 127.0.0.1:15001 (admin :19001, mTLS in :16001) · n2 :15002 (:19002, :16002) · n3 :15003 (:19003, :16003)
  Try         curl -H 'Host: catalog' http://127.0.0.1:15001/
  Logs        .mesh/logs/
  HTTPS       the portal's certificate is signed by a CA made for this checkout, $PORTAL_CA:
              a browser warns about it (expected) until you import that file as a trusted authority;
              curl --cacert $PORTAL_CA $PORTAL_URL/healthz
EOF
}
