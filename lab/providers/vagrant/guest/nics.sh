#!/bin/sh
# At every boot, before the network comes up (webfarm-nics.service): gives each NIC the name
# /etc/webfarm/vagrant/nics lists for its MAC ("name mac" lines, written by provision.sh), so
# the lab's NICs are eth0, eth1, … as in the micro-VMs and lab/guest/*.sh run unchanged, and
# Vagrant's own NIC is mgmt0.
set -eu
MAP=/etc/webfarm/vagrant/nics

udevadm settle --timeout=30 || true

# dev_of <mac>: the NIC that has it, if any.
dev_of() {
  for d in /sys/class/net/*; do
    [ "$(cat "$d/address" 2>/dev/null)" = "$1" ] && { echo "${d##*/}"; return 0; }
  done
  return 1
}

# Every NIC must be there first (a late one would keep its old name).
tries=0
while read -r name mac; do
  until dev_of "$mac" >/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -gt 300 ] && { echo "nics.sh: no NIC has MAC $mac (for $name)" >&2; exit 1; }
    sleep 0.1
  done
done < "$MAP"

# Two passes, so no NIC takes a name another one still has.
while read -r name mac; do
  dev=$(dev_of "$mac")
  [ "$dev" = "$name" ] && continue
  ip link set dev "$dev" down
  ip link set dev "$dev" name "wf-$name"
done < "$MAP"
while read -r name mac; do
  dev=$(dev_of "$mac")
  [ "$dev" = "$name" ] || ip link set dev "$dev" name "$name"
done < "$MAP"
