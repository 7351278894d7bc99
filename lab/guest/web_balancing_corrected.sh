#!/bin/sh
# web_balancing.sh corrected. Same services as the deck (fwmark 1 = all servers, fwmark 1+N =
# server N alone), two changes:
#   - the mark rule is replaced in place (iptables -R), never flushed, so no SYN ever meets an
#     empty chain and the director never answers one with a reset; running it again while
#     the server stays down changes nothing;
#   - "alive N" is the way back: when server N answers again, VIP traffic returns to fwmark 1.
# With more than two servers, "dead N" marks traffic for the first other server still alive
# per this script's state file; "alive" returns to fwmark 1 once no server is dead.
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
STATE=${WEB_BALANCING_STATE:-/run/web_balancing.dead}
touch "$STATE"

# mark_vip <mark>: rule 1 of mangle PREROUTING marks VIP:80 traffic with <mark>.
mark_vip() {
  rule="PREROUTING -t mangle -d $VIP -p tcp --dport $PORT -j MARK --set-mark $1"
  if iptables -t mangle -C $rule 2>/dev/null; then return 0; fi
  if iptables -t mangle -S PREROUTING | grep -q -- '--set-xmark\|--set-mark'; then
    iptables -R PREROUTING 1 -t mangle -d "$VIP" -p tcp --dport "$PORT" -j MARK --set-mark "$1"
  else
    iptables -I PREROUTING 1 -t mangle -d "$VIP" -p tcp --dport "$PORT" -j MARK --set-mark "$1"
  fi
}

count=$(echo $REAL_SERVERS | wc -w)
case "$1" in
start)
  /etc/webfarm/director.sh start
  : > "$STATE"
  ;;
dead)
  grep -qx "$2" "$STATE" || echo "$2" >> "$STATE"
  n=1
  while [ "$n" -le "$count" ]; do
    if ! grep -qx "$n" "$STATE"; then mark_vip $((n + 1)); exit 0; fi
    n=$((n + 1))
  done
  echo "web_balancing: every server is dead; leaving the rules as they are" >&2
  ;;
alive)
  grep -vx "$2" "$STATE" > "$STATE.new" || true
  mv "$STATE.new" "$STATE"
  if [ ! -s "$STATE" ]; then mark_vip 1; else "$0" dead "$(head -n 1 "$STATE")"; fi
  ;;
*)
  echo "usage: web_balancing_corrected.sh start | dead N | alive N" >&2
  exit 2
  ;;
esac
