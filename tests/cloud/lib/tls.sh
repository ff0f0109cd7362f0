# The TLS front of the test cloud: nginx terminating TLS on 127.0.0.1 in front of the public
# APIs, for scs-0125 and for runs over https. Sourced by testcloud, never run.
#
# A test CA and the server certificates are made once per state directory (openssl CLI) and
# renewed when less than 30 days are left. Ports: 10000 + the API's port, with Mozilla's
# "intermediate" settings (guideline 5.7); plus one deliberately weak port, $TLS_WEAK_PORT
# (TLS 1.0/1.1, CBC/SHA1 ciphers, an 825-day certificate) in front of keystone, for the
# FAIL case of scs-0125-tls-intermediate.
#
# The https endpoints live in regions of their own, so the clouds that select RegionOne
# (every scenario) see exactly the catalog they saw before:
#   RegionTLS      every public API through the good front   (clouds.yaml: testcloud-tls)
#   RegionTLSWeak  identity through the weak port, image through the good front
#                                                             (clouds.yaml: testcloud-tls-weak)
#   RegionTLSDown  identity on https://127.0.0.1:15002, where nothing listens
#                                                             (clouds.yaml: testcloud-tls-down)
# All three authenticate through the good front (https://127.0.0.1:15000/v3, cacert = test CA).

TLS_DIR=$SCS_CLOUD_STATE/tls
TLS_WEAK_PORT=15001
# backend port, TLS port
TLS_PORTS="
5000 15000
9292 19292
8778 18778
8774 18774
8776 18776
9696 19696
9311 19311
9876 19876
8080 18080
"

# tls_cert NAME DAYS: a server certificate for 127.0.0.1 and localhost, signed by the test CA.
tls_cert() {
  local name=$1 days=$2
  openssl req -new -newkey rsa:2048 -nodes -keyout "$TLS_DIR/$name.key" -out "$TLS_DIR/$name.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
    >"$TLS_DIR/$name.ext"
  openssl x509 -req -in "$TLS_DIR/$name.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$TLS_DIR/$name.ext" -out "$TLS_DIR/$name.pem" 2>/dev/null
  rm -f "$TLS_DIR/$name.csr" "$TLS_DIR/$name.ext"
}

tls_certificates() {
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  if [ ! -f "$TLS_DIR/ca.pem" ] || ! openssl x509 -checkend 2592000 -noout -in "$TLS_DIR/ca.pem" >/dev/null; then
    openssl req -x509 -newkey rsa:3072 -nodes -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" -days 3650 \
      -sha256 -subj "/CN=SCS test cloud CA" 2>/dev/null
    rm -f "$TLS_DIR/server.pem" "$TLS_DIR/weak.pem"
    log "created the test CA $TLS_DIR/ca.pem"
  fi
  if [ ! -f "$TLS_DIR/server.pem" ] || ! openssl x509 -checkend 2592000 -noout -in "$TLS_DIR/server.pem" >/dev/null; then
    tls_cert server 365
  fi
  # 825 days: longer than Mozilla's 366, on purpose.
  if [ ! -f "$TLS_DIR/weak.pem" ] || ! openssl x509 -checkend 2592000 -noout -in "$TLS_DIR/weak.pem" >/dev/null; then
    tls_cert weak 825
  fi
  # RFC 7919's ffdhe2048, as Mozilla recommends (no prime search needed).
  [ -f "$TLS_DIR/ffdhe2048.pem" ] ||
    openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$TLS_DIR/ffdhe2048.pem" 2>/dev/null
}

# One proxied location: the backend sees the original host and that the client used https.
tls_location() {
  cat <<CONF
    location / {
      proxy_pass http://$HOST:$1;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 300s;
    }
CONF
}

tls_nginx_conf() {
  local backend port
  mkdir -p "$TLS_DIR/tmp" "$LOGS"
  {
    cat <<CONF
# Written by tests/cloud/lib/tls.sh; rewritten on every start.
worker_processes 1;
pid $TLS_DIR/nginx.pid;
error_log $LOGS/nginx-tls.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_max_body_size 0;
  client_body_temp_path $TLS_DIR/tmp/body;
  proxy_temp_path $TLS_DIR/tmp/proxy;
  fastcgi_temp_path $TLS_DIR/tmp/fastcgi;
  uwsgi_temp_path $TLS_DIR/tmp/uwsgi;
  scgi_temp_path $TLS_DIR/tmp/scgi;
  ssl_session_timeout 1d;
  ssl_session_cache shared:TLS:10m;
  ssl_session_tickets off;
CONF
    while read -r backend port; do
      [ -n "$backend" ] || continue
      cat <<CONF
  server {
    # Mozilla intermediate, guideline 5.7 (https://ssl-config.mozilla.org/guidelines/5.7.json)
    listen $HOST:$port ssl;
    ssl_certificate $TLS_DIR/server.pem;
    ssl_certificate_key $TLS_DIR/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers off;
    ssl_dhparam $TLS_DIR/ffdhe2048.pem;
$(tls_location "$backend")
  }
CONF
    done <<<"$TLS_PORTS"
    cat <<CONF
  server {
    # Deliberately weak, for the FAIL case: old protocols, CBC/SHA1 ciphers, 825-day certificate.
    listen $HOST:$TLS_WEAK_PORT ssl;
    ssl_certificate $TLS_DIR/weak.pem;
    ssl_certificate_key $TLS_DIR/weak.key;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0;
$(tls_location 5000)
  }
}
CONF
  } >"$TLS_DIR/nginx.conf"
}

tls_up() {
  command -v nginx >/dev/null || die "nginx missing: run '$0 install' first"
  load_secrets
  tls_certificates
  tls_nginx_conf
  nginx -t -q -c "$TLS_DIR/nginx.conf" -g 'user root;' || die "nginx rejects $TLS_DIR/nginx.conf"
  # `daemon off`: the master stays the process spawn() recorded, in its own session.
  spawn nginx-tls nginx -c "$TLS_DIR/nginx.conf" -g 'daemon off; user root;'
  local backend port
  while read -r backend port; do
    [ -n "$backend" ] || continue
    wait_https nginx-tls "https://$HOST:$port/" 30
  done <<<"$TLS_PORTS"
  wait_https nginx-tls "https://$HOST:$TLS_WEAK_PORT/" 30
  $DEBIAN_PYTHON "$CLOUD_DIR/lib/register_tls.py" "$SCS_CLOUD_STATE" "$TLS_WEAK_PORT" <<<"$TLS_PORTS"
  log "TLS front up: CA $TLS_DIR/ca.pem; clouds testcloud-tls (region RegionTLS), testcloud-tls-weak, testcloud-tls-down"
}

tls_down() { stop_all nginx-tls; }

# wait_https NAME URL SECONDS: like wait_http, verifying the server against the test CA.
wait_https() {
  local name=$1 url=$2 timeout=$3 start code
  start=$(date +%s)
  while :; do
    code=$(curl -s -o /dev/null -m 5 --cacert "$TLS_DIR/ca.pem" -w '%{http_code}' "$url" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != 000 ]; then
      return 0
    fi
    is_running "$name" || fail_service "$name" "process exited before $url answered"
    [ $(($(date +%s) - start)) -lt "$timeout" ] || fail_service "$name" "$url did not answer within $timeout s"
    sleep 0.5
  done
}
