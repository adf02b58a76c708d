#!/usr/bin/python3
"""numpy reference for SeqLab's NEPDF bench (issue 8): CNNC images per second on a 5,000-cell × 2,000-gene
matrix, the vectorised way (each gene's bin per cell precomputed once, then one np.bincount per pair), and
for comparison a slice with CNNC's own np.histogram2d per pair.

The images are CNNC's (Yuan & Bar-Joseph, PNAS 2019): x = log10(expr + 0.01), 32 bins over each gene's
[min, max] (numpy's edges: searchsorted 'right', last bin closed), H transposed, (log10(H/N + 1e-4) + 4) / 4
with N = cells. Run with Debian's numpy (python3-numpy), single-threaded like the JS bench:

    /usr/bin/python3 bench/nepdf_reference.py [--pairs 100000] [--cells 5000] [--genes 2000] [--hist-pairs 2000]

Prints one JSON object. The data are random (log-normal counts with 70% zeros, seeded): throughput does not
depend on the values. Time is wall-clock (and CPU, steadier on a shared machine) of the pair loop only;
binning is reported separately.
Reference numbers quoted in the issue's README: bincount 33,267 pairs/s, histogram2d 3,756 pairs/s.
"""

import argparse
import json
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pairs', type=int, default=100_000)
    parser.add_argument('--cells', type=int, default=5000)
    parser.add_argument('--genes', type=int, default=2000)
    parser.add_argument('--hist-pairs', type=int, default=2000)
    args = parser.parse_args()

    rng = np.random.default_rng(8)
    counts = np.round(rng.lognormal(1.0, 1.2, size=(args.genes, args.cells)))
    counts[rng.random((args.genes, args.cells)) < 0.7] = 0
    counts = counts.astype(np.float32).astype(np.float64)
    pair_a = rng.integers(0, args.genes, args.pairs)
    pair_b = rng.integers(0, args.genes, args.pairs)
    n = args.cells

    t0 = time.perf_counter()
    x = np.log10(counts + 0.01)
    bins = np.empty((args.genes, args.cells), dtype=np.int64)
    for g in range(args.genes):
        lo, hi = x[g].min(), x[g].max()
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, 33)
        b = np.searchsorted(edges, x[g], side='right') - 1
        b[x[g] == edges[-1]] = 31
        bins[g] = b
    binning = time.perf_counter() - t0
    table = (np.log10(np.arange(n + 1) / n + 1e-4) + 4) / 4
    rows = bins * 32  # b's bin selects the row after the transpose

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    out = np.empty((1024,), dtype=np.float32)
    for a, b in zip(pair_a, pair_b):
        h = np.bincount(rows[b] + bins[a], minlength=1024)
        out[:] = table[h]
    bincount_seconds = time.perf_counter() - t0
    bincount_cpu = time.process_time() - cpu0

    m = min(args.hist_pairs, args.pairs)
    t0 = time.perf_counter()
    for a, b in zip(pair_a[:m], pair_b[:m]):
        h = np.histogram2d(x[a], x[b], bins=32)[0].T
        img = (np.log10(h / n + 1e-4) + 4) / 4
    hist_seconds = time.perf_counter() - t0

    # The two agree on the last pair.
    a, b = pair_a[m - 1], pair_b[m - 1]
    h = np.bincount(rows[b] + bins[a], minlength=1024).reshape(32, 32)
    assert np.array_equal(h, np.histogram2d(x[a], x[b], bins=32)[0].T.astype(np.int64))

    print(json.dumps({
        'numpy': np.__version__,
        'cells': args.cells,
        'genes': args.genes,
        'pairs': args.pairs,
        'binningSeconds': round(binning, 3),
        'bincount': {
            'seconds': round(bincount_seconds, 3),
            'cpuSeconds': round(bincount_cpu, 3),
            'pairsPerSecond': round(args.pairs / bincount_seconds),
        },
        'histogram2d': {'pairs': m, 'seconds': round(hist_seconds, 3), 'pairsPerSecond': round(m / hist_seconds)},
        'readmeReference': {'bincountPairsPerSecond': 33267, 'histogram2dPairsPerSecond': 3756},
    }, indent=2))


if __name__ == '__main__':
    main()
