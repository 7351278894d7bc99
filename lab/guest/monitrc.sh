#!/bin/sh
# Prints the director's /etc/monit/monitrc from farm.conf: the deck's entry per web server
# ("check host … if failed port 80 then start", the start program being web_balancing.sh),
# with the cycle, connect timeout and failed-cycles count the scenario sets.
#   MONIT_ACTION=deck:      start program = web_balancing.sh dead N, as in the course
#   MONIT_ACTION=corrected: web_balancing_corrected.sh dead N on failure, alive N on success
# Install it with: monitrc.sh > /etc/monit/monitrc && chmod 600 /etc/monit/monitrc
. "${FARM_CONF:-/etc/webfarm/farm.conf}"

cat <<EOF2
set daemon $MONIT_CYCLE
set logfile syslog
set statefile /var/lib/monit/state
set idfile /var/lib/monit/id
EOF2

n=1
for rs in $REAL_SERVERS; do
  addr=$(echo "$rs" | cut -d, -f2)
  echo
  if [ "$MONIT_ACTION" = corrected ]; then
    cat <<EOF2
check host web_server_$n with address $addr
  if failed port $PORT with timeout $MONIT_TIMEOUT seconds for $MONIT_CYCLES cycles
    then exec "/etc/webfarm/web_balancing_corrected.sh dead $n"
    else if succeeded then exec "/etc/webfarm/web_balancing_corrected.sh alive $n"
EOF2
  else
    cat <<EOF2
check host web_server_$n with address $addr
  start program = "/etc/webfarm/web_balancing.sh dead $n"
  if failed port $PORT with timeout $MONIT_TIMEOUT seconds for $MONIT_CYCLES cycles then start
  if 1 restarts within 2 cycles then timeout
EOF2
  fi
  n=$((n + 1))
done
