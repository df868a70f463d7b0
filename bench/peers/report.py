"""Runs ours (`ncf bench ...`) and the JAX peers side by side and writes one Markdown table + JSON.

Called by run.sh (which builds `ncf` and the venv). Every peer process is started on its own so that its
peak resident memory (ru_maxrss of the child, from wait4) is its own. Uses only the standard library.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
STEP_CONFIGS = [(2, 1024, 64, 3), (16, 1024, 128, 4), (64, 2048, 256, 4)]


def run(cmd, log):
    """Runs cmd, returns (parsed JSON of its stdout, peak RSS in MiB, wall seconds)."""
    t0 = time.perf_counter()
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        print(f"  failed (status {status}); see the log", file=sys.stderr)
        return None, usage.ru_maxrss / 1024, wall
    return json.loads(out), usage.ru_maxrss / 1024, wall


def fmt(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def main():
    A = argparse.ArgumentParser()
    A.add_argument("--ncf", required=True)
    A.add_argument("--python", required=True)
    A.add_argument("--out", required=True, help="output prefix (.md, .json, .log)")
    A.add_argument("--steps", type=int, default=10)
    A.add_argument("--repeats", type=int, default=5)
    A.add_argument("--uvp-seconds", type=float, default=120, help="training-time cap per time-to-UVP run")
    A.add_argument("--ott-seconds", type=float, default=120)
    A.add_argument("--skip", default="", help="comma-separated parts to skip: step,inference,uvp,ott")
    a = A.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + "-problems"
    os.makedirs(tmp, exist_ok=True)
    log = open(a.out + ".log", "w")
    py = [a.python, os.path.join(HERE, "ncf_jax.py")]
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    result = {"date": started.isoformat(timespec="seconds"), "machine": platform.processor() or platform.machine(),
              "cpus": os.cpu_count(), "loadAverageBefore": load_before, "steps": [], "inference": [], "uvp": []}
    try:
        with open("/proc/cpuinfo") as f:
            result["machine"] = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass

    def export(name, args):
        path = os.path.join(tmp, name + ".json")
        subprocess.run([a.ncf, "bench", "export", *args, "--out", path], check=True, stdout=log, stderr=log)
        return path

    if "step" not in skip:
        for d, b, w, depth in STEP_CONFIGS:
            args = ["--dim", str(d), "--batch", str(b), "--width", str(w), "--depth", str(depth),
                    "--activation", "tanh", "--head", "none", "--learning-rate", "1e-3"]
            prob = export(f"step-d{d}", args)
            timing = ["--warmup", "3", "--steps", str(a.steps), "--repeats", str(a.repeats)]
            ours, ours_rss, _ = run([a.ncf, "bench", "step", *args, *timing, "--json"], log)
            ours1, _, _ = run([a.ncf, "bench", "step", *args, *timing, "--threads", "1", "--json"], log)
            jax_r, jax_rss, _ = run([*py, "step", "--problem", prob, *timing], log)
            row = {"d": d, "batch": b, "width": w, "depth": depth, "ours": ours, "oursOneThread": ours1,
                   "oursPeakMiB": ours_rss, "jax": jax_r, "jaxPeakMiB": jax_rss}
            if ours and jax_r:
                row["speedup"] = jax_r["medianSecondsPerStep"] / ours["medianSecondsPerStep"]
            if ours1 and jax_r:
                row["speedupOneThread"] = jax_r["medianSecondsPerStep"] / ours1["medianSecondsPerStep"]
            result["steps"].append(row)

    if "inference" not in skip:
        for d, w, depth in [(3, 64, 3), (64, 256, 4)]:
            args = ["--dim", str(d), "--width", str(w), "--depth", str(depth), "--activation", "tanh", "--head", "none"]
            prob = export(f"inference-d{d}", args)
            common = ["--points", "1000000", "--chunk", "50000", "--repeats", "3"]
            ours, ours_rss, _ = run([a.ncf, "bench", "inference", *args, *common, "--json"], log)
            jax_r, jax_rss, _ = run([*py, "inference", "--problem", prob, *common], log)
            result["inference"].append({"d": d, "width": w, "depth": depth, "ours": ours, "oursPeakMiB": ours_rss,
                                        "jax": jax_r, "jaxPeakMiB": jax_rss})

    if "uvp" not in skip:
        for d in [2, 16]:
            # The library's defaults (softplus:4, 64x3, Gaussian head from the moments), batch 1024.
            args = ["--dim", str(d), "--batch", "1024"]
            prob = export(f"uvp-d{d}", args)
            common = ["--thresholds", "0.5,0.1", "--score-every", "100"]
            ours, _, _ = run([a.ncf, "bench", "time-to-uvp", *args, *common, "--max-seconds", str(a.uvp_seconds),
                              "--json"], log)
            jax_r, _, _ = run([*py, "uvp", "--problem", prob, *common, "--max-seconds", str(a.uvp_seconds)], log)
            ott = None
            if "ott" not in skip:
                ott, _, _ = run([a.python, os.path.join(HERE, "ott_w2.py"), "--problem", prob, "--thresholds", "0.5,0.1",
                                 "--score-every", "50", "--max-seconds", str(a.ott_seconds)], log)
            result["uvp"].append({"d": d, "ours": ours, "jax": jax_r, "ott": ott})

    result["loadAverageAfter"] = os.getloadavg()
    result["wallSeconds"] = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds()
    with open(a.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
    with open(a.out + ".md", "w") as f:
        f.write(markdown(result))
    print(markdown(result))


def markdown(r):
    L = [f"Side by side, {r['date']} on {r['machine']} ({r['cpus']} CPUs), load average before "
         f"{r['loadAverageBefore'][0]:.1f}, after {r['loadAverageAfter'][0]:.1f}; whole run {r['wallSeconds'] / 60:.1f} min.", ""]
    if r["steps"]:
        L += ["**Time per training step** (tanh MLP, no head, Adam 1e-3, energy and collocation batches equal; "
              "median of repeats after warm-up; JAX compile time excluded)", "",
              "| d | batch | width×depth | ours ms (BLAS default threads) | ours ms (1 BLAS thread) | JAX ms | JAX / ours | "
              "JAX / ours (1 thread) | ours peak MiB | JAX peak MiB |",
              "|---|---|---|---|---|---|---|---|---|---|"]
        for s in r["steps"]:
            o, o1, j = s["ours"], s.get("oursOneThread"), s["jax"]
            ms = lambda x: fmt(x and x["medianSecondsPerStep"] * 1e3)
            L.append(f"| {s['d']} | {s['batch']} | {s['width']}×{s['depth']} | {ms(o)} | {ms(o1)} | {ms(j)} | "
                     f"{fmt(s.get('speedup'), 2)} | {fmt(s.get('speedupOneThread'), 2)} | {s['oursPeakMiB']:.0f} | {s['jaxPeakMiB']:.0f} |")
        L.append("")
    if r["inference"]:
        L += ["**Inference** (10⁶ points in chunks of 50 000, float64 in and out; M points/s, median of 3)", "",
              "| d | width×depth | ours forward | JAX forward | ours backward | JAX backward | ours peak MiB | JAX peak MiB |",
              "|---|---|---|---|---|---|---|---|"]
        for s in r["inference"]:
            o, j = s["ours"] or {}, s["jax"] or {}
            m = lambda x, k: fmt(x.get(k) and x[k] / 1e6, 2)
            L.append(f"| {s['d']} | {s['width']}×{s['depth']} | {m(o, 'forwardPointsPerSecond')} | {m(j, 'forwardPointsPerSecond')} | "
                     f"{m(o, 'backwardPointsPerSecond')} | {m(j, 'backwardPointsPerSecond')} | {s['oursPeakMiB']:.0f} | {s['jaxPeakMiB']:.0f} |")
        L.append("")
    if r["uvp"]:
        L += ["**Training time to a forward UVP** (seconds, scoring and compilation excluded; – = not reached "
              "within the cap; ours and the JAX reference: library defaults, softplus:4 64×3 with the moments head, "
              "batch 1024, same initial weights; OTT-JAX W2NeuralDual: ICNN 64×4, its defaults)", "",
              "| d | method | ≤ 0.5 % | ≤ 0.1 % | steps run | last UVP % | training s |", "|---|---|---|---|---|---|---|"]
        for s in r["uvp"]:
            for name, key in [("ours", "ours"), ("JAX NCF", "jax"), ("OTT W2NeuralDual", "ott")]:
                x = s.get(key)
                if not x:
                    L.append(f"| {s['d']} | {name} | skipped or failed | | | | |")
                    continue
                last = x["trace"][-1]["forwardUVP"] if x["trace"] else None
                L.append(f"| {s['d']} | {name} | {fmt(x['secondsToThreshold'][0])} | {fmt(x['secondsToThreshold'][1])} | "
                         f"{x['steps']} | {fmt(last, 3)} | {fmt(x['trainingSeconds'])} |")
        L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
