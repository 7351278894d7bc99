#!/bin/sh
# The lab's wiring inside each host, from farm.conf and host.conf:
#   client eth0 ── eth0 director br0(eth1, eth2) ── eth0 web1 / eth0 web2
# The front network carries the VIP; the back network is the real servers' LAN, a bridge on
# the director. Under direct routing and tunnelling the bridge takes the front cable too. The client holds its many
# source addresses in its own (only) namespace, routed to it by the director.
# Debian's busybox shell runs its own `ip` applet ahead of PATH: iproute2 is called by path.
set -e
. /etc/webfarm/farm.conf
. /etc/webfarm/host.conf
IP=/sbin/ip

$IP link set lo up
case "$ROLE" in
director)
  $IP link add br0 type bridge forward_delay 0 stp_state 0
  for nic in $BACK_NICS; do
    $IP link set "$nic" master br0
    $IP link set "$nic" up
  done
  if [ "$FORWARDING" = nat ]; then
    # Masquerading: replies must come back through the director, so front and back stay apart.
    front=eth0
  else
    # Direct routing and tunnelling: real servers answer clients themselves, so clients and
    # real servers share one LAN (the director's bridge), as on one switch.
    $IP link set eth0 master br0
    front=br0
  fi
  $IP link set eth0 up
  $IP link set br0 up
  $IP addr add "$DIRECTOR_FRONT/24" dev "$front"
  $IP addr add "$VIP/24" dev "$front"
  $IP addr add "$DIRECTOR_BACK/24" dev br0
  $IP route add "$CLIENT_NET" via "$CLIENT_FRONT"
  sysctl -q -w net.ipv4.ip_forward=1
  ;;
web)
  $IP link set eth0 up
  for a in $ADDRESSES; do $IP addr add "$a/24" dev eth0; done
  $IP route add default via "$DIRECTOR_BACK"
  # Direct routing and tunnelling: answers leave from the VIP straight to the client, not
  # through the director (which would drop packets from its own VIP as martians).
  if [ "$FORWARDING" != nat ]; then
    $IP route add "$CLIENT_NET" via "$CLIENT_FRONT" dev eth0 onlink
  fi
  ;;
client)
  $IP link set eth0 up
  $IP addr add "$CLIENT_FRONT/24" dev eth0
  $IP route add default via "$DIRECTOR_FRONT"
  # Source addresses 10.200.0.1 … : 250 to a /24, so none ends in .0 or .255.
  i=0
  while [ "$i" -lt "$CLIENT_ADDRESSES" ]; do
    echo "addr add ${CLIENT_NET%.*.*}.$((i / 250)).$((i % 250 + 1))/32 dev eth0"
    i=$((i + 1))
  done | $IP -batch -
  ;;
esac
