"""Print results.jsonl as a Markdown table (one row per run). Usage: python table.py [results.jsonl] [tag-substring]"""
import json, sys
path = sys.argv[1] if len(sys.argv) > 1 else "results.jsonl"
sub = sys.argv[2] if len(sys.argv) > 2 else ""
print("| tag | pair | signal | net | batch | κ | steps | train s | st/s (load) | fwd UVP % | bwd UVP % | HJ res | best fwd/bwd | notes |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for line in open(path):
    r = json.loads(line)
    if sub not in r["tag"]:
        continue
    a = r["args"]
    if r.get("method") == "ott-ENOT":
        net, sig, kap, hj = f"{a['width']}x{a['depth']} elu (ott)", "ott ENOT", "–", "–"
    else:
        net = f"{a['width']}x{a['depth']} {a['act']}{' res' if a.get('resid') else ''}{' head' if a['head'] != 'none' else ''}"
        sig, kap, hj = a["signal"], a["kappa"], f"{r['hj']:.1e}"
    extra = ""
    if "early_stop" in r:
        e = r["early_stop"]; extra = f"min held-out energy @ {e['step']}: {e['fwd']:.4f}/{e['bwd']:.4f}"
        if "early_stop_test" in r:
            e = r["early_stop_test"]; extra += f"; 2-SE rule @ {e['step']}: {e['fwd']:.4f}/{e['bwd']:.4f}"
    print(f"| {r['tag']} | {a['pair']}{' n=' + str(a['data_n']) if a.get('data_n') else ''} | {sig} | {net} | {a['batch']} | {kap} | {r['steps']} | {r['train_s']} | "
          f"{r['steps_per_s']:.1f} ({r['load']:.0f}) | {r['fwd']:.3f} | {r['bwd']:.3f} | {hj} | {r['best_fwd']:.3f}/{r['best_bwd']:.3f} | {extra} |")
