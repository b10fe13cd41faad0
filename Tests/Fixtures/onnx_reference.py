"""What both ONNX fixture scripts share: the eight test images, the reference computations in
PyTorch (log-probabilities and the projections of every map of every convolutional layer under
three backward rules), and writing `{name}.expected.safetensors`.

A network is described for the reference as a list of steps, each a callable on a batch, and the
index of the step that ends each convolutional block (its ReLU and the pooling after it, if one
does, before the next convolution, linear layer or flatten). ReLUs are the string "relu" in the
list, so that the projections can give them a backward rule of their own.
"""
import gzip
import os

import numpy as np
import safetensors.numpy
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "Data")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")
MEAN, STD = 0.1307, 0.3081
IMAGES = 8
RULES = ("gradient", "deconvnet", "guided")


def test_images(count=IMAGES):
    """The first `count` MNIST test images as float32(byte) / 255, (count, 1, 28, 28)."""
    with gzip.open(os.path.join(DATA, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * 784).reshape(count, 1, 28, 28)
    return pixels.astype(np.float32) / np.float32(255)


class RuleReLU(torch.autograd.Function):
    """A ReLU whose backward pass follows one of the three rules."""

    @staticmethod
    def forward(ctx, x, rule):
        ctx.save_for_backward(x)
        ctx.rule = rule
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if ctx.rule == "gradient":
            return grad * (x > 0).to(grad.dtype), None
        if ctx.rule == "deconvnet":
            return grad.clamp(min=0), None
        if ctx.rule == "guided":
            return grad.clamp(min=0) * (x > 0).to(grad.dtype), None
        raise ValueError(ctx.rule)


def run(steps, x, rule=None, stop=None):
    """Runs steps[0...stop] (all when stop is None); ReLUs with `rule`'s backward when given."""
    last = len(steps) - 1 if stop is None else stop
    for step in steps[:last + 1]:
        if step == "relu":
            x = F.relu(x) if rule is None else RuleReLU.apply(x, rule)
        else:
            x = step(x)
    return x


def reference(steps, blocks, images, dtype=torch.float64):
    """`logprobs` (n, classes) for all images, and `{rule}.conv{l}` (maps, 1, H, W) for image 0,
    computed in `dtype` (the steps' modules must have it; the float32 images are widened).

    steps: the chain, ending in the classifier's logits (a final softmax or log-softmax left out;
    the log-probabilities are log_softmax of the logits either way, which is also the log of a
    softmax computed without its rounding). blocks: the index of each convolutional block's last step.
    """
    x = torch.from_numpy(images).to(dtype)
    with torch.no_grad():
        logprobs = F.log_softmax(run(steps, x), dim=1)
    tensors = {"logprobs": logprobs.numpy()}
    for rule in RULES:
        for layer, stop in enumerate(blocks, start=1):
            with torch.no_grad():
                maps = run(steps, x[:1], stop=stop).shape[1]
            # One copy of the image per map: map m's seed is the block output with every other map zeroed.
            batch = x[:1].repeat(maps, 1, 1, 1).clone().requires_grad_(True)
            out = run(steps, batch, rule=rule, stop=stop)
            seed = torch.zeros_like(out)
            for m in range(maps):
                seed[m, m] = out[m, m].detach()
            (grad,) = torch.autograd.grad((seed * out).sum(), batch)
            tensors[f"{rule}.conv{layer}"] = grad.detach().numpy()
    return {k: np.ascontiguousarray(v.astype(np.float32)) for k, v in tensors.items()}


def save_expected(name, tensors, metadata):
    """`{name}.expected.safetensors` in the fixtures' folder."""
    safetensors.numpy.save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()},
                                os.path.join(OUT, f"{name}.expected.safetensors"),
                                # One key: safetensors writes several in an order that changes from run to run.
                                metadata={"about": "; ".join(f"{k}: {v}" for k, v in sorted(metadata.items()))})


def with_deviation(exact, float32):
    """The float64 reference, rounded to float32, with `{rule}.conv{l}.float32_deviation` (maps):
    how far PyTorch's own float32 computation of each picture is from it, as a fraction of the
    picture's largest magnitude. A map whose seed comes from a cancellation (a bias against the
    convolution's sum) is computed in float32 with errors of up to 2e-5 of its largest magnitude,
    by PyTorch as by any float32 engine; the tests allow such a picture twice PyTorch's deviation."""
    out = dict(exact)
    for key, e in exact.items():
        if key == "logprobs":
            continue
        e64, f = e.astype(np.float64).reshape(len(e), -1), float32[key].astype(np.float64).reshape(len(e), -1)
        scale = np.abs(e64).max(axis=1)
        out[key + ".float32_deviation"] = (np.abs(f - e64).max(axis=1) / np.where(scale > 0, scale, 1)).astype(np.float32)
    return out
