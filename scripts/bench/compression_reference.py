"""PyTorch side of scripts/bench/compression: GPTQ, SparseGPT and Wanda on one layer's captured inputs.

The algorithms follow the reference repositories (IST-DASLab/gptq `GPTQ.add_batch`/`fasterquant` with
`Quantizer` minmax sym 4-bit; IST-DASLab/sparsegpt `SparseGPT.fasterprune` unstructured; locuslab/wanda
`WrappedGPT.add_batch` + the per-row 50% prune), on CPU in fp32, one sequence per `add_batch` call.
Reads `layer.safetensors` written by `acbench-bench-compression layer` and prints one line per method.
"""
import argparse
import math
import time

import torch
from safetensors.torch import load_file

LINEARS = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
           "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]


def hessian(x, seq_len):
    """GPTQ / SparseGPT `add_batch`, one sequence at a time."""
    h = torch.zeros(x.shape[1], x.shape[1])
    n = 0
    for s in range(0, x.shape[0], seq_len):
        inp = x[s:s + seq_len].t().float()
        h *= n / (n + 1)
        n += 1
        inp = math.sqrt(2 / n) * inp
        h += inp.matmul(inp.t())
    return h


def inverse_hessian_upper(h, w, percdamp=0.01):
    """Dead columns, damping, and the upper Cholesky factor of H⁻¹ (both references)."""
    dead = torch.diag(h) == 0
    h[dead, dead] = 1
    w[:, dead] = 0
    damp = percdamp * torch.mean(torch.diag(h))
    diag = torch.arange(h.shape[0])
    h[diag, diag] += damp
    h = torch.linalg.cholesky(h)
    h = torch.cholesky_inverse(h)
    return torch.linalg.cholesky(h, upper=True)


def quant_params(x, maxq):
    """`Quantizer.find_params(weight=True)`, symmetric, per row of `x`."""
    xmin = torch.minimum(x.min(1)[0], torch.zeros(x.shape[0]))
    xmax = torch.maximum(x.max(1)[0], torch.zeros(x.shape[0]))
    xmax = torch.maximum(torch.abs(xmin), xmax)
    tmp = xmin < 0
    if torch.any(tmp):
        xmin[tmp] = -xmax[tmp]
    tmp = (xmin == 0) & (xmax == 0)
    xmin[tmp] = -1
    xmax[tmp] = +1
    scale = (xmax - xmin) / maxq
    zero = torch.full_like(scale, (maxq + 1) / 2)
    return scale.unsqueeze(1), zero.unsqueeze(1)


def gptq(w, h, groupsize=64, blocksize=128, bits=4):
    w = w.clone().float()
    maxq = 2 ** bits - 1
    hinv = inverse_hessian_upper(h, w)
    q_all = torch.zeros_like(w)
    scale, zero = quant_params(w, maxq)
    for i1 in range(0, w.shape[1], blocksize):
        i2 = min(i1 + blocksize, w.shape[1])
        w1 = w[:, i1:i2].clone()
        q1 = torch.zeros_like(w1)
        err1 = torch.zeros_like(w1)
        hinv1 = hinv[i1:i2, i1:i2]
        for i in range(i2 - i1):
            col = w1[:, i]
            d = hinv1[i, i]
            if groupsize != -1 and (i1 + i) % groupsize == 0:
                scale, zero = quant_params(w[:, (i1 + i):(i1 + i + groupsize)], maxq)
            q = torch.clamp(torch.round(col.unsqueeze(1) / scale) + zero, 0, maxq)
            q = (scale * (q - zero)).flatten()
            q1[:, i] = q
            e = (col - q) / d
            w1[:, i:] -= e.unsqueeze(1).matmul(hinv1[i, i:].unsqueeze(0))
            err1[:, i] = e
        q_all[:, i1:i2] = q1
        w[:, i2:] -= err1.matmul(hinv[i1:i2, i2:])
    return q_all


def sparsegpt(w, h, sparsity=0.5, blocksize=128):
    w = w.clone().float()
    hinv = inverse_hessian_upper(h, w)
    for i1 in range(0, w.shape[1], blocksize):
        i2 = min(i1 + blocksize, w.shape[1])
        w1 = w[:, i1:i2].clone()
        q1 = torch.zeros_like(w1)
        err1 = torch.zeros_like(w1)
        hinv1 = hinv[i1:i2, i1:i2]
        tmp = w1 ** 2 / (torch.diag(hinv1).reshape((1, -1))) ** 2
        thresh = torch.sort(tmp.flatten())[0][int(tmp.numel() * sparsity)]
        mask1 = tmp <= thresh
        for i in range(i2 - i1):
            col = w1[:, i]
            d = hinv1[i, i]
            q = col.clone()
            q[mask1[:, i]] = 0
            q1[:, i] = q
            e = (col - q) / d
            w1[:, i:] -= e.unsqueeze(1).matmul(hinv1[i, i:].unsqueeze(0))
            err1[:, i] = e
        w[:, i1:i2] = q1
        w[:, i2:] -= err1.matmul(hinv[i1:i2, i2:])
    return w


def wanda(w, x, seq_len, sparsity=0.5):
    scaler_row = torch.zeros(x.shape[1])
    n = 0
    for s in range(0, x.shape[0], seq_len):
        inp = x[s:s + seq_len].t().float()
        scaler_row *= n / (n + 1)
        n += 1
        scaler_row += torch.norm(inp, p=2, dim=1) ** 2 / n
    metric = torch.abs(w) * torch.sqrt(scaler_row.reshape((1, -1)))
    mask = torch.zeros_like(metric, dtype=torch.bool)
    indices = torch.sort(metric, dim=-1, stable=True)[1][:, :int(metric.shape[1] * sparsity)]
    mask.scatter_(1, indices, True)
    w = w.clone()
    w[mask] = 0
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layer-file", required=True)
    ap.add_argument("--seq-len", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t = load_file(a.layer_file)
    print(f"torch {torch.__version__}: {torch.get_num_threads()} threads")
    timed = {
        "gptq": lambda k: gptq(t["w." + k], hessian(t["x." + k], a.seq_len)),
        "sparsegpt": lambda k: sparsegpt(t["w." + k], hessian(t["x." + k], a.seq_len)),
        "wanda": lambda k: wanda(t["w." + k], t["x." + k], a.seq_len),
    }
    for name, fn in timed.items():
        start = time.perf_counter()
        for k in LINEARS:
            fn(k)
        print(f"torch {name} layer = {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
