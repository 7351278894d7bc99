#!/usr/bin/env node
// open-loop.mjs: an exact open-loop HTTP load for failover timelines. Request i is sent at
// start + i / rate whatever happened to the ones before it (a closed loop, or autocannon,
// would slow down or re-send when a server dies — and so hide the failure). Requests are dealt
// round-robin over the client's source addresses, each with its own keep-alive agent, and
// every one is logged as a JSON line: source, sequence number, scheduled/start/end times,
// status, the real server that answered (its X-Server header) and the error, if any.
//
//   node open-loop.mjs --url http://10.0.0.100/ --rate 100 --duration 30 \
//        --sources 10.1.0.1-10.1.0.64 [--timeout 5] [--connect-timeout 3] [--out requests.jsonl]
//        [--start-at 123.45] [--requests-per-connection 10]
//
// Each address keeps its connection alive for --requests-per-connection requests (default 10,
// like a browser fetching a page's objects), then asks the server to close it and opens a new
// one. A kept-alive connection stays on its real server whatever the director's table says
// since; new connections follow the table. 1 opens a connection per request, as the simulator
// models one — about ten times the work for a small VM.
//
// --timeout: the client gives up this many seconds after sending; --connect-timeout (default:
// the same): a new connection gives up connecting after this long.
//
// --start-at: begin at that instant of this machine's uptime (/proc/uptime) rather than at
// once, so whoever applies faults from outside can line the log's times up with them (node
// itself takes a second or more to start in a small VM).
//
// Runs on Debian 12's nodejs (18) with no dependencies, in the client VM or anywhere else.
// Ends with one JSON summary line on stderr: sent = ok + failed by cause, always.

import http from 'node:http';
import { createWriteStream, readFileSync } from 'node:fs';

function parseArgs(argv) {
  const o = { url: '', rate: 100, duration: 10, sources: [], timeout: 5, connectTimeout: undefined, out: '-', startAt: undefined, requestsPerConnection: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k}: expected a value`);
    if (k === '--url') o.url = v;
    else if (k === '--rate') o.rate = Number(v);
    else if (k === '--duration') o.duration = Number(v);
    else if (k === '--timeout') o.timeout = Number(v);
    else if (k === '--connect-timeout') o.connectTimeout = Number(v);
    else if (k === '--out') o.out = v;
    else if (k === '--start-at') o.startAt = Number(v);
    else if (k === '--requests-per-connection') o.requestsPerConnection = Number(v);
    else if (k === '--sources') o.sources = expandSources(v);
    else throw new Error(`unknown option ${k}`);
  }
  if (!o.url) throw new Error('--url: expected the address to load, e.g. http://10.0.0.100/');
  if (!(o.rate > 0) || !(o.duration > 0) || !(o.timeout > 0)) throw new Error('--rate, --duration and --timeout must be above zero');
  if (o.connectTimeout !== undefined && !(o.connectTimeout > 0)) throw new Error('--connect-timeout must be above zero');
  if (!Number.isInteger(o.requestsPerConnection) || o.requestsPerConnection < 1) throw new Error('--requests-per-connection must be a whole number, 1 or more');
  return o;
}

/** "10.1.0.1-10.1.0.64" or "a,b,c" (or empty: the system picks the source). */
export function expandSources(text) {
  const out = [];
  for (const part of text.split(',').filter(Boolean)) {
    const m = /^(\d+\.\d+\.\d+\.)(\d+)-(?:\d+\.\d+\.\d+\.)?(\d+)$/.exec(part);
    if (!m) { out.push(part); continue; }
    for (let x = Number(m[2]); x <= Number(m[3]); x++) out.push(`${m[1]}${x}`);
  }
  return out;
}

/** A failed request's log fields: its cause, and the system's own code when the cause is "other". */
export function failure(err) {
  const error = causeOf(err);
  return error === 'other' && err && err.code ? { error, code: String(err.code) } : { error };
}

/** The cause of a failed request, in the lab's words. */
export function causeOf(err) {
  const code = err && err.code;
  if (code === 'ECONNREFUSED') return 'refused';
  // ICMP host/network unreachable: the director gave up resolving a dead real server's address.
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || (err && /socket hang up/.test(err.message))) return 'reset';
  return 'other';
}

/** Milliseconds until the machine's uptime reaches `at` seconds (0 if it has passed). */
function untilUptime(at) {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Math.max(0, (at - uptime) * 1000);
}

export async function run(o, write) {
  o = { ...o, connectTimeout: o.connectTimeout ?? o.timeout, requestsPerConnection: o.requestsPerConnection ?? 10 };
  if (o.startAt !== undefined) await new Promise((r) => setTimeout(r, untilUptime(o.startAt)));
  const agents = (o.sources.length ? o.sources : [undefined]).map(
    (localAddress) => new http.Agent({ keepAlive: o.requestsPerConnection > 1, ...(localAddress ? { localAddress } : {}) }),
  );
  const sources = o.sources.length ? o.sources : ['-'];
  const perSource = new Array(agents.length).fill(0);
  const total = Math.round(o.rate * o.duration);
  const counts = { sent: 0, ok: 0, refused: 0, reset: 0, timeout: 0, unreachable: 0, other: 0, http: 0 };
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  const url = new URL(o.url);
  let pending = 0;
  let finished;
  const allDone = new Promise((resolve) => { finished = resolve; });
  let launched = 0;

  const send = (seq) => {
    const k = seq % agents.length;
    // The last request of a connection's share asks the server to close it.
    const last = ++perSource[k] % o.requestsPerConnection === 0;
    const sched = seq / o.rate;
    const rec = { src: sources[k], seq, sched: +sched.toFixed(6), start: +now().toFixed(6) };
    counts.sent++;
    pending++;
    let settled = false;
    const settle = (fields) => {
      if (settled) return;
      settled = true;
      Object.assign(rec, fields, { end: +now().toFixed(6) });
      if (rec.error) counts[rec.error]++;
      else if (rec.status >= 200 && rec.status < 400) counts.ok++;
      else counts.http++;
      write(`${JSON.stringify(rec)}\n`);
      if (--pending === 0 && launched === total) finished();
    };
    const req = http.get({
      host: url.hostname, port: url.port || 80, path: url.pathname + url.search, agent: agents[k],
      headers: { Connection: last ? 'close' : 'keep-alive' },
    }, (res) => {
      const server = res.headers['x-server'];
      res.resume();
      res.on('end', () => settle({ status: res.statusCode, ...(server ? { server } : {}) }));
      res.on('error', (e) => settle(failure(e)));
    });
    // The client gives up `timeout` after sending, whatever the phase: req.setTimeout alone
    // would not count while the socket is still connecting (a SYN to a dead host retries for
    // minutes). A new connection also gives up after `connectTimeout`.
    const giveUp = () => {
      const e = new Error('timeout');
      e.code = 'TIMEOUT';
      req.destroy(e);
    };
    const whole = setTimeout(giveUp, o.timeout * 1000);
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(giveUp, o.connectTimeout * 1000);
      socket.once('connect', () => clearTimeout(connect));
      req.once('close', () => clearTimeout(connect));
    });
    req.once('close', () => clearTimeout(whole));
    req.on('error', (e) => settle(failure(e)));
  };

  // Keep the schedule: each tick sends every request whose time has come, late or not.
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(now() * o.rate) + 1);
      while (launched < due) send(launched++);
      if (launched >= total) return resolve();
      const wait = Math.max(0, (launched / o.rate - now()) * 1000);
      setTimeout(tick, Math.min(wait, 10));
    };
    tick();
  });
  if (pending > 0) await allDone;
  for (const a of agents) a.destroy();
  return counts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`open-loop.mjs: ${e.message}\n`);
    process.exit(2);
  }
  const stream = o.out === '-' ? process.stdout : createWriteStream(o.out);
  const counts = await run(o, (line) => stream.write(line));
  if (stream !== process.stdout) await new Promise((r) => stream.end(r));
  process.stderr.write(`${JSON.stringify(counts)}\n`);
}
