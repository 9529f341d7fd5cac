#!/usr/bin/env bash
# One run of the browser-like broadcast on two freshly booted Payara Micro nodes (docs/BENCHMARKS.md,
# "A cold node's join storm"): an emptied private Redis on 6390, nodes on 18090/18091 with WAR, 500
# members, 20 msg/s, 15 s; prints the client's JSON line and each node's chat-fanout CPU (ticks of
# 10 ms, from /proc), then kills the nodes.
#   src/load/cold-ab.sh WAR LABEL      (needs target/payara-micro.jar, npm ci in src/load/node,
#                                       redis-server --port 6390 --save '' --appendonly no --daemonize yes)
set -uo pipefail
WAR=$(realpath "$1"); LABEL=$2
cd "$(dirname "$0")/../.."
pkill -9 -f payara-micro.jar; while ss -ltn | grep -q ':1809[01] '; do sleep 1; done
redis-cli -p 6390 flushall >/dev/null
for P in 18090 18091; do
  env REDIS_ADDRESS=redis://127.0.0.1:6390 AUTH_PBKDF2_ITERATIONS=1000 AUTH_RATE_PER_ADDRESS_PER_SECOND=0 \
    setsid java -Xmx1g -jar target/payara-micro.jar --deploy "$WAR" --contextroot / --nohazelcast \
    --prebootcommandfile server-config/pre-boot-commands.asadmin --port $P > target/cold-node-$P.log 2>&1 &
done
sleep 5
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:18090/health/ready >/dev/null && curl -sf http://127.0.0.1:18091/health/ready >/dev/null && break
  sleep 1
done
PIDS=$(pgrep -f "payara-micro.jar --deploy $WAR" | tr '\n' ',' | sed 's/,$//')
R=$(cd src/load/node && node browserlike.mjs --nodes http://127.0.0.1:18090/,http://127.0.0.1:18091/ --members 500 \
  --rate 20 --seconds 15 --pids "$PIDS" 2>../../../target/cold-client.err | tail -1)
echo "$LABEL $R"
for p in ${PIDS//,/ }; do
  for t in /proc/$p/task/*; do
    [[ $(cat "$t/comm") == chat-fanout ]] && echo "$LABEL node $p chat-fanout ticks $(awk '{print $14+$15}' "$t/stat")"
  done
done
pkill -9 -f payara-micro.jar
