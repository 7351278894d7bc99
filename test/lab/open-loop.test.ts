// The open-loop load generator the client VM runs, against real in-process servers on
// loopback (127.0.0.2–127.0.0.9 as the client's source addresses).

import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expandSources, failure, run } from '../../lab/guest/open-loop.mjs';

interface Line { src: string; seq: number; sched: number; start: number; end: number; status?: number; server?: string; error?: string }

function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as AddressInfo).port;
    resolve({
      url: `http://127.0.0.1:${port}/`,
      close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    });
  }));
}

async function load(url: string, rate: number, duration: number, timeout = 2, requestsPerConnection = 10): Promise<{ counts: Awaited<ReturnType<typeof run>>; lines: Line[] }> {
  const lines: Line[] = [];
  const counts = await run({ url, rate, duration, timeout, requestsPerConnection, sources: expandSources('127.0.0.2-127.0.0.9') }, (l) => lines.push(JSON.parse(l) as Line));
  return { counts, lines };
}

describe('open-loop load generator', function () {
  this.timeout(30_000);

  it('sends exactly rate × duration requests on schedule, from every source, and logs each', async () => {
    const srv = await serve((req, res) => {
      res.setHeader('X-Server', 'web1');
      res.end(`web1 ${req.socket.remoteAddress}\n`);
    });
    try {
      const { counts, lines } = await load(srv.url, 200, 2);
      assert.equal(counts.sent, 400);
      assert.equal(counts.ok, 400);
      assert.equal(lines.length, 400);
      assert.deepEqual([...new Set(lines.map((l) => l.seq))].length, 400);
      const perSource = new Map<string, number>();
      for (const l of lines) perSource.set(l.src, (perSource.get(l.src) ?? 0) + 1);
      assert.equal(perSource.size, 8);
      for (const n of perSource.values()) assert.equal(n, 50);
      assert.ok(lines.every((l) => l.server === 'web1' && l.status === 200));
      // The schedule is kept: no request starts much later than its time.
      const lateness = lines.map((l) => l.start - l.sched).sort((a, b) => a - b);
      assert.ok(lateness[Math.floor(lateness.length * 0.99)]! < 0.1, `p99 lateness ${lateness[Math.floor(lateness.length * 0.99)]}`);
    } finally {
      await srv.close();
    }
  });

  it('keeps each address\'s connection for requests-per-connection requests, then opens a new one', async () => {
    const sockets = new Set<unknown>();
    const srv = await serve((req, res) => {
      sockets.add(req.socket);
      res.end('ok');
    });
    try {
      // 80 requests over 8 addresses: 10 each.
      const fresh = await load(srv.url, 160, 0.5, 2, 1);
      assert.equal(fresh.counts.ok, 80);
      assert.equal(sockets.size, 80, 'one connection per request');
      sockets.clear();
      const five = await load(srv.url, 160, 0.5, 2, 5);
      assert.equal(five.counts.ok, 80);
      // Two connections per address, unless two requests of one overlapped.
      assert.ok(sockets.size >= 16 && sockets.size <= 24, `${sockets.size} connections for 80 requests, 5 per connection`);
    } finally {
      await srv.close();
    }
  });

  it('keeps its schedule while the server stalls, and counts timeouts', async () => {
    let stalled = true;
    const srv = await serve((_req, res) => {
      if (stalled) return; // never answers
      res.end('ok');
    });
    try {
      setTimeout(() => (stalled = false), 1000);
      const { counts, lines } = await load(srv.url, 50, 2, 0.5);
      assert.equal(counts.sent, 100);
      assert.equal(counts.ok + counts.timeout + counts.reset + counts.refused + counts.other + counts.http, 100);
      assert.ok(counts.timeout >= 40, `timeouts ${counts.timeout}`);
      assert.ok(counts.ok >= 40, `answered after the stall ${counts.ok}`);
      // Requests scheduled during the stall still went out on time.
      const during = lines.filter((l) => l.sched < 0.9);
      assert.ok(during.every((l) => l.start - l.sched < 0.1));
    } finally {
      await srv.close();
    }
  });

  it('names a host unreachable, and keeps the system\'s code of an unexpected failure in the log', () => {
    const unreachable = Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' });
    assert.deepEqual(failure(unreachable), { error: 'unreachable' });
    assert.deepEqual(failure(Object.assign(new Error('x'), { code: 'EPROTO' })), { error: 'other', code: 'EPROTO' });
    assert.deepEqual(failure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), { error: 'refused' });
  });

  it('names refused and reset connections', async () => {
    const closed = await serve((_req, res) => res.end());
    const url = closed.url;
    await closed.close();
    const refused = await load(url, 50, 0.4);
    assert.equal(refused.counts.refused, 20);
    const srv = await serve((req) => req.socket.destroy());
    try {
      const reset = await load(srv.url, 50, 0.4);
      assert.equal(reset.counts.reset, 20);
    } finally {
      await srv.close();
    }
  });
});
