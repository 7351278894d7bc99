#!/bin/sh
# The lab's control channel on the second serial port. One request per line:
#   WF <id> <base64 of a shell command>
# and for each the answer, base64 so no output can be taken for a marker:
#   @@WF-OUT <id>  …stdout…  @@WF-ERR <id>  …stderr…  @@WF-END <id> <exit code>
# Kernel messages go to the first serial port and never mix with this.
stty raw -echo 2>/dev/null
echo "@@WF-READY@@"
while IFS= read -r line; do
  set -- $line
  [ "$1" = WF ] && [ -n "$2" ] || continue
  id=$2
  cmd=$(printf '%s' "$3" | base64 -d 2>/dev/null)
  (cd /root 2>/dev/null; exec sh -c "$cmd") </dev/null >/tmp/.wf.out 2>/tmp/.wf.err
  rc=$?
  printf '@@WF-OUT %s\n' "$id"
  base64 </tmp/.wf.out
  printf '@@WF-ERR %s\n' "$id"
  base64 </tmp/.wf.err
  printf '@@WF-END %s %s\n' "$id" "$rc"
done
