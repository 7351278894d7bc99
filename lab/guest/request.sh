#!/bin/sh
# request.sh <source address> [requests on one connection]: GETs / from the VIP speaking from
# one of the client's addresses, and prints the X-Server header of each answer, one per line
# ("-" when no answer came). Several requests share one kept-alive connection.
# nc.openbsd is called by path: busybox's own nc runs ahead of PATH and cannot bind a source.
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
src=$1
n=${2:-1}
i=1
{
  while [ "$i" -le "$n" ]; do
    [ "$i" -eq "$n" ] && conn=close || conn=keep-alive
    printf 'GET / HTTP/1.1\r\nHost: %s\r\nConnection: %s\r\n\r\n' "$VIP" "$conn"
    i=$((i + 1))
  done
} | /bin/nc.openbsd -N -w 5 -s "$src" "$VIP" "$PORT" 2>/dev/null \
  | tr -d '\r' | sed -n 's/^X-Server: //p' | grep . || echo -
