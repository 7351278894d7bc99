#!/bin/sh
# The course's web_balancing.sh (Pau Freixes, 2006), kept as the deck shows it: "start" builds
# fwmark 1 over both servers and the one-server services 2 and 3; "dead N" (run by monit when
# server N stops answering) flushes the mangle PREROUTING chain and re-marks VIP traffic to
# the survivor's service.
# Known faults, kept on purpose so the lab can show them:
#   - between the flush and the new rule a SYN to the VIP is not marked and the director
#     itself answers it with a reset; monit re-runs this every cycle while the server is down;
#   - there is no way back: when the server recovers, traffic stays on the survivor.
# The only addition: the addresses come from farm.conf instead of being edited in.
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
set -- "$@"
IP_WEB=$VIP
IP_SERVER1=$(echo "$REAL_SERVERS" | cut -d' ' -f1 | cut -d, -f2)
IP_SERVER2=$(echo "$REAL_SERVERS" | cut -d' ' -f2 | cut -d, -f2)

case "$1" in
start)
iptables -A PREROUTING -t mangle -d $IP_WEB -p tcp --dport 80 -j MARK --set-mark 1
ipvsadm -A -f 1 -s sh
ipvsadm -a -f 1 -r $IP_SERVER1:80 -m
ipvsadm -a -f 1 -r $IP_SERVER2:80 -m
ipvsadm -A -f 2 -s sh
ipvsadm -a -f 2 -r $IP_SERVER1:80 -m
ipvsadm -A -f 3 -s sh
ipvsadm -a -f 3 -r $IP_SERVER2:80 -m
;;
dead)
iptables -F PREROUTING -t mangle
if [ $2 = 1 ]; then
    iptables -A PREROUTING -t mangle -d $IP_WEB -p tcp --dport 80 -j MARK --set-mark 3
else
    iptables -A PREROUTING -t mangle -d $IP_WEB -p tcp --dport 80 -j MARK --set-mark 2
fi
;;
esac
