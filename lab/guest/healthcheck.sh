#!/bin/sh
# Starts or stops the director's health checker the scenario names (HEALTHCHECK in
# farm.conf): monit with the deck's or the corrected web_balancing script, keepalived, or none.
# The lab starts it once every web server answers, as a sysadmin would after bringing them up.
. "${FARM_CONF:-/etc/webfarm/farm.conf}"

start() {
  case "$HEALTHCHECK" in
  monit)
    mkdir -p /etc/monit /var/lib/monit
    /etc/webfarm/monitrc.sh > /etc/monit/monitrc
    chmod 600 /etc/monit/monitrc
    monit -c /etc/monit/monitrc
    ;;
  keepalived)
    mkdir -p /etc/keepalived
    /etc/webfarm/keepalived.conf.sh > /etc/keepalived/keepalived.conf
    keepalived --check -f /etc/keepalived/keepalived.conf
    ;;
  none) ;;
  esac
}

stop() {
  case "$HEALTHCHECK" in
  monit) monit -c /etc/monit/monitrc quit ;;
  keepalived) kill "$(cat /run/keepalived.pid)" ;;
  esac
}

case "$1" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: healthcheck.sh start|stop" >&2; exit 2 ;;
esac
