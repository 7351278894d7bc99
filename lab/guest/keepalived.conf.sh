#!/bin/sh
# Prints the director's /etc/keepalived/keepalived.conf from farm.conf: one virtual_server
# (fwmark 1, or VIP:80) with a TCP_CHECK per real server. keepalived then owns the IPVS
# table: it adds the service and the servers, and removes a server (or sets its weight to 0
# with inhibit_on_failure) when its check fails, and puts it back when it passes again.
. "${FARM_CONF:-/etc/webfarm/farm.conf}"

case "$FORWARDING" in nat) KIND=NAT ;; dr) KIND=DR ;; tun) KIND=TUN ;; esac
# A fwmark service has no protocol of its own (keepalived warns if given one).
if [ "$SERVICE" = fwmark ]; then VS="fwmark 1"; PROTO=""; else VS="$VIP $PORT"; PROTO="    protocol TCP"; fi

cat <<EOF2
global_defs {
    router_id webfarm_director
}

virtual_server $VS {
    delay_loop $KEEPALIVED_DELAY_LOOP
    lb_algo $SCHEDULER
    lb_kind $KIND
EOF2
[ -n "$PROTO" ] && echo "$PROTO"
for rs in $REAL_SERVERS; do
  IFS=, read -r name addr weight threshold host <<EOF2
$rs
EOF2
  echo
  echo "    # $name"
  echo "    real_server $addr $PORT {"
  echo "        weight $weight"
  [ "$threshold" != 0 ] && echo "        uthreshold $threshold"
  [ "$KEEPALIVED_INHIBIT" = 1 ] && echo "        inhibit_on_failure"
  cat <<EOF2
        TCP_CHECK {
            connect_port $PORT
            connect_timeout $KEEPALIVED_CONNECT_TIMEOUT
            retry $KEEPALIVED_RETRY
            delay_before_retry $KEEPALIVED_DELAY_BEFORE_RETRY
        }
    }
EOF2
done
echo "}"
