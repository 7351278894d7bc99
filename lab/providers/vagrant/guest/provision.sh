#!/bin/sh
# Provisions one lab host on a Debian 12 Vagrant box, once, as root (the Vagrantfile runs it,
# then reboots the VM). Afterwards the VM boots like a micro-VM: its lab NICs named eth0, eth1, …
# as lab/guest/net.sh expects, then net.sh and the host's role (webfarm.service).
#
# The Vagrantfile uploads to /tmp/webfarm: guest/ (lab/guest), vagrant/ (this folder),
# farm.conf and host.conf, and on the client client-node-modules.tar (autocannon, which the lab
# writes); WEBFARM_NICS lists the lab's NICs as "name=mac …".
set -eu
SRC=/tmp/webfarm
. "$SRC/host.conf"
: "${WEBFARM_NICS:?the Vagrantfile names the lab NICs in WEBFARM_NICS}"
export DEBIAN_FRONTEND=noninteractive

fail() { echo "provision.sh on $HOST: $*" >&2; exit 1; }

# The network must come from ifupdown (Debian's boxes): Vagrant's own NIC is renamed mgmt0
# below, and /etc/network/interfaces is what brings it up again after the reboot.
systemctl is-enabled networking.service >/dev/null 2>&1 \
  || fail "the box does not bring its network up with ifupdown (networking.service); use a Debian 12 box such as debian/bookworm64 (WEBFARM_BOX)."

# What the micro-VM image holds (lab/image/packages.ts), from the box's apt; node on the client.
# Their own services stay off (policy-rc.d, then disabled): the lab starts nginx, monit and
# keepalived itself, with its own configuration, as in the micro-VMs.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
packages="iproute2 ipvsadm iptables monit keepalived nginx netcat-openbsd procps rsyslog gzip"
[ "$ROLE" = client ] && packages="$packages nodejs"
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $packages
rm -f /usr/sbin/policy-rc.d
for s in nginx monit keepalived; do systemctl disable "$s.service" >/dev/null 2>&1 || true; done
# The deck's iptables, as in the micro-VMs: the legacy backend.
update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
for p in /sbin/ip /sbin/tc /sbin/ipvsadm /bin/nc.openbsd; do [ -x "$p" ] || fail "$p is missing after installing the packages."; done

# The guest files where the micro-VM image puts them (lab/image/build.ts). init and agent.sh
# are the micro-VM's PID 1 and serial channel: systemd and ssh do their work here.
mkdir -p /etc/webfarm/vagrant /srv/www /var/log/nginx
for f in "$SRC"/guest/*; do
  name=${f##*/}
  case "$name" in
    init|agent.sh) ;;
    nginx.conf) install -m 644 "$f" /etc/nginx/nginx.conf ;;
    *.sh) install -m 755 "$f" "/etc/webfarm/$name" ;;
    *) install -m 644 "$f" "/etc/webfarm/$name" ;;
  esac
done
# The client's npm packages (autocannon) where lab/guest/capacity.mjs requires them from.
if [ -f "$SRC/client-node-modules.tar" ]; then
  tar -xf "$SRC/client-node-modules.tar" -C / --no-same-owner
fi
install -m 644 "$SRC/farm.conf" /etc/webfarm/farm.conf
install -m 644 "$SRC/host.conf" /etc/webfarm/host.conf
install -m 755 "$SRC/vagrant/nics.sh" "$SRC/vagrant/boot.sh" /etc/webfarm/vagrant/
install -m 644 "$SRC/vagrant/webfarm-nics.service" "$SRC/vagrant/webfarm.service" /etc/systemd/system/

# The health checkers' log where the lab reads it (lab/failover.ts: /var/log/messages on the
# director), with syslog's classic timestamps, as the micro-VMs' busybox syslogd writes it.
cat > /etc/rsyslog.d/10-webfarm.conf <<'EOF2'
*.* action(type="omfile" file="/var/log/messages" template="RSYSLOG_TraditionalFileFormat")
EOF2

hostnamectl set-hostname "$HOST" 2>/dev/null || echo "$HOST" > /etc/hostname
sed -i '/^127\.0\.1\.1[[:space:]]/d' /etc/hosts
echo "127.0.1.1 $HOST" >> /etc/hosts

# NIC names, applied at every boot by nics.sh: Vagrant's own NIC (the one with the default
# route now) becomes mgmt0, the lab's become eth0, eth1, … by MAC.
mgmt=$(ip -o route show default | awk '{ print $5; exit }')
[ -n "$mgmt" ] || fail "no default route, so Vagrant's own NIC cannot be told apart."
{
  echo "mgmt0 $(cat "/sys/class/net/$mgmt/address")"
  for nic in $WEBFARM_NICS; do echo "${nic%%=*} ${nic#*=}"; done
} > /etc/webfarm/vagrant/nics
cat > /etc/network/interfaces <<'EOF2'
# Written by the webfarm lab (lab/providers/vagrant/guest/provision.sh): Vagrant's own NIC is
# mgmt0 (webfarm-nics.service names it); the lab's NICs are set up by /etc/webfarm/net.sh.
auto lo
iface lo inet loopback

auto mgmt0
iface mgmt0 inet dhcp
EOF2
rm -f /etc/network/interfaces.d/*

systemctl daemon-reload
systemctl enable webfarm-nics.service webfarm.service
systemctl enable rsyslog.service >/dev/null 2>&1 || true
rm -rf "$SRC"
echo "provision.sh: $HOST provisioned as $ROLE; it reboots into the lab's wiring."
