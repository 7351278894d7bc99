#!/bin/sh
# At every boot, once the NICs have their lab names (webfarm.service): what the micro-VMs'
# init (lab/guest/init) does after its mounts — the lab's network, then the host's role.
# The health checker is started by the lab once every web server serves, as on the micro-VMs.
set -e
. /etc/webfarm/farm.conf
. /etc/webfarm/host.conf
/etc/webfarm/net.sh
case "$ROLE" in
  director) /etc/webfarm/director.sh start ;;
  web) /etc/webfarm/realserver.sh start && /etc/webfarm/web.sh start ;;
esac
