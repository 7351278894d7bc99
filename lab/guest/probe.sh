#!/bin/sh
# The director's probes through a failover run, what a sysadmin would watch in a second
# terminal: every second the IPVS table with its counters (ipvsadm -Ln --stats), its
# connection entries by real server and state (ipvsadm -Lnc) and the mangle
# rules with theirs (the deck's accounting); and, five times a second, whether the rules changed
# (mangle PREROUTING and ipvsadm -Sn) — the instant web_balancing.sh or keepalived acted. Each block starts with the
# uptime (/proc/uptime, 10 ms), which the lab lines up with its own clock.
#
#   probe.sh start [file]   sample in the background into file (default /tmp/probe.log)
#   probe.sh stop           stop sampling
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
OUT=${2:-/tmp/probe.log}
PIDFILE=/run/webfarm-probe.pid

uptime_s() { cut -d' ' -f1 /proc/uptime; }

sample() {
  last=
  n=0
  while :; do
    rules=$(iptables -t mangle -S PREROUTING 2>&1; ipvsadm -Sn 2>&1)
    if [ "$rules" != "$last" ]; then
      printf '@change %s\n%s\n' "$(uptime_s)" "$rules"
      last=$rules
    fi
    if [ $((n % 5)) -eq 0 ]; then
      printf '@stats %s\n' "$(uptime_s)"
      ipvsadm -Ln --stats --exact
      # The connection table (ipvsadm -Lnc), counted by real server and state rather than
      # listed: one connection per request fills it with thousands of TIME_WAIT entries.
      printf '@conntab %s\n' "$(uptime_s)"
      ipvsadm -Lnc | awk 'NR > 2 { n[$6 " " $3]++ } END { for (k in n) print k, n[k] }'
      printf '@counters %s\n' "$(uptime_s)"
      iptables -t mangle -nvxL PREROUTING
    fi
    n=$((n + 1))
    sleep 0.2
  done
}

case "$1" in
  start)
    : > "$OUT"
    sample >> "$OUT" 2>&1 &
    echo $! > "$PIDFILE"
    ;;
  stop)
    [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null
    rm -f "$PIDFILE"
    ;;
  *) echo "usage: probe.sh start [file] | stop" >&2; exit 2 ;;
esac
