// A load client whose sockets behave like a browser's: the `ws` library answers pings, offers
// permessage-deflate (as browsers do) and reads every frame as it arrives. One room of N members spread
// over the given nodes; a few of them send at a total rate; every member measures each message's
// send-to-delivery time from the time the sender wrote into its text (one process, one clock).
// Prints one JSON line. Usage (after `npm ci` in this folder):
//   node browserlike.mjs --nodes http://127.0.0.1:18090/,http://127.0.0.1:18091/ --members 500 \
//        --rate 20 --seconds 15 [--deflate false] [--pids 123,456] [--senders 10] [--warmup 5]
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
const nodes = (args.nodes ?? 'http://127.0.0.1:18090/').split(',');
const members = Number(args.members ?? 500);
const rate = Number(args.rate ?? 20);
const seconds = Number(args.seconds ?? 15);
const warmup = Number(args.warmup ?? 5);
const senders = Number(args.senders ?? 10);
const deflate = (args.deflate ?? 'true') !== 'false';
const pids = (args.pids ?? '').split(',').filter(Boolean);
const run = Math.random().toString(36).slice(2, 8);
const room = `bench-${run}`;
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
  return { base, username, token };
}

const latencies = [];
let measuring = false;
let delivered = 0;
let closes = 0;

function open({ base, token }) {
  return new Promise((joined, failed) => {
    const url = base.replace(/^http/, 'ws') + 'ws?access_token=' + encodeURIComponent(token);
    const ws = new WebSocket(url, { perMessageDeflate: deflate });
    ws.on('message', data => {
      const f = JSON.parse(data.toString());
      if (f.type === 'welcome') ws.send(JSON.stringify({ type: 'join', room }));
      else if (f.type === 'joined') joined(ws);
      else if (f.type === 'message' && f.text.startsWith('t:') && measuring) {
        latencies.push(now() - Number(f.text.slice(2)));
        delivered++;
      } else if (f.type === 'error' && f.code !== 'rate_limited') console.error(JSON.stringify(f));
    });
    ws.on('close', () => closes++);
    ws.on('error', failed);
  });
}

function cpuTicks() { // user+system ticks (1/100 s) of each server process
  return pids.map(pid => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    .slice(11, 13).reduce((a, b) => a + Number(b), 0));
}

const accounts = [];
for (let i = 0; i < members; i += 20) {
  accounts.push(...await Promise.all(Array.from({ length: Math.min(20, members - i) }, (_, k) => signIn(i + k))));
}
const sockets = [];
for (let i = 0; i < members; i += 50) {
  sockets.push(...await Promise.all(accounts.slice(i, i + 50).map(open)));
}
const extensions = sockets[0].extensions;

console.error(`connected and joined: ${sockets.length} sockets`);
let sent = 0;
const interval = 1000 / rate;
const start = now();
const sending = setInterval(() => {
  const due = Math.floor((now() - start) / interval);
  while (sent < due) {
    sockets[sent % senders].send(JSON.stringify({ type: 'send', room, text: 't:' + now() }));
    sent++;
  }
}, 5);
await new Promise(ok => setTimeout(ok, warmup * 1000));
measuring = true;
const sentBefore = sent;
const ticksBefore = cpuTicks();
await new Promise(ok => setTimeout(ok, seconds * 1000));
const ticksAfter = cpuTicks();
const sentDuring = sent - sentBefore;
clearInterval(sending);
await new Promise(ok => setTimeout(ok, 2000)); // late deliveries still count
measuring = false;
latencies.sort((a, b) => a - b);
const at = q => latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10 : null;
const cpuMs = ticksAfter.reduce((a, b) => a + b, 0) * 10 - ticksBefore.reduce((a, b) => a + b, 0) * 10;
console.log(JSON.stringify({
  scenario: 'browserlike-broadcast', deflate, negotiated: extensions || '', members, rate, seconds,
  sent: sentDuring, delivered, expected: sentDuring * members, p50: at(0.5), p99: at(0.99), max: at(1),
  serverCpuMsPer1000: pids.length ? Math.round(cpuMs / (delivered / 1000) * 10) / 10 : null, closes,
}));
for (const ws of sockets) ws.terminate();
process.exit(0);
