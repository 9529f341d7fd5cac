// A lean reference server for the benchmarks: one Node.js process per node, speaking the part of
// protocol v1 that the benchmark scenarios use (sign-up, sign-in, the socket's welcome, join, send,
// history, leave), with Redis as store and bus in the shape of the chat server's (a sorted set per
// room, one Lua script per send that numbers, stores and publishes, one channel per room, each
// frame encoded once per node). It is the yardstick the Java nodes are compared with in
// docs/BENCHMARKS.md, not a chat server: no moderation, no recovery after a Redis loss, no
// presence expiry for a dead node, no origin check, no typing or read marks.
//   node lean-server.mjs --port 18090 [--redis redis://127.0.0.1:6379] [--iterations 1000]
import http from 'node:http';
import { randomBytes, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { WebSocketServer } from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
const port = Number(args.port ?? 18090);
const redisUrl = args.redis ?? 'redis://127.0.0.1:6379';
const iterations = Number(args.iterations ?? 1000);
const derive = promisify(pbkdf2);

const store = new Redis(redisUrl);   // commands and PUBLISH
const bus = new Redis(redisUrl);     // SUBSCRIBE only

const NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const ROOM = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const k = {
  user: u => `lean:user:${u}`, token: t => `lean:token:${t}`, rooms: u => `lean:rooms:${u}`,
  online: u => `lean:online:${u}`, seq: r => `lean:{${r}}:seq`, log: r => `lean:{${r}}:log`,
  members: r => `lean:{${r}}:members`, rate: (r, u) => `lean:{${r}}:rate:${u}`, channel: r => `lean:{${r}}:events`,
};

// KEYS: seq, log, members, rate; ARGV: user, text, ts, room, channel. Answers the id, -1 for not a
// member, -2 for over the rate (40 sends in a second).
store.defineCommand('send', { numberOfKeys: 4, lua: `
  if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 0 then return -1 end
  local n = redis.call('INCR', KEYS[4])
  if n == 1 then redis.call('PEXPIRE', KEYS[4], 1000) end
  if n > 40 then return -2 end
  local id = redis.call('INCR', KEYS[1])
  local m = cjson.encode({room = ARGV[4], id = id, from = ARGV[1], text = ARGV[2], ts = tonumber(ARGV[3])})
  redis.call('ZADD', KEYS[2], id, m)
  if id % 1000 == 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -10001) end
  redis.call('PUBLISH', ARGV[5], '{"type":"message",' .. string.sub(m, 2))
  return id` });
// KEYS: members, the user's rooms; ARGV: user, room, channel. Answers 1 when the user became a member.
store.defineCommand('join', { numberOfKeys: 2, lua: `
  if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
  redis.call('SADD', KEYS[2], ARGV[2])
  redis.call('PUBLISH', ARGV[3], cjson.encode({type = 'member_add', room = ARGV[2], user = ARGV[1]}))
  redis.call('PUBLISH', ARGV[3], cjson.encode({type = 'presence', room = ARGV[2], user = ARGV[1], online = true}))
  return 1` });

const local = new Map();   // room -> Set of this node's sockets in it
bus.on('messageBuffer', (channel, payload) => {
  const room = channel.toString().slice(6, -8);   // lean:{room}:events
  for (const ws of local.get(room) ?? []) deliver(ws, payload);
});
function deliver(ws, frame) {
  if (ws.bufferedAmount > 1 << 20) { ws.close(1013, 'not reading'); return; }
  ws.send(frame, { binary: false });
}
async function attach(ws, room) {
  let sockets = local.get(room);
  if (!sockets) {
    local.set(room, sockets = new Set());
    await bus.subscribe(k.channel(room));
  }
  sockets.add(ws);
  ws.rooms.add(room);
}
function detach(ws, room) {
  const sockets = local.get(room);
  ws.rooms.delete(room);
  if (sockets?.delete(ws) && sockets.size === 0) {
    local.delete(room);
    bus.unsubscribe(k.channel(room));
  }
}

const frame = o => JSON.stringify(o);
const error = (code, message, ref) => frame(ref ? { type: 'error', code, message, ref } : { type: 'error', code, message });

async function onFrame(ws, data, isBinary) {
  let f;
  try { f = isBinary ? null : JSON.parse(data); } catch { f = null; }
  if (!f || typeof f.type !== 'string') return ws.send(error('bad_request', 'a frame is one JSON object with a type'));
  const ref = typeof f.ref === 'string' && f.ref.length >= 1 && f.ref.length <= 64 ? f.ref : undefined;
  const room = typeof f.room === 'string' ? f.room.toLowerCase() : '';
  if (['join', 'send', 'history', 'leave'].includes(f.type) && !ROOM.test(room))
    return ws.send(error('bad_request', 'bad room name', ref));
  switch (f.type) {
    case 'join': {
      await attach(ws, room);
      await store.join(k.members(room), k.rooms(ws.user), ws.user, room, k.channel(room));
      const [[, members], [, count], [, page]] = await store.multi()
        .smembers(k.members(room)).zcard(k.log(room)).zrange(k.log(room), -50, -1).exec();
      const flags = members.length ? await store.mget(members.map(k.online)) : [];
      return ws.send(`{"type":"joined","room":${frame(room)},"epoch":"lean","members":${frame(members)},` +
        `"online":${frame(members.filter((_, i) => Number(flags[i]) > 0))},"messages":[${page.join(',')}],` +
        `"more":${count > page.length}}`);
    }
    case 'send': {
      if (typeof f.text !== 'string' || !f.text.trim()) return ws.send(error('bad_request', 'text is empty', ref));
      if ([...f.text].length > 4000) return ws.send(error('too_long', 'text over 4000 characters', ref));
      const id = await store.send(k.seq(room), k.log(room), k.members(room), k.rate(room, ws.user),
        ws.user, f.text, Date.now(), room, k.channel(room));
      if (id === -1) return ws.send(error('not_member', 'not a member of the room', ref));
      if (id === -2) return ws.send(error('rate_limited', 'too many sends', ref));
      return ws.send(ref ? frame({ type: 'ack', ref, room, id }) : frame({ type: 'ack', room, id }));
    }
    case 'history': {
      if (!(await store.sismember(k.members(room), ws.user))) return ws.send(error('not_member', 'not a member', ref));
      const limit = f.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) return ws.send(error('bad_request', 'limit is 1-200', ref));
      const before = Number.isInteger(f.before) ? f.before : Number.MAX_SAFE_INTEGER;
      const page = await store.zrevrangebyscore(k.log(room), `(${before}`, '-inf', 'LIMIT', 0, limit + 1);
      const more = page.length > limit;
      return ws.send(`{"type":"history","room":${frame(room)},"messages":[${page.slice(0, limit).reverse().join(',')}],"more":${more}}`);
    }
    case 'leave': {
      if (!(await store.srem(k.members(room), ws.user))) return ws.send(error('not_member', 'not a member', ref));
      await store.srem(k.rooms(ws.user), room);
      await store.publish(k.channel(room), frame({ type: 'member_remove', room, user: ws.user }));
      detach(ws, room);
      return ws.send(frame({ type: 'left', room }));
    }
    case 'typing': case 'read': return undefined;
    default: return ws.send(error('bad_request', 'unknown type', ref));
  }
}

async function body(req) {
  let text = '';
  for await (const chunk of req) { text += chunk; if (text.length > 65536) throw new Error('too large'); }
  return JSON.parse(text);
}
function answer(res, status, o) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(o === undefined ? undefined : frame(o));
}
const fail = (res, status, code) => answer(res, status, { error: code, message: code.replace('_', ' ') });

const server = http.createServer(async (req, res) => {
  try {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path.startsWith('/health/')) return answer(res, 200, { status: 'UP' });
    if (req.method !== 'POST' || (path !== '/api/users' && path !== '/api/sessions')) return fail(res, 404, 'not_found');
    const { username, password } = await body(req);
    if (typeof username !== 'string' || typeof password !== 'string') return fail(res, 400, 'bad_request');
    const user = username.toLowerCase();
    if (path === '/api/users') {
      if (!NAME.test(user) || password.length < 8 || password.length > 128) return fail(res, 400, 'bad_request');
      const salt = randomBytes(16);
      const hash = await derive(password, salt, iterations, 32, 'sha256');
      const created = await store.hsetnx(k.user(user), 'salt', salt.toString('base64'));
      if (!created) return fail(res, 409, 'name_taken');
      await store.hset(k.user(user), 'hash', hash.toString('base64'));
      return answer(res, 201, { username: user });
    }
    const [salt, hash] = await store.hmget(k.user(user), 'salt', 'hash');
    if (!salt || !hash) return fail(res, 401, 'unauthorized');
    const given = await derive(password, Buffer.from(salt, 'base64'), iterations, 32, 'sha256');
    if (!timingSafeEqual(given, Buffer.from(hash, 'base64'))) return fail(res, 401, 'unauthorized');
    const token = randomBytes(24).toString('base64url');
    await store.set(k.token(token), user, 'EX', 86400);
    return answer(res, 200, { token, username: user });
  } catch {
    return fail(res, 400, 'bad_request');
  }
});

const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
server.on('upgrade', async (req, socket, head) => {
  const url = new URL(req.url, 'http://x');
  const token = url.searchParams.get('access_token') ?? (req.headers.authorization ?? '').replace(/^Bearer /, '');
  const user = url.pathname === '/ws' && token ? await store.get(k.token(token)) : null;
  if (!user) { socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'); return; }
  sockets.handleUpgrade(req, socket, head, async ws => {
    ws.user = user;
    ws.rooms = new Set();
    const chain = { last: Promise.resolve() };   // one frame at a time per socket, in order
    ws.on('message', (data, isBinary) => {
      chain.last = chain.last.then(() => onFrame(ws, data.toString(), isBinary))
        .catch(() => ws.send(error('internal', 'the server could not complete it')));
    });
    ws.on('close', async () => {
      for (const room of [...ws.rooms]) detach(ws, room);
      if (await store.decr(k.online(user)) === 0) {
        for (const room of await store.smembers(k.rooms(user)))
          store.publish(k.channel(room), frame({ type: 'presence', room, user, online: false }));
      }
    });
    const rooms = await store.smembers(k.rooms(user));
    for (const room of rooms) await attach(ws, room);
    if (await store.incr(k.online(user)) === 1) {
      for (const room of rooms) store.publish(k.channel(room), frame({ type: 'presence', room, user, online: true }));
    }
    const seqs = await Promise.all(rooms.map(r => store.get(k.seq(r))));
    ws.send(frame({ type: 'welcome', user, rooms: rooms.map((room, i) => ({ room, lastId: Number(seqs[i] ?? 0), lastRead: 0 })) }));
  });
});
server.listen(port, '127.0.0.1', () => console.error(`lean server on ${port}, ${redisUrl}`));
