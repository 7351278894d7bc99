// IP-in-IP tunnelling (-i) with weighted round robin on the deck's fwmark service: the
// director wraps each packet for the real server, which unwraps it on tunl0 (VIP there).

import assert from 'node:assert/strict';
import type { Farm } from '../../lab/providers/qemu/farm.ts';
import { readStatus } from '../../lab/status.ts';
import { bootFarm, countBy, scenarioText, sweep } from './fixture.ts';

describe('lab: wrr with ipip tunnelling (fwmark 1, weights 2:1)', function () {
  this.timeout(180_000);
  let farm: Farm;

  before(async () => {
    farm = await bootFarm(scenarioText({ director: '{ scheduler: wrr, forwarding: tun, service: fwmark }', servers: '[{ name: web1, weight: 2 }, { name: web2, weight: 1 }]', addresses: 30 }));
  });
  after(async () => farm?.destroy());

  it('ipvsadm -Ln shows FWM 1 wrr with both servers by Tunnel at their weights', async () => {
    const s = await readStatus(farm);
    assert.deepEqual(s.services.map((x) => [x.service, x.scheduler]), [['FWM 1', 'wrr']]);
    assert.deepEqual(s.services[0]!.servers.map((r) => [r.address, r.forward, r.weight]).sort(), [['10.0.1.11:80', 'Tunnel', 2], ['10.0.1.12:80', 'Tunnel', 1]]);
  });

  it('answers through the tunnel, two connections to web1 for each to web2', async () => {
    const seen = await sweep(farm, 1, 30);
    const counts = countBy([...seen.values()].map((s) => s[0]!));
    assert.equal(counts.get('web1'), 20, `answers: ${[...counts].join(' ')}`);
    assert.equal(counts.get('web2'), 10, `answers: ${[...counts].join(' ')}`);
  });
});
