# The portal over TLS in ./mesh up: a CA for this checkout and the portal's certificate, made once
# under .mesh/tls/ and reused (a browser told to trust the CA keeps trusting it).

PORTAL_CA="$STATE/tls/ca.crt"
# The portal's settings for that certificate, as VAR=value words for start_bg.
PORTAL_TLS_ENV=(Portal__Tls__CertificateFile="$STATE/tls/portal.crt" Portal__Tls__KeyFile="$STATE/tls/portal.key")

# ensure_portal_tls: .mesh/tls/ca.{crt,key} and portal.{crt,key} (SAN 127.0.0.1, ::1, localhost);
# the portal's is made again when it is missing, expires within a week or is not the CA's.
ensure_portal_tls() {
  local dir="$STATE/tls"
  command -v openssl >/dev/null || apt_install openssl
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [[ ! -s "$dir/ca.crt" || ! -s "$dir/ca.key" ]]; then
    say "making a local CA for the portal's HTTPS in .mesh/tls/ca.crt"
    (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=MeshPortal local CA $(hostname -s)" -addext "basicConstraints=critical,CA:true" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$dir/ca.key" -out "$dir/ca.crt") >/dev/null 2>&1 \
      || die "openssl could not make the local CA in $dir"
    rm -f "$dir/portal.crt"
  fi
  if [[ -s "$dir/portal.crt" && -s "$dir/portal.key" ]] \
    && openssl x509 -noout -checkend 604800 -in "$dir/portal.crt" >/dev/null 2>&1 \
    && openssl verify -CAfile "$dir/ca.crt" "$dir/portal.crt" >/dev/null 2>&1; then
    return 0
  fi
  say "making the portal's certificate in .mesh/tls/portal.crt"
  (umask 077
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$dir/portal.key" -out "$dir/portal.csr" \
    && openssl x509 -req -in "$dir/portal.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -days 397 \
      -set_serial "0x$(openssl rand -hex 16)" -out "$dir/portal.crt" -extfile <(printf '%s\n' \
        "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" "basicConstraints=critical,CA:false" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth")) >/dev/null 2>&1 \
    || die "openssl could not make the portal's certificate in $dir"
  rm -f "$dir/portal.csr"
  # The CA and the certificate are public; the keys stay 600.
  chmod 644 "$dir/ca.crt" "$dir/portal.crt"
}
