#!/bin/sh
# A real server's side of LVS forwarding, from farm.conf:
#   nat: nothing but the director as default gateway (net.sh), which un-masquerades replies
#   dr:  the VIP on lo, and ARP sysctls so this server never answers ARP for it (else it
#        would steal the VIP from the director)
#   tun: the VIP on the ipip tunnel device, the same ARP sysctls, reverse-path filter off
#        for decapsulated packets
# Under both, answers go from the VIP straight to the client (net.sh routes them).
set -e
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
IP=/sbin/ip

start() {
  case "$FORWARDING" in
  dr)
    sysctl -q -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
    sysctl -q -w net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
    $IP addr add "$VIP/32" dev lo
    ;;
  tun)
    # The VIP sits on tunl0, but Linux answers ARP for any local address on any device.
    sysctl -q -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
    sysctl -q -w net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
    $IP link set tunl0 up
    $IP addr add "$VIP/32" dev tunl0
    sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0
    ;;
  esac
}

case "$1" in
  start) start ;;
  *) echo "usage: realserver.sh start" >&2; exit 2 ;;
esac
