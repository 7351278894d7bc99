#!/bin/sh
# sweep.sh [connections per address] [addresses]: from each client source address in turn,
# opens that many connections to the VIP (one request each) and prints "<address> <server>"
# per answer. What source hashing does is read straight off it.
. "${FARM_CONF:-/etc/webfarm/farm.conf}"
per=${1:-1}
count=${2:-$CLIENT_ADDRESSES}
i=0
while [ "$i" -lt "$count" ]; do
  src="${CLIENT_NET%.*.*}.$((i / 250)).$((i % 250 + 1))"
  k=0
  while [ "$k" -lt "$per" ]; do
    echo "$src $(/etc/webfarm/request.sh "$src" 1)"
    k=$((k + 1))
  done
  i=$((i + 1))
done
