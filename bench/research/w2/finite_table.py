"""The finite-data table of the notebook (E5) from results.jsonl, plus the sampler-regime reference rows."""
import json
rows = [json.loads(l) for l in open("results.jsonl")]
ref = {r["args"]["pair"]: r for r in rows if r["tag"] in ("enot-lr1e-2", "cand-w2-2", "cand-w2-8", "cand-gauss-2", "cand-gauss-16")}
print("| pair | n per side | moments-only map (step 0) fwd / bwd % | trained, last step | min held-out energy | 2-SE rule | sampler regime, same steps |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if not r["tag"].startswith("fin-"):
        continue
    a = r["args"]; c0 = r["curve"][0]; e = r["early_stop"]; t = r.get("early_stop_test")
    sref = ref.get(a["pair"].replace("gaussm", "gauss"))
    sr = f"{sref['fwd']:.3f} / {sref['bwd']:.3f}" if sref and a["pair"].startswith("w2") else "–"
    ts = f"{t['fwd']:.3f} / {t['bwd']:.3f} (step {t['step']})" if t else "not recorded"
    print(f"| {a['pair']} | {a['data_n']} | {c0['fwd']:.3f} / {c0['bwd']:.3f} | {r['fwd']:.3f} / {r['bwd']:.3f} | "
          f"{e['fwd']:.3f} / {e['bwd']:.3f} (step {e['step']}) | {ts} | {sr} |")
