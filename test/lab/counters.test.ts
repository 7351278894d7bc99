// The director's counters as time series (lab/counters.ts), from probe.sh's blocks as the
// real ipvsadm and iptables print them.

import { strict as assert } from 'node:assert';
import { directorColumns, gaugePerStep, monotone, parseConnTable, ratePerStep } from '../../lab/counters.ts';

const stats = (conns1: number, pkts1: number, conns2: number, pkts2: number) => `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
  -> RemoteAddress:Port
FWM  1                               ${conns1 + conns2}  ${pkts1 + pkts2}  0  0  0
  -> 10.0.1.11:80                    ${conns1}  ${pkts1}  0  0  0
  -> 10.0.1.12:80                    ${conns2}  ${pkts2}  0  0  0`;

const mangle = (pkts: number, mark: string) => `Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
    pkts      bytes target     prot opt in     out     source               destination
${String(pkts).padStart(8)}  ${pkts * 60} MARK       tcp  --  *      *       0.0.0.0/0            192.0.2.10           tcp dpt:80 MARK set ${mark}`;

describe('director counters', () => {
  it('counts a counter that restarts from 0 (a flushed and re-added service) as growth', () => {
    const m = monotone([{ t: 0, value: 100 }, { t: 1, value: 150 }, { t: 2, value: 20 }, { t: 3, value: 50 }]);
    assert.deepEqual(m.map((s) => s.value), [100, 150, 170, 200]);
  });

  it('turns samples at uneven instants into per-second rates per step, interpolating at the edges', () => {
    // 10/s all along, sampled at 0.5, 1.7, 3.1 s.
    const rates = ratePerStep([{ t: 0.5, value: 5 }, { t: 1.7, value: 17 }, { t: 3.1, value: 31 }], 4, 1);
    assert.deepEqual(rates.map((r) => Number(r.toFixed(6))), [5, 10, 10, 1], 'a step the samples cover in part counts only that part');
  });

  it('averages a gauge within a step and carries it over empty steps', () => {
    assert.deepEqual(gaugePerStep([{ t: 0.2, value: 4 }, { t: 0.8, value: 6 }, { t: 2.5, value: 1 }], 4, 1), [5, 5, 1, 1]);
  });

  it('reads the connection table counted by real server and state', () => {
    const t = parseConnTable('10.0.1.11:80 ESTABLISHED 12\n10.0.1.11:80 TIME_WAIT 40\n10.0.1.12:80 FIN_WAIT 3\n');
    assert.equal(t.get('10.0.1.11')!.get('TIME_WAIT'), 40);
    assert.equal(t.get('10.0.1.12')!.get('FIN_WAIT'), 3);
  });

  it('makes columns per real server and per mark from probe blocks', () => {
    const blocks = [
      { kind: 'stats', t: 0, text: stats(0, 0, 0, 0) },
      { kind: 'counters', t: 0, text: mangle(0, '0x1') },
      { kind: 'conntab', t: 0.5, text: '10.0.1.11:80 ESTABLISHED 3\n10.0.1.12:80 TIME_WAIT 8' },
      { kind: 'stats', t: 2, text: stats(20, 100, 10, 60) },
      { kind: 'counters', t: 2, text: mangle(160, '0x1') },
    ];
    const c = directorColumns(blocks, { '10.0.1.11': 'web1', '10.0.1.12': 'web2' }, 2, 1);
    assert.deepEqual(c['director in pkts/s web1'], [50, 50]);
    assert.deepEqual(c['director in pkts/s web2'], [30, 30]);
    assert.deepEqual(c['director new conns/s web1'], [10, 10]);
    assert.deepEqual(c['director marked pkts/s fwmark 1'], [80, 80]);
    assert.deepEqual(c['director established web1'], [3, 3]);
    assert.deepEqual(c['director closing web2'], [8, 8]);
    assert.equal(c['director established web2'], undefined, 'a column that stays 0 is left out');
  });
});
