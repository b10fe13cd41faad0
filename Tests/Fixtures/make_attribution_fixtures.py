"""Writes Tests/Fixtures/attributions.expected.safetensors: Captum's nine attributions of issue 25
for a few test images, which AttributionTests compares with the engine's (ClassAttributions), so
that the tests need no Python.

Run from the repository's root (it reads Data/, Report/model.safetensors and
Tests/Fixtures/lenet5.safetensors):

    /work/venv/bin/python Tests/Fixtures/make_attribution_fixtures.py

Three networks, each an nn.Sequential with an nn.ReLU module per ReLU (Captum's guided
backpropagation and deconvolution hook the modules), all in float64 from the float32 weights:
- `committed`: Report/model.safetensors (the report's LeNet-5, pixels in), test images 0 and 3;
  the file's SHA-256 is in the metadata, so a retrained model makes the test say to run this again.
- `normalised`: Tests/Fixtures/lenet5.safetensors (LeNet-5 trained in PyTorch on (x − 0.1307) /
  0.3081), fed the normalised input: every attribution is in those units, the blank baseline is
  (0 − 0.1307) / 0.3081, SmoothGrad's noise is added to the pixels before normalising; test image 8.
- `other`: AnalysesTests' otherNetwork(seed: 5), drawn here from the same SplitMix64 stream
  (conv 4@3×3 pad 1 → ReLU → max-pool 2 → conv 6@3×3 stride 2 pad 1 → ReLU → conv 8@3×3 → ReLU
  → average pool 2 stride 1 → 128 → 12 → ReLU → 10): Grad-CAM at the ReLU before the average
  pooling, a 5×5 map; test image 61.

The class explained is the float64 model's prediction, written as `{net}.classes`, which the test
also passes to the engine. For each image `{net}.image{i}.{method}` (1, 28, 28) in float32,
`{net}.log_probability` and `{net}.blank_log_probability`; `noise.index{t}.head` holds the first
256 of the SmoothGrad noise values this script drew for test index t (seed 1) and
`noise.index{t}.sum` their sum over all 32 × 784, so that the test checks the engine's generator
against this re-implementation. Run again, the script writes the same tensors (safetensors may
write the header's metadata keys in another order).

Methods, as ClassAttributions defines them (all of log p_c, the network's log-softmax output):
Saliency(abs=False); InputXGradient; IntegratedGradients(method="riemann_trapezoid", n_steps=64),
baseline the blank image; SmoothGrad: Saliency(abs=False) averaged over 32 copies with the
engine's noise (σ = 0.15 in pixels); LayerGradCam(relu_attributions=True) at the last
convolutional layer's ReLU, LayerAttribution.interpolate(..., "bilinear"); GuidedGradCam(...,
interpolate_mode="bilinear"); GuidedBackprop; Deconvolution; Occlusion(sliding_window_shapes=(1, 7, 7),
strides=1, baselines=blank).
"""
import gzip
import hashlib
import math
import os
import warnings

import numpy as np
import safetensors.numpy
import safetensors.torch
import torch
import torch.nn as nn
from captum.attr import (Deconvolution, GuidedBackprop, GuidedGradCam, InputXGradient, IntegratedGradients, LayerAttribution,
                         LayerGradCam, Occlusion, Saliency)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "attributions.expected.safetensors")
SEED = 1
MEAN, STD = 0.1307, 0.3081
SAMPLES, SIGMA, STEPS, PATCH = 32, 0.15, 64, 7
METHODS = ("gradient", "gradient_x_input", "integrated_gradients", "smoothgrad", "gradcam", "guided_gradcam",
           "guided_backprop", "deconvnet", "occlusion")
MASK = (1 << 64) - 1


class SplitMix64:
    """The engine's generator (Sources/Network/SplitMix64.swift)."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit_float(self):
        return np.float32(self.next() >> 40) * np.float32(2.0 ** -24)


def normals(count, rng):
    """AttributionStreams.normals: Box–Muller in float64, each value rounded to float32."""
    values = []
    while len(values) < count:
        u1 = ((rng.next() >> 11) + 1) * 2.0 ** -53
        u2 = (rng.next() >> 11) * 2.0 ** -53
        r = math.sqrt(-2 * math.log(u1))
        angle = 2 * math.pi * u2
        values += [np.float32(r * math.cos(angle)), np.float32(r * math.sin(angle))]
    return np.array(values[:count], dtype=np.float32)


def smoothgrad_noise(index, pixels=784):
    """AttributionStreams.smoothGradNoise: stream seed << 32 | 1 << 24 | index, copy by copy."""
    return normals(SAMPLES * pixels, SplitMix64(SEED << 32 | 1 << 24 | index)).reshape(SAMPLES, 1, 28, 28)


def test_images(indices):
    with gzip.open(os.path.join(ROOT, "Data", "t10k-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return pixels[indices].astype(np.float32) / np.float32(255)


def lenet(state):
    """LeNet-5 as report builds it, from a state dict with PyTorch's names; returns the model and
    the ReLU module after conv2 (Grad-CAM's layer)."""
    conv1, conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
    fc1, fc2, fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)
    for name, module in (("conv1", conv1), ("conv2", conv2), ("fc1", fc1), ("fc2", fc2), ("fc3", fc3)):
        module.weight.data = state[f"{name}.weight"].double()
        module.bias.data = state[f"{name}.bias"].double()
    relu2 = nn.ReLU()
    model = nn.Sequential(conv1, nn.ReLU(), nn.MaxPool2d(2), conv2, relu2, nn.MaxPool2d(2), nn.Flatten(),
                          fc1, nn.ReLU(), fc2, nn.ReLU(), fc3, nn.LogSoftmax(dim=1))
    return model.eval(), relu2


def other_network(seed=5):
    """AnalysesTests' otherNetwork(seed:): every parameter (2u − 1) · 0.4 in float32, u from
    SplitMix64(seed).nextUnitFloat(), layer by layer, weights then bias."""
    rng = SplitMix64(seed)
    layers = [nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.ReLU(),
              nn.Conv2d(6, 8, 3), nn.ReLU(), nn.AvgPool2d(2, stride=1), nn.Flatten(), nn.Linear(128, 12), nn.ReLU(),
              nn.Linear(12, 10), nn.LogSoftmax(dim=1)]
    for layer in layers:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            for p in (layer.weight, layer.bias):
                values = [(np.float32(2) * rng.unit_float() - np.float32(1)) * np.float32(0.4) for _ in range(p.numel())]
                p.data = torch.from_numpy(np.array(values, dtype=np.float32).reshape(p.shape)).double()
    return nn.Sequential(*layers).eval(), layers[6]


def attributions(model, cam_layer, pixels, indices, normalise):
    """Every method for `pixels` (n, 1, 28, 28, float32, byte / 255) through `model` (float64),
    fed (x − MEAN) / STD when `normalise`."""
    units = (lambda p: (p - MEAN) / STD) if normalise else (lambda p: p)
    x = units(torch.from_numpy(pixels).double())
    blank = units(torch.zeros_like(x))
    with torch.no_grad():
        logp = model(x)
        classes = logp.argmax(1)
        blank_logp = model(blank)
    out = {"classes": classes.numpy().astype(np.int64), "indices": np.array(indices, dtype=np.int64),
           "log_probability": logp[torch.arange(len(x)), classes].numpy().astype(np.float32),
           "blank_log_probability": blank_logp[torch.arange(len(x)), classes].numpy().astype(np.float32)}
    for i, index in enumerate(indices):
        xi, c, bi = x[i:i + 1], int(classes[i]), blank[i:i + 1]
        noisy = units(torch.from_numpy(pixels[i:i + 1]).double() + SIGMA * torch.from_numpy(smoothgrad_noise(index)).double())
        cam = LayerGradCam(model, cam_layer).attribute(xi, target=c, relu_attributions=True)
        values = {
            "gradient": Saliency(model).attribute(xi, target=c, abs=False),
            "gradient_x_input": InputXGradient(model).attribute(xi, target=c),
            "integrated_gradients": IntegratedGradients(model).attribute(xi, baselines=bi, target=c, n_steps=STEPS,
                                                                        method="riemann_trapezoid"),
            "smoothgrad": Saliency(model).attribute(noisy, target=[c] * SAMPLES, abs=False).mean(0, keepdim=True),
            "gradcam": LayerAttribution.interpolate(cam, (28, 28), "bilinear"),
            "guided_gradcam": GuidedGradCam(model, cam_layer).attribute(xi, target=c, interpolate_mode="bilinear"),
            "guided_backprop": GuidedBackprop(model).attribute(xi, target=c),
            "deconvnet": Deconvolution(model).attribute(xi, target=c),
            "occlusion": Occlusion(model).attribute(xi, sliding_window_shapes=(1, PATCH, PATCH), strides=1, baselines=bi, target=c),
        }
        for method in METHODS:
            out[f"image{i}.{method}"] = values[method].detach().numpy().reshape(1, 28, 28).astype(np.float32)
    return out


def main():
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", category=UserWarning, module="captum")
    tensors, metadata = {}, {"seed": str(SEED), "methods": ",".join(METHODS)}
    committed_path = os.path.join(ROOT, "Report", "model.safetensors")
    with open(committed_path, "rb") as f:
        metadata["committed.model_sha256"] = hashlib.sha256(f.read()).hexdigest()
    networks = [
        ("committed", *lenet(safetensors.torch.load_file(committed_path)), [0, 3], False),
        ("normalised", *lenet(safetensors.torch.load_file(os.path.join(ROOT, "Tests", "Fixtures", "lenet5.safetensors"))), [8], True),
        ("other", *other_network(), [61], False),
    ]
    for name, model, cam_layer, indices, normalise in networks:
        for key, value in attributions(model, cam_layer, test_images(indices), indices, normalise).items():
            tensors[f"{name}.{key}"] = np.ascontiguousarray(value)
        for index in indices:
            noise = smoothgrad_noise(index).reshape(-1)
            tensors[f"noise.index{index}.head"] = np.ascontiguousarray(noise[:256])
            tensors[f"noise.index{index}.sum"] = np.array([noise.astype(np.float64).sum()], dtype=np.float32)
        print(f"{name}: test images {indices}, classes {tensors[f'{name}.classes'].tolist()}")
    safetensors.numpy.save_file(tensors, OUT, metadata=metadata)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
