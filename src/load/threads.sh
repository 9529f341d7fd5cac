#!/usr/bin/env bash
# Per-thread CPU of a running JVM over an interval, summed by thread name with numbers removed
# (chat-fanout, http-thread-pool::http-listener(N), redisson-netty-N-M, ...), highest first, in ms.
# Linux only: reads /proc/PID/task/*/stat (utime+stime, 100 ticks a second) and /proc/PID/task/*/comm
# (the first 15 characters of the name). Usage: src/load/threads.sh PID SECONDS
set -euo pipefail
pid=$1; seconds=$2
snap() { for t in /proc/"$pid"/task/*; do
    [[ -r $t/stat ]] || continue
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    rest=${stat##*) }; set -- $rest
    printf '%s\t%s\t%s\n' "${t##*/}" "$(( ${12} + ${13} ))" "$(tr -d '\n' < "$t/comm" 2>/dev/null)"
  done; }
before=$(snap); sleep "$seconds"; after=$(snap)
join -t $'\t' <(sort <<< "$before") <(sort <<< "$after") \
  | awk -F'\t' '{ name = $5; gsub(/[0-9]+/, "#", name); cpu[name] += ($4 - $2) * 10; n[name]++ }
      END { for (k in cpu) if (cpu[k] > 0) printf "%8d ms  %3d thread(s)  %s\n", cpu[k], n[k], k }' \
  | sort -rn
