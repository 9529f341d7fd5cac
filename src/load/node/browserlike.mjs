// A load client whose sockets behave like a browser's: the `ws` library answers pings, offers
// permessage-deflate (as browsers do) and reads every frame as it arrives. N members spread over the
// given nodes and over R rooms (member i in room i mod R); a few members of each room send, together
// at the given rate; every member measures each message's send-to-delivery time from the time the
// sender wrote into its text (one process, one clock) and checks that each room's ids come in order
// with no gap and no repeat. Prints one JSON line per step. Usage (after `npm ci` in this folder):
//   node browserlike.mjs --nodes http://127.0.0.1:18090/,http://127.0.0.1:18091/ --members 500 \
//        --rate 20 --seconds 15 [--rooms 1] [--senders 10] [--warmup 5] [--deflate false] [--pids 123,456]
// A ramp: --ramp 1000,2000,3000 (messages/s, all rooms together) runs one step per rate on the same
// sockets (--warmup then --seconds each; --prewarm S first runs the first rate for S seconds
// unmeasured, for nodes just started) and stops after the first step past the bound: p99 over
// --bound ms (200) or a delivery missing. The last line is the knee: the highest clean step.
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
const nodes = (args.nodes ?? 'http://127.0.0.1:18090/').split(',');
const members = Number(args.members ?? 500);
const roomCount = Number(args.rooms ?? 1);
const seconds = Number(args.seconds ?? 15);
const warmup = Number(args.warmup ?? 5);
const prewarm = Number(args.prewarm ?? 0);
const sendersPerRoom = Number(args.senders ?? 10);
const bound = Number(args.bound ?? 200);
const steps = (args.ramp ?? args.rate ?? '20').split(',').map(Number);
const deflate = (args.deflate ?? 'true') !== 'false';
const pids = (args.pids ?? '').split(',').filter(Boolean);
const run = Math.random().toString(36).slice(2, 8);
const roomOf = i => `bench-${run}-${i % roomCount}`;
const now = () => performance.timeOrigin + performance.now();

async function post(base, path, body, expect) {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(new URL(path, base), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status === expect) return r.json();
    if (r.status !== 429 || attempt > 50) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    await new Promise(ok => setTimeout(ok, 200));
  }
}

async function signIn(i) {
  const base = nodes[i % nodes.length];
  const username = `b${run}-${i}`;
  await post(base, 'api/users', { username, password: 'benchmark-pass' }, 201);
  const { token } = await post(base, 'api/sessions', { username, password: 'benchmark-pass' }, 200);
  return { base, username, token, room: roomOf(i) };
}

let latencies = [];
let windowStart = Infinity;   // messages written in [windowStart, windowEnd) are the step's
let windowEnd = Infinity;
let delivered = 0;
let disorder = 0;   // a message whose id is not the one after the last this socket saw in its room
let refused = 0;
let closes = 0;
const otherErrors = new Map();

const MESSAGE = '{"type":"message"';
function onMessage(ws, data) {
  const s = data.toString();
  // a message frame is read without parsing it whole (its id and the sender's time), as the
  // benchmark's own cost should stay small beside the server's; every other frame is parsed
  const text = s.indexOf('"text":"t:');
  if (s.startsWith(MESSAGE) && text > 0) {
    const at = s.indexOf('"id":') + 5;
    const id = parseInt(s.slice(at, at + 20), 10);
    if (ws.lastId && id !== ws.lastId + 1) disorder++;
    ws.lastId = id;
    const written = parseFloat(s.slice(text + 10, text + 40));
    if (written >= windowStart && written < windowEnd) {
      latencies.push(now() - written);
      delivered++;
    }
    return;
  }
  const f = JSON.parse(s);
  if (f.type === 'welcome') ws.send(JSON.stringify({ type: 'join', room: ws.room }));
  else if (f.type === 'joined') ws.joined(ws);
  else if (f.type === 'error') {
    if (f.code === 'rate_limited') refused++;
    else otherErrors.set(f.code, (otherErrors.get(f.code) ?? 0) + 1);
  }
}

function open({ base, token, room }) {
  return new Promise((joined, failed) => {
    const url = base.replace(/^http/, 'ws') + 'ws?access_token=' + encodeURIComponent(token);
    const ws = new WebSocket(url, { perMessageDeflate: deflate });
    Object.assign(ws, { room, joined, lastId: 0 });
    ws.on('message', data => onMessage(ws, data));
    ws.on('close', () => closes++);
    ws.on('error', failed);
  });
}

function cpuTicks() { // user+system ticks (1/100 s) of each server process
  return pids.map(pid => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    .slice(11, 13).reduce((a, b) => a + Number(b), 0));
}
const sum = a => a.reduce((x, y) => x + y, 0);

const accounts = [];
for (let i = 0; i < members; i += 20) {
  accounts.push(...await Promise.all(Array.from({ length: Math.min(20, members - i) }, (_, k) => signIn(i + k))));
}
const sockets = [];
for (let i = 0; i < members; i += 50) {
  sockets.push(...await Promise.all(accounts.slice(i, i + 50).map(open)));
}
const extensions = sockets[0].extensions;
console.error(`connected and joined: ${sockets.length} sockets in ${roomCount} room(s)`);
// the senders: the first sendersPerRoom members of each room, taken in turn across rooms
const senders = sockets.filter((_, i) => Math.floor(i / roomCount) < sendersPerRoom);
const roomSize = Math.ceil(members / roomCount);

function drive(rate) { // sends at the rate until stopped; .sent() is how many so far
  let sent = 0;
  const interval = 1000 / rate;
  const start = now();
  const timer = setInterval(() => {
    const due = Math.floor((now() - start) / interval);
    while (sent < due) {
      const ws = senders[sent % senders.length];
      ws.send(JSON.stringify({ type: 'send', room: ws.room, text: 't:' + now() }));
      sent++;
    }
  }, 5);
  return { sent: () => sent, stop: () => clearInterval(timer) };
}
if (prewarm > 0) { // nodes just started: run the first step's rate unmeasured first
  const warming = drive(steps[0]);
  await new Promise(ok => setTimeout(ok, prewarm * 1000));
  warming.stop();
  await new Promise(ok => setTimeout(ok, 3000));
  console.error(`prewarmed ${prewarm} s at ${steps[0]} msg/s`);
}

let knee = null;
for (const rate of steps) {
  const sending = drive(rate);
  await new Promise(ok => setTimeout(ok, warmup * 1000));
  latencies = [];
  delivered = 0;
  windowStart = now();
  const sentBefore = sending.sent();
  const ticksBefore = cpuTicks();
  const clientBefore = process.cpuUsage();
  await new Promise(ok => setTimeout(ok, seconds * 1000));
  const ticksAfter = cpuTicks();
  const client = process.cpuUsage(clientBefore);
  windowEnd = now();
  const sentDuring = sending.sent() - sentBefore;
  sending.stop();
  await new Promise(ok => setTimeout(ok, 2000)); // late deliveries still count
  windowStart = windowEnd = Infinity;
  latencies.sort((a, b) => a - b);
  const at = q => latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10 : null;
  // every member of the sender's room gets each message (rooms of equal size when members % rooms == 0)
  const expected = sentDuring * roomSize;
  const step = {
    scenario: roomCount > 1 ? 'browserlike-rooms' : 'browserlike-broadcast', deflate, negotiated: extensions || '',
    members, rooms: roomCount, rate, deliveriesPerSecond: Math.round(delivered / seconds), seconds,
    sent: sentDuring, delivered, expected, disorder, refused, errors: Object.fromEntries(otherErrors),
    p50: at(0.5), p99: at(0.99), max: at(1),
    serverCpuMsPer1000: pids.length ? Math.round((sum(ticksAfter) - sum(ticksBefore)) * 10 / (delivered / 1000) * 10) / 10 : null,
    clientCpuMsPer1000: Math.round((client.user + client.system) / 1000 / (delivered / 1000) * 10) / 10, closes,
  };
  console.log(JSON.stringify(step));
  const clean = step.p99 !== null && step.p99 <= bound && delivered >= expected && disorder === 0 && closes === 0;
  if (!clean) break;
  knee = step;
  await new Promise(ok => setTimeout(ok, 1000));
}
if (steps.length > 1) {
  console.log(JSON.stringify({ knee: knee && knee.rate, deliveriesPerSecond: knee && knee.deliveriesPerSecond,
    p99: knee && knee.p99, serverCpuMsPer1000: knee && knee.serverCpuMsPer1000 }));
}
for (const ws of sockets) ws.terminate();
process.exit(0);
