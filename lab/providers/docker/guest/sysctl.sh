#!/bin/sh
# sysctl(8) in the lab's containers (installed as /usr/local/sbin/sysctl, ahead of the real one
# in PATH). Docker mounts /proc/sys read-only in a container, so the values the guest scripts
# write (net.sh: ip_forward; realserver.sh: the ARP and rp_filter settings of direct routing and
# tunnelling) are set when the container is created (lab/providers/docker/specs.ts), and a
# write here succeeds when its value is already in place. Per-NIC keys Docker cannot always set
# count as in place when the kernel's effective value is what the script asks for:
#   conf.<nic>.arp_ignore, arp_announce: the kernel uses the larger of conf.all and conf.<nic>,
#     so conf.all holding at least the value is enough;
#   conf.<nic>.rp_filter=0 (tunl0 under tunnelling): with conf.all at 0 the NIC's own value
#     rules; 2 (loose) passes the lab's traffic too, since every host has a route back.
# Anything else that cannot be set fails, naming the key.
REAL=/usr/sbin/sysctl
case " $* " in *=*) ;; *) exec "$REAL" "$@" ;; esac

quiet=
status=0
for arg; do
  case "$arg" in
    -q) quiet=1 ;;
    -w) ;;
    *=*)
      key=${arg%%=*}
      want=${arg#*=}
      if "$REAL" -q -w "$arg" 2>/dev/null; then
        [ -n "$quiet" ] || echo "$key = $want"
        continue
      fi
      file=/proc/sys/$(echo "$key" | tr . /)
      have=$(cat "$file" 2>/dev/null) || { echo "sysctl: cannot stat $file: No such file or directory" >&2; status=1; continue; }
      all=$(cat "/proc/sys/net/ipv4/conf/all/${key##*.}" 2>/dev/null || echo)
      ok=
      [ "$have" = "$want" ] && ok=1
      case "$key" in
        net.ipv4.conf.*.arp_ignore|net.ipv4.conf.*.arp_announce)
          [ -n "$all" ] && [ "$all" -ge "$want" ] && ok=1 ;;
        net.ipv4.conf.*.rp_filter)
          [ "$want" = 0 ] && [ "$all" = 0 ] && [ "$have" != 1 ] && ok=1 ;;
      esac
      if [ -n "$ok" ]; then
        [ -n "$quiet" ] || echo "$key = $want"
      else
        echo "sysctl: $key is $have and cannot be set to $want in this container (Docker's /proc/sys is read-only): the docker provider must set it when it creates the container (lab/providers/docker/specs.ts)" >&2
        status=1
      fi
      ;;
    *) exec "$REAL" "$@" ;;
  esac
done
exit "$status"
