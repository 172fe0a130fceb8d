"""Torch-free inference: the bundled embedder and NLI cross-encoder on onnxruntime and tokenizers.

The default :class:`~crosscheck.pipeline.Checker` embeds with :class:`OnnxEmbedder` and its judge reads
:class:`OnnxNLI`: neither imports torch, transformers or sentence-transformers. The ONNX files are exported from
the torch models by ``scripts/export_onnx.py`` (:mod:`crosscheck.inference.export`); the torch classes
(:class:`crosscheck.embed.MiniLMEmbedder`, :class:`crosscheck.judge.CrossEncoderNLI`) stay for training and for
plugging in a sentence-transformers or transformers model of your own (``pip install 'crosscheck[torch]'``).
"""

from crosscheck.inference.runtime import (
    OnnxEmbedder,
    OnnxModel,
    OnnxNLI,
    bundled_onnx_path,
    check_export,
)

__all__ = ["OnnxEmbedder", "OnnxModel", "OnnxNLI", "bundled_onnx_path", "check_export"]
