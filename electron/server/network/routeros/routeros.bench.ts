import { createServer, connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startRouterOsTestServer } from '../../../../test/routeros/server';
import { type Benchmark, type Figure, measure } from '../../bench/harness';
import { connectRouterOs } from './client';
import { encodeSentence, SentenceFramer } from './protocol';

const N = 5_000;
const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The RouterOS client against the test router on loopback: printing 5,000 PPP secrets beside
 * the same bytes merely carried over a socket (the floor) and merely framed (the codec's
 * share), and 5,000 adds one at a time beside the same adds pipelined by tag.
 */
export const routerOsBenchmarks: Benchmark = {
  name: 'routeros',
  figures: ['routeros.print', 'routeros.add'],
  describe: `RouterOS API client: print and add ${N.toLocaleString('en-US')} PPP secrets on loopback`,
  async run(log) {
    const figures: Figure[] = [];
    const router = await startRouterOsTestServer({ user: 'bench', password: 'bench' });
    const api = await connectRouterOs(router.connectOptions({ timeoutMs: 60_000 }));
    try {
      const secrets = router.menu('/ppp/secret');
      for (let i = 0; i < N; i++) {
        secrets.add({ name: `sub${i}`, password: `pw${i}`, profile: `plan-${i % 20}`, 'remote-address': `100.64.${i >> 8}.${i & 255}`, comment: `towerline:service=${i}` });
      }
      const rows = await api.command('/ppp/secret/print');
      if (rows.length !== N) throw new Error(`printed ${rows.length} secrets, not ${N}`);
      const reply = Buffer.concat([...rows.map((r) => encodeSentence(['!re', ...Object.entries(r).map(([k, v]) => `=${k}=${v}`), '.tag=1'])), encodeSentence(['!done', '.tag=1'])]);
      log(`print reply: ${(reply.length / 1024).toFixed(0)} KiB`);

      const print = await measure('routeros.print', N, 15, async () => {
        await api.command('/ppp/secret/print');
      });
      const wire = await wireFloor(reply, 15);
      const framed = await measure('routeros.print.framer', N, 15, async () => {
        const framer = new SentenceFramer();
        let count = 0;
        for (let at = 0; at < reply.length; at += 65536) count += framer.push(reply.subarray(at, at + 65536)).length;
        if (count !== N + 1) throw new Error('framing lost sentences');
      });
      figures.push({ ...print, kib: Math.round(reply.length / 1024) }, { ...wire, bench: 'routeros.print.wire' }, framed);

      secrets.clear();
      const sequential = performance.now();
      for (let i = 0; i < N; i++) await api.command('/ppp/secret/add', { name: `seq${i}`, password: 'x', 'remote-address': `100.64.${i >> 8}.${i & 255}` });
      const sequentialMs = performance.now() - sequential;
      secrets.clear();
      const inFlight = 64;
      const pipelined = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < N) {
            const i = next++;
            await api.command('/ppp/secret/add', { name: `pipe${i}`, password: 'x', 'remote-address': `100.64.${i >> 8}.${i & 255}` });
          }
        }),
      );
      const pipelinedMs = performance.now() - pipelined;
      if (secrets.size !== N) throw new Error(`added ${secrets.size}, not ${N}`);
      figures.push(
        { bench: 'routeros.add', n: N, in_flight: inFlight, total_ms: round(pipelinedMs), per_s: Math.round((N / pipelinedMs) * 1000) },
        { bench: 'routeros.add.sequential', n: N, in_flight: 1, total_ms: round(sequentialMs), per_s: Math.round((N / sequentialMs) * 1000) },
      );
    } finally {
      await api.close();
      await router.close();
    }
    return figures;
  },
};

/** The same reply bytes written by a bare server and counted by a bare socket: loopback's floor. */
async function wireFloor(reply: Buffer, iterations: number): Promise<Figure> {
  const server = createServer((socket) => {
    socket.on('data', () => socket.write(reply));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const socket = netConnect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = 0;
  let done: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received >= reply.length) {
      received -= reply.length;
      done?.();
    }
  });
  try {
    return await measure('routeros.print.wire', 5_000, iterations, () =>
      new Promise<void>((resolve) => {
        done = resolve;
        socket.write('x');
      }),
    );
  } finally {
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
