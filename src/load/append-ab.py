# Redis time of one append on full rooms, two versions of the send script side by side (INFO commandstats).
# Each script file is the whole text Redis runs: its libraries first, as LuaScript.load joins them. E.g.:
#   R=src/main/resources/org/redischat; cat $R/redis/gcra.lua $R/history/posting.lua $R/history/append.lua > /tmp/new.lua
#   git show d1a540d:src/main/resources/org/redischat/history/append.lua | cat $R/redis/gcra.lua - > /tmp/old.lua
#   redis-server --port 6391 --save '' --appendonly no --daemonize yes; python3 src/load/append-ab.py 6391 3 /tmp/old.lua /tmp/new.lua
import socket, sys, time
port = int(sys.argv[1]); rounds = int(sys.argv[2])
s = socket.create_connection(('127.0.0.1', port)); f = s.makefile('rb')
def enc(*a):
    out = [b'*%d\r\n' % len(a)]
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(x), x))
    return b''.join(out)
def read():
    line = f.readline()
    t = line[:1]
    if t in (b'+', b'-', b':'): return line[1:-2]
    if t == b'$':
        n = int(line[1:-2]);
        if n < 0: return None
        d = f.read(n + 2); return d[:-2]
    if t == b'*':
        n = int(line[1:-2]); return [read() for _ in range(n)]
def call(*a):
    s.sendall(enc(*a)); return read()
def pipeline(cmds):
    s.sendall(b''.join(cmds))
    return [read() for _ in cmds]
files = {'old': sys.argv[3], 'new': sys.argv[4]}
sha = {k: call('SCRIPT', 'LOAD', open(files[k]).read()).decode() for k in ('old', 'new')}
ROOMS, RET = 100, 1000
def args(k, room, i):
    p = 'chat:{ab-%s-%d}:' % (k, room)
    head = '{"room":"ab-%d","id":' % room
    tail = ',"from":"u","text":"message number %d with some words in it","ts":1764262800000}' % i
    return enc('EVALSHA', sha[k], 5, p + 'epoch', p + 'seq', p + 'log', p + 'members', p + 'ref',
               'e1', 'u', head, tail, RET, '0', p + 'events', 'chat\n1 message ab-%d ' % room, 'PUBLISH', '0', '0', '0')
for k in ('old', 'new'):
    for r in range(ROOMS):
        call('SADD', 'chat:{ab-%s-%d}:members' % (k, r), 'u')
    for start in range(0, RET + 100, 100):  # fill every room past its retention
        pipeline([args(k, r, start + j) for r in range(ROOMS) for j in range(100)])
def stat():
    info = call('INFO', 'commandstats').decode()
    for l in info.split('\r\n'):
        if l.startswith('cmdstat_evalsha:'):
            d = dict(x.split('=') for x in l.split(':', 1)[1].split(','))
            return int(d['calls']), int(d['usec'])
    return 0, 0
for rnd in range(rounds):
    for k in ('old', 'new'):
        call('CONFIG', 'RESETSTAT')
        t = time.time()
        for b in range(50):
            pipeline([args(k, r, 10_000 + b * 10 + j) for r in range(ROOMS) for j in range(10)])
        wall = time.time() - t
        calls, usec = stat()
        print('round %d %s: %d appends on full rooms, %.2f us of Redis each, %.0f appends/s through one connection'
              % (rnd + 1, k, calls, usec / calls, calls / wall))
