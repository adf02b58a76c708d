"""imbalanced-learn's side of the issue-6 resampling bench (reference figures, not a test).

Same shape and distribution as src/cli/commands/bench-imbalance.ts: 60,000 x 1,280 float32, uniform(-1, 1),
every 100th row (from row 37) positive and shifted by 0.5 in its first 16 features, balanced ('auto').
The values differ (numpy's generator, not the project's), the work does not.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench-imbalance-imblearn.py \
        [--samplers ros,smote,adasyn] [--repeat 3]

Debian 12: apt-get install python3-imblearn (imbalanced-learn 0.10, scikit-learn 1.2, numpy 1.24).
Prints one JSON object: per sampler the median wall and CPU seconds of fit_resample, output rows, and the
peak resident memory of the process. scripts/bench-imbalance.mjs --reference runs it in the same session.
"""
import argparse
import json
import resource
import statistics
import time

import numpy as np
from imblearn import __version__ as imblearn_version
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler

parser = argparse.ArgumentParser()
parser.add_argument("--n", type=int, default=60000)
parser.add_argument("--d", type=int, default=1280)
parser.add_argument("--samplers", default="ros,smote,adasyn")
parser.add_argument("--repeat", type=int, default=3)
args = parser.parse_args()

rng = np.random.default_rng(0)
X = rng.random((args.n, args.d), dtype=np.float32) * 2 - 1
y = np.zeros(args.n, dtype=np.int64)
y[37::100] = 1
X[y == 1, :16] += 0.5

makers = {
    "ros": lambda: RandomOverSampler(random_state=1),
    "smote": lambda: SMOTE(k_neighbors=5, random_state=1),
    "adasyn": lambda: ADASYN(n_neighbors=5, random_state=1),
}
results = {}
for name in args.samplers.split(","):
    wall, cpu, rows = [], [], 0
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        Xr, yr = makers[name]().fit_resample(X, y)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        rows = len(yr)
        del Xr, yr
    results[name] = {
        "seconds": round(statistics.median(wall), 3),
        "cpuSeconds": round(statistics.median(cpu), 3),
        "all": [round(v, 3) for v in wall],
        "rows": rows,
    }
print(
    json.dumps(
        {
            "imblearn": imblearn_version,
            "n": args.n,
            "d": args.d,
            "results": results,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        },
        indent=2,
    )
)
