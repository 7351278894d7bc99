// The capacity measurement the client VM runs (autocannon with its connections dealt over the
// client's source addresses), against a real in-process server on loopback: 127.0.0.2–.5 play
// the client's addresses, and the server answers as "web1" or "web2" by the caller's address,
// as a director hashing on the source would.

import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { measure } from '../../lab/guest/capacity.mjs';
import { expandSources } from '../../lab/guest/open-loop.mjs';

describe('capacity measurement (autocannon over the client addresses)', function () {
  this.timeout(30_000);

  it('uses every source address, counts answers per real server and reports requests/s', async () => {
    const seen = new Map<string, number>();
    const server = http.createServer((req, res) => {
      const from = req.socket.remoteAddress ?? '?';
      seen.set(from, (seen.get(from) ?? 0) + 1);
      res.setHeader('X-Server', Number(from.split('.')[3]) % 2 === 0 ? 'web1' : 'web2');
      res.end('ok\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const m = await measure({ url, connections: 8, duration: 1, sources: expandSources('127.0.0.2-127.0.0.5'), modules: join(import.meta.dirname, '..', '..', 'node_modules') });
      assert.deepEqual([...seen.keys()].sort(), ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
      const served = [...seen.values()].reduce((a, b) => a + b, 0);
      // autocannon stops counting at its deadline: answers in flight then are not in its total.
      assert.ok(m.requests <= served && m.requests >= served - 8, `autocannon counted ${m.requests}, the server answered ${served}`);
      assert.equal(m.ok, m.requests);
      assert.equal((m.perServer.web1 ?? 0) + (m.perServer.web2 ?? 0), m.requests);
      assert.ok(m.perServer.web1! > 0 && m.perServer.web2! > 0, JSON.stringify(m.perServer));
      assert.ok(Math.abs(m.throughput - m.ok / m.duration) < 1e-9);
      assert.ok(m.latency.p50 <= m.latency.p99 && m.latency.p99 <= m.latency.max);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
