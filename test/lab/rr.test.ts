// Round robin with direct routing (-g) on a plain TCP service (-t VIP:80): the deck's two web
// servers, each holding the VIP on lo with the ARP sysctls, answering the client directly.

import assert from 'node:assert/strict';
import type { Farm } from '../../lab/providers/qemu/farm.ts';
import { readStatus } from '../../lab/status.ts';
import { bootFarm, countBy, scenarioText, sweep } from './fixture.ts';

describe('lab: rr on the real kernel (TCP VIP:80, direct routing, the deck\'s two servers)', function () {
  this.timeout(180_000);
  let farm: Farm;

  before(async () => {
    farm = await bootFarm(scenarioText({ director: '{ scheduler: rr, forwarding: dr, service: tcp }', servers: '[{ name: web1 }, { name: web2 }]', addresses: 64 }));
  });
  after(async () => farm?.destroy());

  it('ipvsadm -Ln shows TCP 192.0.2.10:80 rr with web1 and web2 by Route, and no mark rule', async () => {
    const s = await readStatus(farm);
    assert.deepEqual(s.services.map((x) => [x.service, x.scheduler]), [['TCP 192.0.2.10:80', 'rr']]);
    assert.deepEqual(s.services[0]!.servers.map((r) => [r.address, r.forward, r.weight]).sort(), [['10.0.1.11:80', 'Route', 1], ['10.0.1.12:80', 'Route', 1]]);
    assert.equal(s.mangle.length, 0);
  });

  it('the real servers hold the VIP on lo and never answer ARP for it', async () => {
    const r = await farm.exec('web1', '/sbin/ip -4 addr show dev lo; sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce', { check: true });
    assert.match(r.stdout, /192\.0\.2\.10\/32/);
    assert.match(r.stdout, /^1\n2\n?$/m);
  });

  it('spreads new connections evenly over both servers, and both receive traffic', async () => {
    const seen = await sweep(farm, 1, 64);
    const counts = countBy([...seen.values()].map((s) => s[0]!));
    assert.deepEqual([...counts.keys()].sort(), ['web1', 'web2'], `answers: ${[...counts].join(' ')}`);
    assert.ok(Math.abs(counts.get('web1')! - counts.get('web2')!) <= 1, `rr spread ${[...counts].join(' ')}`);
  });
});
