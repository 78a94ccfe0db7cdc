#!/usr/bin/env python3
"""Build a tiny random Llama for fast serving tests (shared/specs/serving.md §14), offline, seeded.

usage: make_tiny_model.py OUT_DIR [--head-dim 32]

Tokenizer: byte-level BPE, vocabulary 1,024, trained on the first 200 *.py files (sorted) of this
Python's standard library; specials <s> </s> <|im_start|> <|im_end|>; a post-processor prepends <s>.
Model: LlamaForCausalLM, hidden 128, 4 heads (head_dim 32), 4 KV heads, intermediate 256, 2 layers,
2,048 positions, untied embeddings, torch.manual_seed(0). ChatML-style chat template.
--head-dim 16 (hidden 64) gives the intentionally broken model vLLM's CPU attention rejects.
"""
import argparse
import glob
import os
import sys
import sysconfig

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
SPECIALS = ["<s>", "</s>", "<|im_start|>", "<|im_end|>"]


def build_tokenizer(vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    files = sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py")))[:200]
    if not files:
        raise SystemExit("make_tiny_model: no *.py files in the standard library folder")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train(files, trainer)
    bos = tok.token_to_id("<s>")
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", bos)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="</s>",
                                   additional_special_tokens=["<|im_start|>", "<|im_end|>"], model_max_length=2048)
    fast.chat_template = CHAT_TEMPLATE
    return fast


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--head-dim", type=int, default=32, help="32 (servable) or 16 (rejected by CPU attention)")
    parser.add_argument("--vocab", type=int, default=1024)
    args = parser.parse_args()

    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    tokenizer = build_tokenizer(args.vocab)
    heads = 4
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=args.head_dim * heads, intermediate_size=256,
        num_hidden_layers=2, num_attention_heads=heads, num_key_value_heads=heads, head_dim=args.head_dim,
        max_position_embeddings=2048, tie_word_embeddings=False,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config).to(torch.float32).eval()
    model.generation_config = GenerationConfig(bos_token_id=config.bos_token_id, eos_token_id=config.eos_token_id,
                                               pad_token_id=config.pad_token_id)
    os.makedirs(args.out_dir, exist_ok=True)
    tokenizer.save_pretrained(args.out_dir)
    model.save_pretrained(args.out_dir, safe_serialization=True)
    for name in os.listdir(args.out_dir):
        os.chmod(os.path.join(args.out_dir, name), 0o644)
    print(f"make_tiny_model: wrote {args.out_dir} ({sum(p.numel() for p in model.parameters()):,} parameters, "
          f"head_dim {args.head_dim})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
