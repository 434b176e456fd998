import { sharedPerLoad } from '../../../dashboard/src/shared-load';
import type { ResolvedRange } from '../../../dashboard/src/range';

const range = { from: 0, to: 3_600_000 } as ResolvedRange;

describe('sharedPerLoad', () => {
  it('fetches once for all the calls of one load, and again for the next load', async () => {
    const fetch = jest.fn((_: ResolvedRange, signal: AbortSignal) => Promise.resolve({ signal }));
    const shared = sharedPerLoad(fetch);
    const first = new AbortController().signal;
    const [a, b] = await Promise.all([shared(range, first), shared(range, first)]);
    expect(a).toBe(b);
    expect(fetch).toHaveBeenCalledTimes(1);

    const second = new AbortController().signal;
    expect((await shared(range, second)).signal).toBe(second);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('fetches anew for another range, even within one load', async () => {
    const fetch = jest.fn((r: ResolvedRange) => Promise.resolve(r.from));
    const shared = sharedPerLoad(fetch);
    const signal = new AbortController().signal;
    const later = { from: 3_600_000, to: 7_200_000 } as ResolvedRange;
    expect(await Promise.all([shared(range, signal), shared(later, signal), shared(range, signal)])).toEqual([0, 3_600_000, 0]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
