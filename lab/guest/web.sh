#!/bin/sh
# A lab web server: nginx answering with a body of RESPONSE_BYTES that starts with the real
# server's name. Each real server address on this host gets its own name; under direct
# routing and tunnelling every request arrives for the VIP, so the host's name is used.
set -e
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
. /etc/webfarm/host.conf

names() {
  echo "map \$server_addr \$real_server {"
  echo "    default $HOST;"
  for rs in $REAL_SERVERS; do
    IFS=, read -r name addr weight threshold host <<EOF2
$rs
EOF2
    [ "$host" = "$HOST" ] && echo "    $addr $name;"
  done
  echo "}"
}

# body <name>: "served by <name>" padded with dots to RESPONSE_BYTES, ending in a newline.
body() {
  line="served by $1"
  echo "$line"
  pad=$((RESPONSE_BYTES - ${#line} - 2))
  [ "$pad" -gt 0 ] && head -c "$pad" /dev/zero | tr '\0' '.'
  echo
}

start() {
  mkdir -p /srv/www /var/log/nginx /var/lib/nginx
  names > /etc/nginx/webfarm-names.conf
  body "$HOST" > "/srv/www/$HOST.txt"
  for rs in $REAL_SERVERS; do
    name=${rs%%,*}
    body "$name" > "/srv/www/$name.txt"
  done
  nginx -c /etc/nginx/nginx.conf
}

case "$1" in
  start) start ;;
  stop) nginx -s stop ;;
  *) echo "usage: web.sh start|stop" >&2; exit 2 ;;
esac
