/** Small helpers for tests that start processes of their own (a proxy, a replica). */
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A square polygon of half-side `h` degrees around a point. */
export function square(x: number, y: number, h: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [x - h, y - h],
        [x + h, y - h],
        [x + h, y + h],
        [x - h, y + h],
        [x - h, y - h],
      ] as [number, number][],
    ],
  };
}
