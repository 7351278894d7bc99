#!/usr/bin/env node
// capacity.mjs: the farm's capacity through the director, measured with autocannon —
// keep-alive connections that send their next request as soon as the last is answered, for a
// few seconds. A director that hashes on the client's address (sh) would send one client's
// connections all to one real server, so the connections are dealt round-robin over the
// client's source addresses (autocannon itself has no option for a source address). The
// answers are counted per real server by their X-Server header.
//
//   node capacity.mjs --url http://192.0.2.10/ --connections 64 --duration 5 \
//        --sources 10.200.0.1-10.200.0.64 [--modules /usr/lib/webfarm/node_modules]
//
// Prints one JSON line: requests/s, latency percentiles (ms), errors, timeouts, non-2xx, and
// the answers per real server.

import net from 'node:net';
import { createRequire } from 'node:module';
import { expandSources } from './open-loop.mjs';

function parseArgs(argv) {
  const o = { url: '', connections: 64, duration: 5, sources: [], modules: '/usr/lib/webfarm/node_modules' };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k}: expected a value`);
    if (k === '--url') o.url = v;
    else if (k === '--connections') o.connections = Number(v);
    else if (k === '--duration') o.duration = Number(v);
    else if (k === '--sources') o.sources = expandSources(v);
    else if (k === '--modules') o.modules = v;
    else throw new Error(`unknown option ${k}`);
  }
  if (!o.url) throw new Error('--url: expected the address to load, e.g. http://192.0.2.10/');
  if (!(o.connections >= 1) || !(o.duration > 0)) throw new Error('--connections and --duration must be above zero');
  return o;
}

/** Makes every plain net.connect(port, host) take the next source address in turn. */
export function dealSources(sources) {
  if (sources.length === 0) return;
  const connect = net.connect;
  let next = 0;
  net.connect = function (...args) {
    if (typeof args[0] === 'number') {
      const [port, host] = args;
      return connect.call(net, { port, host, localAddress: sources[next++ % sources.length] });
    }
    return connect.apply(net, args);
  };
}

export async function measure(o) {
  const autocannon = createRequire(`${o.modules}/`)('autocannon');
  dealSources(o.sources);
  const perServer = {};
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.duration,
    // Every response's X-Server header, counted (headers come as a flat name, value list).
    setupClient: (client) => client.on('headers', ({ headers }) => {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        if (headers[i].toLowerCase() === 'x-server') perServer[headers[i + 1]] = (perServer[headers[i + 1]] ?? 0) + 1;
      }
    }),
  });
  return {
    connections: o.connections,
    duration: result.duration,
    requests: result.requests.total,
    // What counts is what was answered well: 2xx and 3xx.
    ok: result['2xx'] + result['3xx'],
    throughput: (result['2xx'] + result['3xx']) / result.duration,
    latency: { mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    perServer,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`capacity.mjs: ${e.message}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await measure(o))}\n`);
}
