// The lab's pure parts, without VMs: the farm plan and farm.conf from a scenario, the parsers
// of ipvsadm and iptables output, and the initramfs's cpio format.

import assert from 'node:assert/strict';
import { cpio } from '../../lab/image/cpio.ts';
import { counter, parseIpvsadm, parseMangle } from '../../lab/status.ts';
import { clientAddress, ipToInt, planFarm } from '../../lab/topology.ts';
import { LabError } from '../../lab/errors.ts';
import { loadScenario, parseScenario } from '../../scenarios/load.ts';
import { scenarioText } from './fixture.ts';

describe('lab: plan and parsers', () => {
  it('plans the deck farm from scenarios/failover.yaml', () => {
    const plan = planFarm(loadScenario('scenarios/failover.yaml'));
    assert.deepEqual(plan.realServers.map((r) => [r.name, r.address, r.host]), [['web1', '10.0.1.11', 'web1'], ['web2', '10.0.1.12', 'web2']]);
    assert.equal(plan.clientAddresses.length, 64);
    assert.match(plan.farmConf, /^SCHEDULER=sh$/m);
    assert.match(plan.farmConf, /^FORWARDING=nat$/m);
    assert.match(plan.farmConf, /^SERVICE=fwmark$/m);
    assert.match(plan.farmConf, /^HEALTHCHECK=monit$/m);
    assert.match(plan.farmConf, /^MONIT_CYCLE=1$/m);
    assert.match(plan.farmConf, /^REAL_SERVERS="web1,10\.0\.1\.11,1,0,web1 web2,10\.0\.1\.12,1,0,web2"$/m);
  });

  it('refuses what the lab cannot play, in one sentence', () => {
    const text = (director: string, servers: string) => parseScenario(scenarioText({ director, servers }), 't.yaml');
    assert.throws(() => planFarm(text('{ scheduler: twos }', '[{ name: a }, { name: b }]')), LabError);
    assert.throws(() => planFarm(text('{ scheduler: sh, forwarding: dr }', '{ count: 3 }')), /direct routing/);
  });

  it('numbers client addresses 250 to a /24, never .0 or .255, as the integers sh hashes', () => {
    assert.equal(clientAddress(0), '10.200.0.1');
    assert.equal(clientAddress(249), '10.200.0.250');
    assert.equal(clientAddress(250), '10.200.1.1');
    assert.equal(ipToInt('10.200.0.1'), (10 * 2 ** 24 + 200 * 2 ** 16 + 1) >>> 0);
    assert.equal(ipToInt('255.255.255.255'), 4294967295);
  });

  it("parses the deck's ipvsadm and iptables pictures", () => {
    const list = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
FWM  1 sh
  -> 10.0.1.11:80                 Masq    1      5          6         
  -> 10.0.1.12:80                 Masq    1      8          4         
TCP  192.0.2.10:80 rr
  -> 10.0.1.11:80                 Route   2      0          0         
`;
    const stats = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
  -> RemoteAddress:Port
FWM  1                                  23      245      180    14563    93722
  -> 10.0.1.11:80                       11      120       90     7000    40000
  -> 10.0.1.12:80                       12      125       90     7563    53722
TCP  192.0.2.10:80                       0        0        0        0        0
  -> 10.0.1.11:80                        0        0        0        0        0
`;
    const s = parseIpvsadm(list, stats);
    assert.deepEqual(s.map((x) => [x.service, x.scheduler, x.conns]), [['FWM 1', 'sh', 23], ['TCP 192.0.2.10:80', 'rr', 0]]);
    assert.deepEqual(s[0]!.servers.map((r) => [r.address, r.forward, r.weight, r.activeConns, r.inactConns, r.conns]), [
      ['10.0.1.11:80', 'Masq', 1, 5, 6, 11], ['10.0.1.12:80', 'Masq', 1, 8, 4, 12],
    ]);
    const mangle = parseMangle(`Chain PREROUTING (policy ACCEPT 687 packets, 492 bytes)
    pkts      bytes target     prot opt in     out     source               destination         
    1134   119000 MARK       tcp  --  *      *       0.0.0.0/0            192.0.2.10           tcp dpt:80 MARK set 0x2
`);
    assert.deepEqual(mangle.map((r) => [r.pkts, r.bytes, r.target, r.destination, r.mark]), [[1134, 119000, 'MARK', '192.0.2.10', 2]]);
    assert.equal(counter('1134K'), 1_134_000);
  });

  it('writes newc cpio: header, 4-byte alignment, trailer', () => {
    const b = cpio([{ kind: 'dir', path: 'etc' }, { kind: 'file', path: 'etc/x', data: Buffer.from('hi\n'), mode: 0o600 }, { kind: 'symlink', path: 'etc/y', target: 'x' }]);
    assert.equal(b.length % 4, 0);
    const text = b.toString('latin1');
    assert.equal(text.slice(0, 6), '070701');
    assert.equal(text.split('070701').length - 1, 4);
    const fileHeader = text.indexOf('etc/x\0') - 110;
    assert.equal(text.slice(fileHeader + 14, fileHeader + 22), (0o100600).toString(16).padStart(8, '0'));
    assert.ok(text.includes('TRAILER!!!\0'));
  });
});
