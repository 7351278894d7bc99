// Source hashing on the real kernel: the deck's fwmark service with sh over masquerading,
// four real servers on the two web VMs, 128 client addresses. Checks what the director
// really does, and that the simulator's sh predicts the kernel's choice for every address,
// before and after a real server is removed and added back.

import assert from 'node:assert/strict';
import type { Farm } from '../../lab/providers/qemu/farm.ts';
import { readStatus } from '../../lab/status.ts';
import { ipToInt } from '../../lab/topology.ts';
import { shBucket, shBucketTable } from '../../sim/model/schedulers/index.ts';
import { bootFarm, countBy, scenarioText, sweep } from './fixture.ts';

const SERVERS = [
  { name: 'web1', address: '10.0.1.11', weight: 1 },
  { name: 'web2', address: '10.0.1.12', weight: 1 },
  { name: 'web3', address: '10.0.1.13', weight: 2 },
  { name: 'web4', address: '10.0.1.14', weight: 1 },
];
const ADDRESSES = 128;

/** What the simulator's sh says each client address gets, for dests in the given list order. */
function predict(clients: string[], dests: typeof SERVERS): Map<string, string> {
  const table = shBucketTable(dests.map((d, id) => ({ id, weight: d.weight })));
  return new Map(clients.map((c) => [c, dests[table[shBucket(ipToInt(c), 0)]!]!.name]));
}

function mismatches(observed: Map<string, string[]>, predicted: Map<string, string>): string[] {
  const bad: string[] = [];
  for (const [addr, servers] of observed) if (servers.some((s) => s !== predicted.get(addr))) bad.push(`${addr}: kernel ${servers.join('/')}, model ${predicted.get(addr)}`);
  return bad;
}

describe('lab: sh on the real kernel (fwmark 1, masquerading, 4 real servers)', function () {
  this.timeout(240_000);
  let farm: Farm;
  let first: Map<string, string[]>;

  before(async function () {
    const servers = `[${SERVERS.map((s) => `{ name: ${s.name}, weight: ${s.weight} }`).join(', ')}]`;
    farm = await bootFarm(scenarioText({ director: '{ scheduler: sh, forwarding: nat, service: fwmark }', servers, addresses: ADDRESSES }));
  });
  after(async () => farm?.destroy());

  it('ipvsadm -Ln shows the scenario: FWM 1 sh with every real server by masquerading, and the VIP mark', async () => {
    const s = await readStatus(farm);
    assert.deepEqual(s.services.map((x) => [x.service, x.scheduler]), [['FWM 1', 'sh']]);
    const got = s.services[0]!.servers.map((r) => [r.address, r.forward, r.weight]).sort();
    assert.deepEqual(got, SERVERS.map((r) => [`${r.address}:80`, 'Masq', r.weight]).sort());
    assert.equal(s.mangle.length, 1);
    assert.equal(s.mangle[0]!.destination, '192.0.2.10');
    assert.equal(s.mangle[0]!.mark, 1);
  });

  it('keeps connections alive and names the server in every answer', async () => {
    const r = await farm.exec('client', '/etc/webfarm/request.sh 10.200.0.1 3', { check: true });
    const names = r.stdout.trim().split('\n');
    assert.equal(names.length, 3, `three answers on one connection, got: ${r.stdout}`);
    assert.equal(new Set(names).size, 1);
  });

  it('sends every client address to one server, and uses all of them', async () => {
    first = await sweep(farm, 3, ADDRESSES);
    assert.equal(first.size, ADDRESSES);
    for (const [addr, servers] of first) assert.equal(new Set(servers).size, 1, `${addr} went to ${servers.join(', ')}`);
    const used = countBy([...first.values()].map((s) => s[0]!));
    assert.deepEqual([...used.keys()].sort(), SERVERS.map((s) => s.name).sort(), `servers used: ${[...used].join(' ')}`);
    // Both web VMs answered (web1 and web3 live on VM web1, web2 and web4 on VM web2).
    const s = await readStatus(farm);
    for (const r of s.services[0]!.servers) assert.ok(r.conns > 0, `${r.address} got no connection`);
  });

  it("the simulator's sh predicts the kernel's server for every address; the kernel deals buckets newest server first", async () => {
    const clients = [...first.keys()];
    const inAddOrder = predict(clients, SERVERS);
    const newestFirst = predict(clients, [...SERVERS].reverse());
    const badAdd = mismatches(first, inAddOrder);
    const badNewest = mismatches(first, newestFirst);
    console.log(`      sh cross-check, ${clients.length} addresses: list in add order → ${badAdd.length} mismatches; newest first → ${badNewest.length}`);
    // The kernel adds a real server at the head of the service's list (list_add_rcu).
    assert.deepEqual(badNewest, []);
  });

  it('still predicts every address after a real server is removed (ipvsadm -d) and added back (ipvsadm -a)', async () => {
    const clients = [...first.keys()];
    await farm.exec('director', 'ipvsadm -d -f 1 -r 10.0.1.12:80', { check: true });
    const afterDelete = await sweep(farm, 1, ADDRESSES);
    const remaining = [...SERVERS].reverse().filter((s) => s.name !== 'web2');
    const bad = mismatches(afterDelete, predict(clients, remaining));
    const moved = clients.filter((c) => first.get(c)![0] !== 'web2' && afterDelete.get(c)![0] !== first.get(c)![0]).length;
    console.log(`      after removing web2: ${bad.length} mismatches; ${moved} of ${clients.length} addresses not on web2 moved anyway (sh re-deals every bucket)`);
    assert.deepEqual(bad, []);

    await farm.exec('director', 'ipvsadm -a -f 1 -r 10.0.1.12:80 -m -w 1', { check: true });
    const afterAdd = await sweep(farm, 1, ADDRESSES);
    const web2 = SERVERS.find((s) => s.name === 'web2')!;
    const atHead = mismatches(afterAdd, predict(clients, [web2, ...remaining]));
    const atTail = mismatches(afterAdd, predict(clients, [...remaining, web2]));
    console.log(`      after adding web2 back: head of the list → ${atHead.length} mismatches; tail → ${atTail.length}`);
    assert.deepEqual(atHead, []);
  });
});
