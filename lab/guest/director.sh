#!/bin/sh
# LVS director setup, as the course did it, driven by farm.conf so it also runs on a real
# director (FARM_CONF=/path/to/farm.conf director.sh start).
#
#   service fwmark: iptables -t mangle marks VIP:80 with mark 1, `ipvsadm -A -f 1 -s <sched>`
#   service tcp:    `ipvsadm -A -t VIP:80 -s <sched>`
#   forwarding:     nat = -m (masquerading), dr = -g (gateway, direct routing), tun = -i (ipip)
#
# With the deck's monit set-up, fwmark 2 and 3 are the one-server services web_balancing.sh
# re-marks traffic to when the other server dies. With keepalived, keepalived owns the IPVS
# table (it adds the services itself) and this script only sets the mark.
set -e
. "${FARM_CONF:-/etc/webfarm/farm.conf}"

case "$FORWARDING" in
  nat) FWD=-m ;;
  dr) FWD=-g ;;
  tun) FWD=-i ;;
  *) echo "director.sh: FORWARDING must be nat, dr or tun, found '$FORWARDING'" >&2; exit 2 ;;
esac
SCHED_OPTS="-s $SCHEDULER"
[ -n "$SCHED_FLAGS" ] && SCHED_OPTS="$SCHED_OPTS -b $SCHED_FLAGS"

if [ "$SERVICE" = fwmark ]; then SVC="-f 1"; else SVC="-t $VIP:$PORT"; fi

# real_server <service> <name,address,weight,threshold,host>: one `ipvsadm -a` line.
real_server() {
  svc=$1
  IFS=, read -r name addr weight threshold host <<EOF2
$2
EOF2
  opts="-w $weight"
  [ "$threshold" != 0 ] && opts="$opts -x $threshold"
  ipvsadm -a $svc -r "$addr:$PORT" $FWD $opts
}

start() {
  if [ "$SERVICE" = fwmark ]; then
    iptables -t mangle -A PREROUTING -d "$VIP" -p tcp --dport "$PORT" -j MARK --set-mark 1
  fi
  [ "$HEALTHCHECK" = keepalived ] && return 0
  ipvsadm -A $SVC $SCHED_OPTS
  for rs in $REAL_SERVERS; do real_server "$SVC" "$rs"; done
  if [ "$SERVICE" = fwmark ] && [ "$HEALTHCHECK" = monit ]; then
    # One service per server for web_balancing.sh to fall back to: fwmark 2 = the first
    # server alone, fwmark 3 = the second, … (the deck's "start)" section).
    mark=2
    for rs in $REAL_SERVERS; do
      ipvsadm -A -f "$mark" $SCHED_OPTS
      real_server "-f $mark" "$rs"
      mark=$((mark + 1))
    done
  fi
}

stop() {
  ipvsadm -C
  iptables -t mangle -F PREROUTING
}

case "$1" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) ipvsadm -Ln --stats; iptables -t mangle -nvL PREROUTING ;;
  *) echo "usage: director.sh start|stop|restart|status" >&2; exit 2 ;;
esac
