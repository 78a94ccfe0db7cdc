"""Reference side of scripts/bench/kernels: transformers forward and sentence-transformers encode on CPU,
on the same inputs and thread count as the Swift kernels. Figures are reported, never asserted."""
import argparse, json, time

import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, required=True)
p.add_argument("--reps", type=int, default=2)
p.add_argument("--model")
p.add_argument("--ids")
p.add_argument("--encoder")
p.add_argument("--sentences")
a = p.parse_args()
torch.set_num_threads(a.threads)
print(f"python: torch {torch.__version__}, {torch.get_num_threads()} threads")


def best(reps, fn):
    t = float("inf")
    out = None
    for _ in range(reps):
        s = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - s)
    return t, out


if a.model:
    from transformers import AutoModelForCausalLM
    ids = torch.tensor(json.load(open(a.ids)), dtype=torch.long)
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32).eval()
    with torch.inference_mode():
        t, out = best(a.reps, lambda: model(ids).logits)
    n = ids.numel()
    print(f"transformers forward ({model.config._attn_implementation}): {ids.shape[0]} x {ids.shape[1]} tokens in {t} s = {n / t} tokens/s (last logit {out[-1, -1, -1].item()})")

if a.encoder:
    from sentence_transformers import SentenceTransformer
    sentences = json.load(open(a.sentences))
    enc = SentenceTransformer(a.encoder, device="cpu")
    t, out = best(a.reps, lambda: enc.encode(sentences, batch_size=32, convert_to_numpy=True))
    print(f"sentence-transformers encoder: {len(sentences)} sentences in {t} s = {len(sentences) / t} sentences/s (first value {out[0][0]})")
