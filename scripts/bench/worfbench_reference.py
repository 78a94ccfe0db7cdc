#!/usr/bin/env python3
"""worfbench_reference.py GOLD_DIR [OUT_TSV]

The Python side of worfbench-scoring: the reference WorfBench scoring pipeline as
zjunlp/WorfBench runs it (re-based parsing, networkx max_weight_matching and
all_topological_sorts, LIS, largest connected components), written here from
shared/specs/scoring.md, with the same perturbations and the same hashed bag-of-characters
embedder as acbench-bench-worfbench (cosines in float64 rounded to 1e-6), so that both sides do the same work
and their per-prediction F1 can be compared. Prints one summary line like the Swift side.
"""
import itertools, json, re, sys, time
import networkx as nx
import numpy as np

SUBSETS = ["wikihow", "toolbench", "toolalpaca", "lumos", "alfworld", "webshop", "os"]


def embed(texts):
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for r, s in enumerate(texts):
        for c in s.lower():
            out[r, ord(c) % 64] += 1
        out[r, 0] += 0.5
    return out


def cos_sim(a, b):
    # float64, rounded to 1e-6 like the Swift side, so summation order cannot flip near-ties
    a = a.astype(np.float64); b = b.astype(np.float64)
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return np.round((a @ b.T) * 1e6) / 1e6


def parse(text):
    if not isinstance(text, str) or "Node" not in text:
        return None
    nodes = ["START"] + [t.strip() for t in re.findall(r"\d+[:.] (.+)", text)] + ["END"]
    edges = []
    for a, b in re.findall(r"\(\s*(\d+|START)\s*,\s*(\d+|END)\s*\)", text):
        edges.append((0 if a == "START" else int(a), len(nodes) - 1 if b == "END" else int(b)))
    return (nodes, edges) if edges else None


def match(pred, gold, threshold=0.6):
    sim = np.maximum(cos_sim(embed(pred), embed(gold)), 0)
    g = nx.Graph()
    for i in range(len(pred)):
        for j in range(len(gold)):
            if sim[i][j] > threshold:
                g.add_edge(i, str(j), weight=float(sim[i][j]))
    mapping = [-1] * len(pred)
    for u, v in nx.max_weight_matching(g):
        if isinstance(u, str):
            u, v = v, u
        mapping[u] = int(v)
    return mapping


def node_f1(pred, gold):
    nodes, edges = gold
    if len(nodes) >= 10:
        orders = [nodes]
    else:
        dg = nx.DiGraph()
        dg.add_nodes_from(range(len(nodes)))
        dg.add_edges_from(edges)
        orders = [[nodes[i] for i in o if nodes[i] not in ("START", "END")]
                  for o in itertools.islice(nx.all_topological_sorts(dg), 20)]
    seq = [t for t in pred[0] if t not in ("START", "END")]
    if not seq:
        raise ValueError("empty prediction")
    best = 0.0
    for order in orders:
        m = match(seq, order)
        dp = [1] * len(m)
        for i in range(len(m)):
            for j in range(i):
                if m[i] != -1 and m[j] != -1 and m[i] > m[j]:
                    dp[i] = max(dp[i], dp[j] + 1)
        k = max(dp)
        r, p = k / len(order), k / len(seq)
        f1 = 2 * p * r / (p + r)
        if f1 > best:
            best = f1
    return best


def graph_f1(pred, gold):
    m = match(pred[0], gold[0])
    mp = [i for i, x in enumerate(m) if x != -1]
    mg = [x for x in m if x != -1]
    gold_edges = {e for e in gold[1] if e[0] in mg and e[1] in mg}
    public = [e for e in pred[1] if e[0] in mp and e[1] in mp and tuple(e) in gold_edges]
    def largest(nodes):
        g = nx.Graph()
        g.add_nodes_from(nodes)
        g.add_edges_from(public)
        return max(len(c) for c in nx.connected_components(g))
    p, r = largest(mp) / len(pred[0]), largest(mg) / len(gold[0])
    return 2 * p * r / (p + r)


def perturb(gold, k):
    if k == 0:
        return gold
    if k == 1:
        return "\n".join(l for l in gold.split("\n") if not l.startswith("2: "))
    if k == 2:
        return gold.replace("a", "e")
    lines = gold.split("\n")
    idx = [i for i, l in enumerate(lines) if l[:1].isdigit() and ": " in l]
    if len(idx) >= 2:
        a, b = lines[idx[0]], lines[idx[1]]
        ha, ta = a.split(": ", 1)
        hb, tb = b.split(": ", 1)
        lines[idx[0]], lines[idx[1]] = ha + ": " + tb, hb + ": " + ta
    return "\n".join(lines)


def main(gold_dir, out):
    items = []
    for s in SUBSETS:
        for i, g in enumerate(json.load(open(f"{gold_dir}/{s}/graph_eval.json"))):
            items.append((s, i, g["conversations"][-1]["content"]))
    lines, node_sum, graph_sum, scored, errors = [], 0.0, 0.0, 0, 0
    start = time.perf_counter()
    for s, i, text in items:
        gold = parse(text)
        if gold is None:
            continue
        for k in range(4):
            node = graph = "skip"
            pred = parse(perturb(text, k))
            if pred is not None:
                try:
                    f = node_f1(pred, gold); node = repr(f); node_sum += f
                except Exception:
                    node = "error"; errors += 1
                try:
                    f = graph_f1(pred, gold); graph = repr(f); graph_sum += f
                except Exception:
                    graph = "error"
                scored += 1
            lines.append(f"{s}\t{i}\t{k}\t{node}\t{graph}")
    secs = time.perf_counter() - start
    if out:
        open(out, "w").write("\n".join(lines) + "\n")
    print(f"python items={len(items)} predictions={len(lines)} scored={scored} node_errors={errors} seconds={secs} "
          f"predictions_per_s={len(lines) / secs} node_f1_sum={node_sum} graph_f1_sum={graph_sum}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
