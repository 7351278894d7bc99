#!/bin/sh
# A lab container's boot, run by the docker provider (docker exec) once the container has
# started and the lab knows its NICs' MACs: what the micro-VMs' init (lab/guest/init) does,
# where Docker has made the mounts and set the hostname already.
#   boot.sh start eth0=<mac> [eth1=<mac> …]   name the NICs, syslogd, net.sh, the host's role
#   boot.sh relink eth0=<mac>                 the cable is back (docker network connect made a
#                                             new NIC): name it, and net.sh sets it up again
# Docker's own addresses stay on the NICs unused; the lab's addresses and routes are net.sh's.
set -e
. /etc/webfarm/farm.conf
. /etc/webfarm/host.conf
mode=$1
shift

# dev_of <mac>: the NIC that has it.
dev_of() {
  for d in /sys/class/net/*; do
    [ "$(cat "$d/address" 2>/dev/null)" = "$1" ] && { echo "${d##*/}"; return 0; }
  done
  echo "boot.sh: no NIC has MAC $1" >&2
  return 1
}

# The names net.sh expects, by MAC (older engines name NICs in their own order), in two
# passes so no NIC takes a name another one still has.
for pair; do
  dev=$(dev_of "${pair#*=}")
  [ "$dev" = "${pair%%=*}" ] && continue
  ip link set dev "$dev" down
  ip link set dev "$dev" name "wf-${pair%%=*}"
done
for pair; do
  dev=$(dev_of "${pair#*=}")
  [ "$dev" = "${pair%%=*}" ] || ip link set dev "$dev" name "${pair%%=*}"
done

# Docker's default route leads out of the lab; the lab's hosts route only inside it (net.sh).
while ip route del default 2>/dev/null; do :; done

case "$mode" in
  start)
    busybox syslogd -O /var/log/messages
    /etc/webfarm/net.sh
    case "$ROLE" in
      director) /etc/webfarm/director.sh start ;;
      web) /etc/webfarm/realserver.sh start && /etc/webfarm/web.sh start ;;
    esac
    ;;
  relink) /etc/webfarm/net.sh ;;
  *) echo "usage: boot.sh start|relink <name>=<mac>…" >&2; exit 2 ;;
esac
